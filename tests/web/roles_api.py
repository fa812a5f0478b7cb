"""Route x role rows for the JSON API (merged into test_web_roles.EXPECTED).

(method, path) -> the roles let through (the others get 401 when public, else 403). The walk
uses session cookies; tests/web/test_web_api.py proves the same rules with bearer tokens.
"""

from accounts_site import EDIT_OWN, EVERYONE, SIGNED_IN

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/api/me"): SIGNED_IN,
    ("GET", "/api/initiatives/{initiative_id}"): EVERYONE,  # the programme publishes them
    ("PATCH", "/api/initiatives/{initiative_id}"): EDIT_OWN,
}
SAMPLE: dict[str, str] = {}
