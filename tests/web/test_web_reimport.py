"""Issue 18: what an editor saves through the real HTTP API survives a re-import of the
programme file, and a file that would change it stops with the conflict named."""

from __future__ import annotations

import httpx
import pytest
from accounts_site import OWN_INITIATIVE

from jamlik.accounts.tokens import create_token
from jamlik.demo import PROGRAMME_ID
from jamlik.programme import export_programme, import_programme, load_programme
from jamlik.programme.store import ImportConflictError

NOTE = "API: 18 familjer nåddes i december."


def test_an_api_edit_survives_reimporting_the_file_and_a_changed_file_conflicts(live, tmp_path):
    ws = live.workspace
    file = tmp_path / "programme.yaml"
    file.write_text(export_programme(ws, PROGRAMME_ID), encoding="utf-8")  # the owner's file
    with ws.session() as s:
        token = create_token(s, "editor-own", "test", by="test")
    client = httpx.Client(
        base_url=live.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
    url = f"/api/initiatives/{OWN_INITIATIVE}"
    version = client.get(url).json()["version"]
    reach = [{"period": "2025", "area": "ex-stenasen", "reached": 321}]
    saved = client.patch(
        url, json={"notes": NOTE, "reach": reach}, headers={"If-Match": str(version)}
    )
    assert saved.status_code == 200, saved.text

    summary = import_programme(ws, file)
    assert not summary.changed
    after = client.get(url).json()
    assert after["notes"] == NOTE
    assert [(r["area"], r["reached"]) for r in after["reach"]] == [("ex-stenasen", 321)]
    assert NOTE in client.get(f"/initiatives/{OWN_INITIATIVE}.json").text

    programme = load_programme(file)
    it = programme.initiative(OWN_INITIATIVE)
    changed = programme.model_copy(
        update={
            "initiatives": [
                i.model_copy(update={"notes": "Filens anteckning"}) if i.id == it.id else i
                for i in programme.initiatives
            ]
        }
    )
    with pytest.raises(ImportConflictError) as caught:
        import_programme(ws, changed)
    (conflict,) = caught.value.conflicts
    assert conflict.where == f"initiatives[{OWN_INITIATIVE}].notes"
    assert (conflict.web, conflict.file) == (NOTE, "Filens anteckning")
    assert client.get(url).json()["notes"] == NOTE  # nothing written


def test_the_admin_upload_shows_conflicts_and_replaces_only_when_asked(live, browser, tmp_path):
    """The web's programme import (administrators): the conflicts listed on a page with no
    accessibility violations, nothing written; the replace box overwrites, audited."""
    from web_helpers import axe_violations, browser_tab

    from jamlik.audit import read_log
    from jamlik.programme import read_programme
    from jamlik.programme.store import update_initiative

    ws = live.workspace
    with ws.session() as s:  # an edit made in the web meanwhile (as the form saves it)
        stored = read_programme(s, PROGRAMME_ID).initiative("ex-lasning")
        update_initiative(s, stored.model_copy(update={"notes": "Webbens anteckning"}))
    text = export_programme(ws, PROGRAMME_ID).replace("Webbens anteckning", "Filens anteckning")
    file = tmp_path / "programme.yaml"
    file.write_text(text, encoding="utf-8")

    def notes() -> str | None:
        with ws.session() as s:
            return read_programme(s, PROGRAMME_ID).initiative("ex-lasning").notes

    with browser_tab(browser, "status of 409") as tab:
        live.sign_in(tab, "admin")
        tab.goto(live.url + "/admin/programme")
        tab.click("#import-link")
        tab.get_by_label("Programfil (YAML)").set_input_files(str(file))
        with tab.expect_navigation():
            tab.get_by_role("button", name="Importera").click()
        listed = tab.locator("#conflict-list li")
        assert listed.count() == 1
        assert listed.first.get_attribute("data-where") == "initiatives[ex-lasning].notes"
        assert "webben har «Webbens anteckning», filen har «Filens anteckning»" in (
            listed.first.inner_text()
        )
        assert axe_violations(tab) == []
        assert notes() == "Webbens anteckning"

        tab.get_by_label("Programfil (YAML)").set_input_files(str(file))
        tab.get_by_label("Skriv över ändringar gjorda i webben med filens värden").check()
        with tab.expect_navigation():
            tab.get_by_role("button", name="Importera").click()
        assert "ersatte ändringarna gjorda i webben" in tab.locator("#notice").inner_text()
        assert axe_violations(tab) == []
    assert notes() == "Filens anteckning"
    with ws.session() as s:
        entry = read_log(s, entity="programme", entity_id=PROGRAMME_ID)[-1]
    assert (entry.action, entry.user) == ("replace", "admin")
    assert entry.after["web_edits_replaced"] == 1
    assert entry.after["replaced"] == ["initiatives[ex-lasning].notes"]
    assert entry.before["web_edits"][0]["web"] == "Webbens anteckning"
