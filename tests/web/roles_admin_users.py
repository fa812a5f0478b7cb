"""Route x role rows for one area of the site (merged into test_web_roles.EXPECTED).

(method, path) -> the roles let through (the others get 401 when public, else 403). Sets of
roles: accounts_site.EVERYONE, SIGNED_IN, ADMIN, ANALYSTS, EDIT_OWN, EDITORS. SAMPLE fills in
this area's path parameters.
"""

from accounts_site import ADMIN

# Accounts are the administrators' alone (permissions.can: every action on "user").
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/admin"): ADMIN,
    ("GET", "/admin/users"): ADMIN,
    ("GET", "/admin/users/new"): ADMIN,
    ("POST", "/admin/users"): ADMIN,
    ("GET", "/admin/users/{user_name}"): ADMIN,
    ("POST", "/admin/users/{user_name}"): ADMIN,
    ("POST", "/admin/users/{user_name}/reset-password"): ADMIN,
}
SAMPLE: dict[str, str] = {"user_name": "reader"}
