"""Route x role rows for one area of the site (merged into test_web_roles.EXPECTED).

(method, path) -> the roles let through (the others get 401 when public, else 403). Sets of
roles: accounts_site.EVERYONE, SIGNED_IN, ADMIN, ANALYSTS, EDIT_OWN, EDITORS. SAMPLE fills in
this area's path parameters.

The programme tree and its publication are administrators' (jamlik.accounts.can: only they
may edit the programme structure). The walk posts no version: an administrator gets 400 and
nothing changes.
"""

from accounts_site import ADMIN

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/admin/programme"): ADMIN,
    ("POST", "/admin/programme/publish"): ADMIN,
    ("POST", "/admin/programme/root"): ADMIN,
    ("GET", "/admin/programme/nodes/{node_id}"): ADMIN,
    ("POST", "/admin/programme/nodes/{node_id}"): ADMIN,
    ("POST", "/admin/programme/nodes/{node_id}/children"): ADMIN,
    ("POST", "/admin/programme/nodes/{node_id}/delete"): ADMIN,
}
SAMPLE: dict[str, str] = {}  # node_id comes from test_web_roles.SAMPLE (ex-ta1)
