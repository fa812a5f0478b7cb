"""Route x role rows for one area of the site (merged into test_web_roles.EXPECTED).

(method, path) -> the roles let through (the others get 401 when public, else 403). Sets of
roles: accounts_site.EVERYONE, SIGNED_IN, ADMIN, ANALYSTS, EDIT_OWN, EDITORS. SAMPLE fills in
this area's path parameters.

Indicators and their targets are administrators' (jamlik.accounts.can). The walk posts no
version: an administrator gets 400 and nothing changes.
"""

from accounts_site import ADMIN

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/admin/indicators"): ADMIN,
    ("GET", "/admin/indicators/{indicator_id}"): ADMIN,
    ("POST", "/admin/indicators/{indicator_id}"): ADMIN,
}
SAMPLE: dict[str, str] = {"indicator_id": "ex-behorighet-gymnasiet"}
