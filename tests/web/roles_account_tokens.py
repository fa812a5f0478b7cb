"""Route x role rows for one area of the site (merged into test_web_roles.EXPECTED).

(method, path) -> the roles let through (the others get 401 when public, else 403). Sets of
roles: accounts_site.EVERYONE, SIGNED_IN, ADMIN, ANALYSTS, EDIT_OWN, EDITORS. SAMPLE fills in
this area's path parameters.
"""

from accounts_site import SIGNED_IN

# Every signed-in account manages its own API tokens. The walk revokes a token that does not
# exist (404 for every account), so nothing changes; whose token may be revoked is tested in
# test_web_account_tokens.py.
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/account/tokens"): SIGNED_IN,
    ("POST", "/account/tokens"): SIGNED_IN,
    ("POST", "/account/tokens/{token_id}/revoke"): SIGNED_IN,
}
SAMPLE: dict[str, str] = {"token_id": "999999"}
