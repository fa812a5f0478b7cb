"""The web application against a real PostgreSQL server (the `postgres_db_url` fixture starts one
from Debian's binaries on 127.0.0.1): the demo built into PostgreSQL, served by a real uvicorn,
signed into through the form, read as pages and `.json` twins, an initiative edited, the stale
second save refused, the audit entry read back, and the same through the JSON API, also with
four writers and eight readers at once."""

from __future__ import annotations

import time

import httpx
import pytest
from accounts_site import OWN, OWN_INITIATIVE, PASSWORD
from concurrent_api import api_under_concurrency
from forms import form_data
from live_site import form_sign_in, serve

from jamlik.accounts import create_user
from jamlik.accounts.tokens import create_token
from jamlik.audit import read_log
from jamlik.demo import PROGRAMME_ID, build_demo
from jamlik.programme import read_programme
from jamlik.web import WebSettings, create_app
from jamlik.workspace import Workspace


@pytest.fixture
def pg_demo(tmp_path, postgres_db_url) -> Workspace:
    ws = Workspace(tmp_path / "ws", postgres_db_url)
    started = time.monotonic()
    build_demo(ws)
    with ws.session() as s:
        create_user(s, "editor", "editor", password=PASSWORD, actors=(OWN,), by="test")
        create_user(s, "admin", "administrator", password=PASSWORD, by="test")
    print(f"\ndemo built into PostgreSQL in {time.monotonic() - started:.1f} s")
    yield ws
    ws.engine().dispose()


def _stored(ws: Workspace):
    with ws.session() as s:
        return read_programme(s, PROGRAMME_ID).initiative(OWN_INITIATIVE)


@pytest.mark.slow
def test_the_web_application_on_postgresql(pg_demo):
    assert pg_demo.url.startswith("postgresql")
    started = time.monotonic()
    with serve(create_app(WebSettings.for_workspace(pg_demo), secure_cookies=False)) as url:
        public = httpx.Client(base_url=url, timeout=120)
        assert public.get("/").status_code == 200  # waits for the follow-up
        with pg_demo.session() as s:
            programme = read_programme(s, PROGRAMME_ID)
        for path in ("/", "/programme", "/initiatives", f"/initiatives/{OWN_INITIATIVE}"):
            page = public.get(path)
            assert page.status_code == 200 and "Fiktiva exempeldata" in page.text, path
        listed = public.get("/initiatives.json").json()["facts"]
        assert listed["total"] == len(programme.initiatives) == len(listed["initiatives"])
        twin = public.get(f"/initiatives/{OWN_INITIATIVE}.json").json()["facts"]["initiative"]
        stored = programme.initiative(OWN_INITIATIVE)
        assert twin["title"] == stored.title and twin["notes"] == stored.notes

        # Two people open the same initiative; the first save wins, the second is refused.
        editor, admin = form_sign_in(url, "editor"), form_sign_in(url, "admin")
        edit = f"/initiatives/{OWN_INITIATIVE}/edit"
        form_a = form_data(editor.get(edit).text, edit)
        form_b = form_data(admin.get(edit).text, edit)
        assert form_a["version"] == form_b["version"] == ["0"]
        before = _stored(pg_demo)
        note = "Uppföljning på PostgreSQL: fler familjer nåddes."
        saved = editor.post(edit, data={**form_a, "status": "paused", "notes": note})
        assert saved.status_code == 303, saved.text[:1000]
        stale = admin.post(edit, data={**form_b, "notes": "Admins anteckning"})
        assert stale.status_code == 409
        assert "Någon annan har sparat insatsen sedan du öppnade den" in stale.text
        after = _stored(pg_demo)
        assert after.status == "paused" and after.notes == note
        assert after.reach == before.reach  # the form sent the rows back unchanged
        shown = public.get(f"/initiatives/{OWN_INITIATIVE}.json").json()["facts"]["initiative"]
        assert shown["notes"] == note

        # The audit entry, read back from PostgreSQL.
        with pg_demo.session() as s:
            [entry] = read_log(s, entity="initiative", entity_id=OWN_INITIATIVE)
        assert entry.user == "editor" and entry.action == "edit"
        assert entry.before["status"] == before.status and entry.before["notes"] == before.notes
        assert entry.after["status"] == "paused" and entry.after["notes"] == note

        # The JSON API on the same server: the version moved on, a stale If-Match is refused.
        with pg_demo.session() as s:
            token = create_token(s, "editor", "pg", by="test")
        api = httpx.Client(base_url=url, timeout=60, headers={"Authorization": f"Bearer {token}"})
        current = api.get(f"/api/initiatives/{OWN_INITIATIVE}").json()
        assert current["version"] == 1 and current["notes"] == note
        target = f"/api/initiatives/{OWN_INITIATIVE}"
        done = api.patch(target, json={"status": "ongoing"}, headers={"If-Match": "1"})
        assert done.status_code == 200 and done.json()["version"] == 2
        stale_api = api.patch(target, json={"status": "paused"}, headers={"If-Match": "1"})
        assert stale_api.status_code == 409
        assert _stored(pg_demo).status == "ongoing"
        with pg_demo.session() as s:
            assert len(read_log(s, entity="initiative", entity_id=OWN_INITIATIVE)) == 2

        # 4 writers and 8 readers at once: every answer's body matches its version (one
        # REPEATABLE READ snapshot), and no appended line is lost.
        api_under_concurrency(url, token, pg_demo, OWN_INITIATIVE)
    print(
        f"web application on PostgreSQL: served and checked in {time.monotonic() - started:.0f} s"
    )
