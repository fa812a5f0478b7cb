"""Route x role rows for one area of the site (merged into test_web_roles.EXPECTED).

(method, path) -> the roles let through (the others get 401 when public, else 403). Sets of
roles: accounts_site.EVERYONE, SIGNED_IN, ADMIN, ANALYSTS, EDIT_OWN, EDITORS. SAMPLE fills in
this area's path parameters.

The data page is for analysts and administrators (`import data`, `refresh source`). In the
walk, an allowed upload without a file answers 422, a confirm of an unknown upload 410 and a
refresh of a query the copy does not have 404: nothing is written.
"""

from accounts_site import ANALYSTS

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/data"): ANALYSTS,
    ("POST", "/data/upload"): ANALYSTS,
    ("POST", "/data/upload/{upload_token}/confirm"): ANALYSTS,
    ("POST", "/data/sources/{query_name}/refresh"): ANALYSTS,
}
SAMPLE: dict[str, str] = {
    "upload_token": "x" * 43,  # the shape of a token, but no such upload
    "query_name": "no-such-query",
}
