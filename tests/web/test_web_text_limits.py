"""Over-long text and NUL characters are refused with 422 naming the field, through the web
forms and the JSON API (a real uvicorn), the same on SQLite and PostgreSQL, and nothing is
written.

Before: a 1 MB initiative title was stored (pages of 8 MB); a 300-character display name was
stored on SQLite but a 500 on PostgreSQL (a String(200) column), so a SQLite backup would not
restore there; a NUL character was stored on SQLite and a 500 on PostgreSQL.
"""

from __future__ import annotations

import httpx
import pytest
from accounts_site import OWN_INITIATIVE, PASSWORD
from forms import error_summary, form_data
from live_site import form_sign_in, serve

from jamlik.accounts import AccountError, create_user, list_users
from jamlik.accounts.tokens import create_token
from jamlik.audit import read_log
from jamlik.demo import PROGRAMME_ID
from jamlik.programme import examples, import_programme, read_programme
from jamlik.web import WebSettings, create_app
from jamlik.workspace import Workspace

EDIT = f"/initiatives/{OWN_INITIATIVE}/edit"


def _state(ws: Workspace, programme: str = PROGRAMME_ID):
    with ws.session() as s:
        return read_programme(s, programme), list_users(s), len(read_log(s))


@pytest.fixture(scope="module")
def admin(live) -> httpx.Client:
    return form_sign_in(live.url, "admin")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Lasning " * 120_000),  # 960 kB: about what one form field may hold
        ("title", "x" * 301),
        ("notes", "n" * 20_001),
        ("title", "Familje\x00centraler"),
        ("notes", "Anteckning med \x00 i"),
        ("tg_text", "Barn\x00"),
    ],
)
def test_initiative_form(live, admin, field, value):
    page = admin.get(EDIT).text
    before = _state(live.workspace)
    answer = admin.post(EDIT, data=form_data(page, EDIT, **{field: value}))
    assert answer.status_code == 422, (answer.status_code, answer.text[:300])
    if "\x00" in value:  # refused before the form is read, naming the field
        assert f"Fältet {field} innehåller ett NUL-tecken" in answer.text
    else:
        assert any(f == field for f, _ in error_summary(answer.text))
    assert _state(live.workspace) == before


def test_nul_in_query_string_and_address(live, admin):
    before = _state(live.workspace)
    for path in ("/admin/audit?user=admin%00", f"/initiatives/{OWN_INITIATIVE}%00/edit"):
        answer = admin.get(path)
        assert answer.status_code == 422, (path, answer.status_code)
        assert "NUL" in answer.text
    assert _state(live.workspace) == before


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"notes": "n" * 20_001}, ["body", "notes"]),
        ({"notes": "med \x00 i"}, ["body", "notes"]),
        ({"reach": [{"period": "2024", "area": "ex-kvarn\x00backen", "reached": 3}]},
         ["body", "reach", 0, "area"]),
    ],
)  # fmt: skip
def test_api_patch(live, change, loc):
    with live.workspace.session() as s:
        token = create_token(s, "admin", "text limits", by="test")
    client = httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {token}"})
    url = f"/api/initiatives/{OWN_INITIATIVE}"
    version = client.get(url).json()["version"]
    before = _state(live.workspace)
    answer = client.patch(url, json=change, headers={"If-Match": str(version)})
    assert answer.status_code == 422, (answer.status_code, answer.text[:300])
    assert any(p["loc"][: len(loc)] == loc for p in answer.json()["detail"]), answer.text[:500]
    assert _state(live.workspace) == before


# -- the same on SQLite and PostgreSQL ----------------------------------------------------------

BORAS = "boras-god-start"


@pytest.fixture(params=["sqlite", "postgresql"])
def small_site(request, tmp_path) -> Workspace:
    """A workspace holding the Borås example and an administrator, on either database."""
    url = request.getfixturevalue("postgres_db_url") if request.param == "postgresql" else None
    ws = Workspace(tmp_path / "ws", url) if url else Workspace.resolve(tmp_path / "ws")
    import_programme(ws, examples()[BORAS])
    with ws.session() as s:
        create_user(s, "admin", "administrator", password=PASSWORD, by="test")
    yield ws
    ws.engine().dispose()


def test_long_display_name_and_nul_refused_on_both_databases(small_site):
    ws = small_site
    with serve(create_app(WebSettings.for_workspace(ws), warm=False, secure_cookies=False)) as url:
        admin = form_sign_in(url, "admin")
        before = _state(ws, BORAS)
        page = admin.get("/admin/users/new").text
        for name in ("x" * 300, "Anna\x00Svensson"):
            sent = form_data(page, "/admin/users", name="anna", display_name=name, role="reader")
            answer = admin.post("/admin/users", data=sent)
            assert answer.status_code == 422, (ws.url, answer.status_code, answer.text[:300])
            assert "display_name" in answer.text
        edit = f"/initiatives/{examples_initiative(ws)}/edit"
        form = form_data(admin.get(edit).text, edit, title="Ny\x00rubrik")
        assert admin.post(edit, data=form).status_code == 422
        assert _state(ws, BORAS) == before
    # The command line's way in (`jamlik user add --display-name`) refuses it too.
    with ws.session() as s, pytest.raises(AccountError, match="at most 200 characters"):
        create_user(s, "bertil", "reader", display_name="y" * 300, by="test")
    assert _state(ws, BORAS) == before


def examples_initiative(ws: Workspace) -> str:
    with ws.session() as s:
        return read_programme(s, BORAS).initiatives[0].id


@pytest.mark.parametrize(
    ("url", "field", "value"),
    [
        ("/admin/indicators/ex-behorighet-gymnasiet", "title", "i" * 301),
        ("/admin/indicators/ex-behorighet-gymnasiet", "description", "d" * 20_001),
        ("/admin/programme/nodes/ex-ta1", "title", "t" * 301),
        ("/admin/programme/nodes/ex-ta1", "description", "d" * 20_001),
    ],
)
def test_administration_forms(live, admin, url, field, value):
    page = admin.get(url).text
    before = _state(live.workspace)
    answer = admin.post(url, data=form_data(page, url, **{field: value}))
    assert answer.status_code == 422, (answer.status_code, answer.text[:300])
    assert any(f == field for f, _ in error_summary(answer.text)), error_summary(answer.text)
    assert _state(live.workspace) == before
