"""Route x role rows for creating initiatives (the edit routes are in test_web_roles.EXPECTED).

Every editor has an organisation of their own to create for, so both editors may open and
send the new-initiative form; readers, analysts and visitors may not. The walk's POST carries
no title and no owner, so an allowed role is answered 422 and nothing is created.
"""

from accounts_site import EDITORS

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/initiatives/new"): EDITORS,
    ("POST", "/initiatives/new"): EDITORS,
}
SAMPLE: dict[str, str] = {}
