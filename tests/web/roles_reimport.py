"""Route x role rows for importing the programme file in the browser (issue 18): an
administrator's, as the rest of the programme's administration. The walk posts no file: an
administrator gets 422 and nothing changes."""

from accounts_site import ADMIN

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/admin/programme/import"): ADMIN,
    ("POST", "/admin/programme/import"): ADMIN,
}
SAMPLE: dict[str, str] = {}
