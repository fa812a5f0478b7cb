"""Editing and creating initiatives in a real browser (Debian's Chromium driven by Playwright)
against a real uvicorn serving a writable copy of the demo (live_site.py): sign in through the
sign-in form, edit, see the change on the initiative page; a refused edit outside one's own
organisation; axe-core on the forms, with and without validation errors."""

from __future__ import annotations

import re

import pytest
from accounts_site import OWN_INITIATIVE
from web_helpers import axe_violations, browser_tab

from jamlik.audit import read_log
from jamlik.programme import read_programme

PAGE = f"/initiatives/{OWN_INITIATIVE}"


@pytest.fixture
def tab(browser):
    # A refused page (403, 422) is logged as a failed load; the tests check those statuses.
    refused = [
        f"Failed to load resource: the server responded with a status of {s}" for s in (403, 422)
    ]
    with browser_tab(browser, *refused, timeout=60_000) as page:
        yield page


def _stored(live):
    with live.workspace.session() as s:
        return read_programme(s, "exempelstad-jamlik-stad")


def test_editor_changes_status_and_adds_a_reach_row(live, tab):
    live.sign_in(tab, "editor-own")
    tab.goto(live.url + PAGE)
    tab.get_by_role("link", name="Redigera insatsen").click()
    assert tab.url == live.url + PAGE + "/edit"
    assert axe_violations(tab) == []

    tab.get_by_label("Status", exact=True).select_option(label="Pausad")
    # The first empty reach row: the demo's initiative has 60 rows.
    tab.get_by_label("Rad 61: Period", exact=True).fill("2026")
    tab.get_by_label("Rad 61: Område", exact=True).select_option(label="Kvarnbacken")
    tab.get_by_label("Rad 61: Antal nådda", exact=True).fill("25")
    tab.get_by_role("button", name="Spara").click()

    tab.wait_for_url(re.compile(re.escape(PAGE) + r"\?saved=1$"))
    assert tab.locator("#saved").inner_text() == "Insatsen är sparad."
    assert tab.locator('dd[data-fact="status"]').inner_text() == "Pausad"
    headers = tab.locator("#reach-table thead th").all_inner_texts()
    assert headers[-1] == "2026"
    row = tab.locator("#reach-table tbody tr", has=tab.locator("th", has_text="Kvarnbacken"))
    assert row.locator("td").last.inner_text() == "25"

    stored = _stored(live).initiative(OWN_INITIATIVE)
    assert stored.status == "paused"
    assert stored.reach[-1].model_dump() == {
        "period": "2026", "area": "ex-kvarnbacken", "dimension": "total", "subgroup": "total",
        "reached": 25,
    }  # fmt: skip
    with live.workspace.session() as s:
        assert [e.user for e in read_log(s, entity="initiative", entity_id=OWN_INITIATIVE)] == [
            "editor-own"
        ]


def test_editor_of_another_organisation_is_refused_in_plain_swedish(live, tab):
    live.sign_in(tab, "editor-other")
    tab.goto(live.url + PAGE)
    assert tab.get_by_role("link", name="Redigera insatsen").count() == 0
    answer = tab.goto(live.url + PAGE + "/edit")
    assert answer.status == 403
    assert (
        "Du kan bara redigera insatser som din egen organisation ansvarar för"
        in tab.locator("main").inner_text()
    )
    assert tab.locator("#edit-form").count() == 0


def test_validation_errors_are_summarised_linked_and_accessible(live, tab):
    live.sign_in(tab, "admin")
    before = _stored(live).initiative("ex-lasning")
    tab.goto(live.url + "/initiatives/ex-lasning/edit")
    tab.get_by_label("Startdatum").fill("1 jan 2017")
    tab.get_by_label("Rad 91: Period", exact=True).fill("2024")
    tab.get_by_label("Rad 91: Antal nådda", exact=True).fill("många")
    tab.get_by_role("button", name="Spara").click()

    summary = tab.locator("#problems")
    summary.wait_for()
    lines = summary.locator("li").all_inner_texts()
    assert lines == [
        "Startdatum: skriv datum som ÅÅÅÅ-MM-DD, inte '1 jan 2017'",
        "Nådda personer, rad 91: välj ett område",
        "Nådda personer, rad 91: skriv ett heltal som är 0 eller större, inte 'många'",
    ]
    assert axe_violations(tab) == []
    # The summary's links lead to the fields: following one by keyboard focuses the field.
    summary.get_by_role("link").last.focus()
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "reach-90-reached"
    assert tab.locator("#reach-90-reached").get_attribute("aria-invalid") == "true"
    assert _stored(live).initiative("ex-lasning") == before


def test_new_initiative_form_is_accessible_and_creates(live, tab):
    live.sign_in(tab, "editor-own")
    tab.goto(live.url + "/initiatives")
    assert axe_violations(tab) == []
    tab.get_by_role("link", name="Ny insats").click()
    assert tab.url == live.url + "/initiatives/new"
    assert axe_violations(tab) == []
    # With one organisation of their own, an editor finds it already chosen.
    assert tab.get_by_label("Ansvarig organisation").input_value() == "ex-socialnamnden"
    tab.get_by_label("Namn (måste fyllas i)", exact=True).fill("Språkcafé för föräldrar")
    tab.get_by_label("Förskolenämnden", exact=True).check()
    tab.get_by_role("button", name="Skapa insatsen").click()
    tab.wait_for_url(re.compile(r"/initiatives/ex-sprakcafe-for-foraldrar\?created=1$"))
    assert tab.locator("h1").inner_text() == "Språkcafé för föräldrar"
    assert tab.locator("#saved").inner_text() == "Insatsen är skapad."
    assert _stored(live).initiative("ex-sprakcafe-for-foraldrar").partners == ["ex-forskolenamnden"]
