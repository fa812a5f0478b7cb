"""Every route × role: allowed or refused as issue 7's role rules say; CSRF; edit conflicts.
Accounts signed in through an identity provider (issue 17, accounts_site.SSO_TWINS) walk every
route as well and must be let through exactly where their local twin is.

The expected table is written by hand from the rules (jamlik.accounts.permissions): the whole
reading side is what the demo programme publishes, so everyone may read it; own-account pages
need a signed-in account; an initiative may be edited by an editor of its owning organisation
and by administrators only. A route missing from the table fails the walk, so a new route
cannot slip in untested.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from accounts_site import (
    EDIT_OWN,
    EVERYONE,
    OWN,
    OWN_INITIATIVE,
    ROLES,
    SIGNED_IN,
    SSO_TWINS,
    AccountsSite,
    copy_demo,
)
from forms import form_token, form_version

from jamlik.audit import read_log
from jamlik.programme import read_programme

SAMPLE = {
    "node_id": "ex-ta1",
    "initiative_id": OWN_INITIATIVE,
    "fmt": "csv",
    "filename": "no-such-report.pdf",
}
# (method, path) -> roles that are let through (others: 401 when public, else 403).
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("GET", "/openapi.json"): EVERYONE,
    ("GET", "/"): EVERYONE,
    ("GET", "/programme"): EVERYONE,
    ("GET", "/programme/{node_id}"): EVERYONE,
    ("GET", "/explorer"): EVERYONE,
    ("GET", "/explorer/download.{fmt}"): EVERYONE,
    ("GET", "/explorer/overview"): EVERYONE,
    ("GET", "/explorer/compare"): EVERYONE,
    ("GET", "/explorer/funnel"): EVERYONE,
    ("GET", "/initiatives"): EVERYONE,
    ("GET", "/initiatives/{initiative_id}"): EVERYONE,
    ("GET", "/actors"): EVERYONE,
    ("GET", "/reports"): EVERYONE,
    ("GET", "/reports/files/{filename}"): EVERYONE,
    ("GET", "/accessibility"): EVERYONE,
    ("GET", "/investeringar"): EVERYONE,
    ("GET", "/investeringar/{initiative_id}"): EVERYONE,
    ("POST", "/reports"): SIGNED_IN,  # building a report writes files: not for visitors
    ("GET", "/sign-in"): EVERYONE,
    ("POST", "/sign-in"): EVERYONE,
    ("GET", "/sign-out"): EVERYONE,
    ("POST", "/sign-out"): EVERYONE,
    ("POST", "/sign-out-everywhere"): SIGNED_IN,
    ("GET", "/account/password"): SIGNED_IN,
    ("POST", "/account/password"): SIGNED_IN,
    ("GET", "/initiatives/{initiative_id}/edit"): EDIT_OWN,
    ("POST", "/initiatives/{initiative_id}/edit"): EDIT_OWN,
}
# Each area of the site that issue 7 adds keeps its rows in tests/web/roles_<area>.py, as a
# dict named EXPECTED of the same shape (and a dict SAMPLE for its path parameters, if any).
for _module in sorted(Path(__file__).parent.glob("roles_*.py")):
    _area = importlib.import_module(_module.stem)
    assert not set(_area.EXPECTED) & set(EXPECTED), f"{_module.name} repeats a route"
    EXPECTED.update(_area.EXPECTED)
    SAMPLE.update(getattr(_area, "SAMPLE", {}))


@pytest.fixture(scope="module")
def site(demo_workspace, tmp_path_factory) -> AccountsSite:
    return copy_demo(demo_workspace, tmp_path_factory.mktemp("roles") / "ws")


def app_routes(app) -> set[tuple[str, str]]:
    out = set()
    for route in app.routes:
        inner = getattr(getattr(route, "original_router", None), "routes", [route])
        for r in inner:
            for method in getattr(r, "methods", None) or ():
                if method != "HEAD":
                    out.add((method, r.path))
    return out


def test_the_table_covers_every_route(site):
    assert app_routes(site.app) == set(EXPECTED)


# Accounts from an identity provider walk every route too, each with its local twin's rights.
CASES = [(m, p, role) for (m, p) in EXPECTED for role in (*ROLES, *SSO_TWINS)]


@pytest.mark.parametrize(("method", "path", "role"), CASES)
def test_route_role(site, method, path, role):
    client = site.client(role)
    url = path.format(**SAMPLE)
    if method == "GET":
        answer = client.get(url)
    else:
        # A valid token, so that what is tested is the role, not CSRF; no other fields, so
        # that an allowed request stops at validation (422/400) and changes nothing.
        token = form_token(client.get("/sign-in").text)
        answer = client.request(method, url, data={"csrf_token": token})
    allowed = SSO_TWINS.get(role, role) in EXPECTED[(method, path)]
    if allowed:
        assert answer.status_code not in (401, 403), (method, url, role, answer.status_code)
        assert answer.status_code < 500
    else:
        assert answer.status_code == (401 if role == "public" else 403), (method, url, role)


def test_post_without_csrf_token_is_refused(site):
    client = site.client("editor-own")
    answer = client.post(f"/initiatives/{OWN_INITIATIVE}/edit", data={"version": "0"})
    assert answer.status_code == 403
    assert "Formuläret har gått ut" in answer.text


def test_editor_outside_own_organisation_gets_plain_swedish_refusal(site):
    answer = site.client("editor-other").get(f"/initiatives/{OWN_INITIATIVE}/edit")
    assert answer.status_code == 403
    assert "Du kan bara redigera insatser som din egen organisation ansvarar för" in answer.text


def _save(client, page_html: str, **changes):
    data = {"csrf_token": form_token(page_html), "version": str(form_version(page_html)),
            "title": "Familjecentraler som nav", "owner": OWN,
            "status": "paused", "start": "2019-01-01", "end": "", "notes": "",
            "reach-0-period": "", "reach-0-area": "", "reach-0-dimension": "total",
            "reach-0-subgroup": "total", "reach-0-reached": ""}  # fmt: skip
    data.update(changes)
    return client.post(f"/initiatives/{OWN_INITIATIVE}/edit", data=data)


def test_save_is_audited_and_second_stale_save_is_refused(site):
    first, second = site.client("editor-own"), site.client("admin")
    url = f"/initiatives/{OWN_INITIATIVE}/edit"
    page_a, page_b = first.get(url).text, second.get(url).text
    assert form_version(page_a) == form_version(page_b)

    saved = _save(first, page_a, notes="Uppföljning 2025: fler familjer nåddes.")
    assert saved.status_code == 303
    stale = _save(second, page_b, notes="Admins anteckning", status="cancelled")
    assert stale.status_code == 409
    assert "Någon annan har sparat insatsen sedan du öppnade den" in stale.text
    assert "Admins anteckning" in stale.text  # the lost note is shown to copy

    with site.workspace.session() as s:
        stored = read_programme(s, "exempelstad-jamlik-stad").initiative(OWN_INITIATIVE)
        log = read_log(s, entity="initiative", entity_id=OWN_INITIATIVE)
    assert stored.status == "paused"
    assert stored.notes == "Uppföljning 2025: fler familjer nåddes."
    assert stored.reach == []  # every reach row was emptied in the form
    assert len(log) == 1 and log[0].user == "editor-own"
    assert log[0].after["notes"] == stored.notes and log[0].before["notes"] != stored.notes
    assert "Uppföljning 2025" in first.get(f"/initiatives/{OWN_INITIATIVE}").text


def test_bad_values_are_named_and_nothing_is_written(site):
    client = site.client("admin")
    url = f"/initiatives/{OWN_INITIATIVE}/edit"
    page = client.get(url).text
    with site.workspace.session() as s:
        before = read_programme(s, "exempelstad-jamlik-stad").initiative(OWN_INITIATIVE)
    bad = _save(client, page, start="1 jan", **{"reach-0-period": "2024",
                "reach-0-area": "ex-kvarnbacken", "reach-0-reached": "många"})  # fmt: skip
    assert bad.status_code == 422
    assert "ÅÅÅÅ-MM-DD" in bad.text and "rad 1" in bad.text
    with site.workspace.session() as s:
        assert read_programme(s, "exempelstad-jamlik-stad").initiative(OWN_INITIATIVE) == before
