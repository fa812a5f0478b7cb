"""Route x role rows for one area of the site (merged into test_web_roles.EXPECTED).

(method, path) -> the roles let through (the others get 401 when public, else 403). Sets of
roles: accounts_site.EVERYONE, SIGNED_IN, ADMIN, ANALYSTS, EDIT_OWN, EDITORS. SAMPLE fills in
this area's path parameters.
"""

from accounts_site import ADMIN

# Reading and exporting the audit log: administrators only; nobody may change it, so there
# is no other route here.
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/admin/audit"): ADMIN,
    ("GET", "/admin/audit/export.{fmt}"): ADMIN,
    ("GET", "/admin/audit/export"): ADMIN,  # where /admin/audit/export.json is routed
}
SAMPLE: dict[str, str] = {}
