"""The programme chooses what visitors without an account may read: an unpublished programme's
reading side answers them 401 (a page with a sign-in link; JSON on .json addresses), while
every signed-in role reads it; a published programme (the demo) is open to everyone. Sign-in,
the accessibility statement and static files stay open either way."""

from __future__ import annotations

import pytest
from accounts_site import OWN_INITIATIVE, ROLES, copy_demo
from sqlalchemy import update

from jamlik.programme.tables import ProgrammeRow

REPORT = "exempelstad-jamlik-stad-2025-sv.html"
# Every reading route: start, programme, explorer (downloads too), initiatives, investments,
# actors and reports (report files too), as pages and as .json twins.
READING = [
    "/",
    "/index.json",
    "/programme",
    "/programme.json",
    "/programme/ex-ta1",
    "/programme/ex-ta1.json",
    "/explorer",
    "/explorer.json",
    "/explorer/download.csv?indicator=ex-kulturskola",
    "/explorer/download.xlsx?indicator=ex-kulturskola",
    "/initiatives",
    "/initiatives.json",
    f"/initiatives/{OWN_INITIATIVE}",
    "/investeringar",
    "/investeringar.json",
    "/actors",
    "/actors.json",
    "/reports",
    "/reports.json",
    f"/reports/files/{REPORT}",
]
ALWAYS_OPEN = ["/sign-in", "/accessibility", "/accessibility.json", "/static/css/jamlik.css"]


def _with_report(site):
    folder = site.workspace.path / "reports"
    folder.mkdir(exist_ok=True)
    (folder / REPORT).write_text("<!doctype html><title>Rapport</title><p>Rapport 2025</p>")
    return site


@pytest.fixture(scope="module")
def unpublished(demo_workspace, tmp_path_factory):
    site = _with_report(copy_demo(demo_workspace, tmp_path_factory.mktemp("unpub") / "ws"))
    with site.workspace.session() as s:
        s.execute(update(ProgrammeRow).values(published=False))
    return site


@pytest.fixture(scope="module")
def published(demo_workspace, tmp_path_factory):
    return _with_report(copy_demo(demo_workspace, tmp_path_factory.mktemp("pub") / "ws"))


def test_the_demo_programme_is_published(published):
    with published.workspace.session() as s:
        assert s.query(ProgrammeRow.published).scalar() is True


@pytest.mark.parametrize("path", READING)
def test_unpublished_refuses_visitors_and_lets_every_role_read(unpublished, path):
    answer = unpublished.client("public").get(path)
    assert answer.status_code == 401, path
    if path.split("?")[0].endswith(".json"):
        body = answer.json()
        assert body["facts"]["status"] == 401
        assert "inte publicerat" in body["facts"]["detail"]
    else:
        assert "Du behöver logga in för att se sidan" in answer.text
        assert f'href="/sign-in?next={path.split("?")[0]}"' in answer.text
    for role in ROLES[1:]:
        assert unpublished.client(role).get(path).status_code == 200, (path, role)


@pytest.mark.parametrize("path", READING)
def test_published_is_open_to_visitors(published, path):
    assert published.client("public").get(path).status_code == 200, path


@pytest.mark.parametrize("path", ALWAYS_OPEN)
def test_sign_in_accessibility_and_static_files_stay_open(unpublished, path):
    assert unpublished.client("public").get(path).status_code == 200, path


def test_unpublished_message_in_english_on_request(unpublished):
    answer = unpublished.client("public").get("/programme?lang=en")
    assert answer.status_code == 401
    assert "not published for visitors without an account" in answer.text


def test_unpublished_api_refuses_visitors_too(unpublished):
    path = f"/api/initiatives/{OWN_INITIATIVE}"
    answer = unpublished.client("public").get(path)
    assert answer.status_code == 401 and answer.json()["detail"].startswith("Logga in först")
    assert unpublished.client("reader").get(path).json()["id"] == OWN_INITIATIVE
