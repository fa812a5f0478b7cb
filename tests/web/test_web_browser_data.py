"""The data page in Chromium against a real uvicorn serving a writable copy of the demo: an
analyst signs in through the form, a file with one bad row is refused with the row named and
nothing written, a good file is previewed, confirmed and listed; axe-core finds no WCAG 2.1 A
or AA violation on the page and on both kinds of preview."""

from __future__ import annotations

from sqlalchemy import func, select
from test_web_data import BAD, GOOD
from web_helpers import axe_violations

from jamlik.data.tables import ImportRow, ObservationRow


def counts(ws) -> tuple[int, int]:
    with ws.session() as s:
        return (
            s.scalar(select(func.count()).select_from(ObservationRow)),
            s.scalar(select(func.count()).select_from(ImportRow)),
        )


def choose_and_preview(tab, path, label: str = "Fil") -> None:
    tab.get_by_label(label, exact=True).set_input_files(str(path))
    with tab.expect_navigation():
        tab.get_by_role("button", name="Förhandsgranska").click()


def test_analyst_uploads_a_bad_then_a_good_file(tab, live, tmp_path):
    ws = live.workspace
    live.sign_in(tab, "analyst")
    tab.goto(live.url + "/data")
    assert tab.get_by_role("heading", level=1).inner_text() == "Data"
    assert axe_violations(tab) == []
    before = counts(ws)

    bad = tmp_path / "med-fel.csv"
    bad.write_text(BAD, encoding="utf-8")
    choose_and_preview(tab, bad)
    assert "Filen kan inte importeras" in tab.locator("#problems").inner_text()
    cells = tab.locator("#problem-list tbody tr").first.locator("th, td").all_inner_texts()
    assert cells[:2] == ["Rad 3", "estimate"] and "tjugoåtta" in cells[2]
    assert tab.locator("#problem-list tbody tr").count() == 1
    assert tab.get_by_role("button", name="Bekräfta import").count() == 0
    assert counts(ws) == before
    assert axe_violations(tab) == []
    # The summary's link takes the keyboard to the field for the corrected file.
    tab.locator("#problems a").focus()
    tab.keyboard.press("Enter")
    assert tab.evaluate("location.hash") == "#file"

    good = tmp_path / "obs.csv"
    good.write_text(GOOD, encoding="utf-8")
    choose_and_preview(tab, good, "Rättad fil")
    assert tab.locator("#preview-new").inner_text() == "2"
    assert tab.locator("#preview-changed").inner_text() == "1"
    assert counts(ws) == before  # the preview wrote nothing
    assert axe_violations(tab) == []
    with tab.expect_navigation():
        tab.get_by_role("button", name="Bekräfta import").click()
    assert "obs.csv är importerad" in tab.locator("#import-result").inner_text()
    assert counts(ws) == (before[0] + 2, before[1] + 1)
    with ws.session() as s:
        newest = s.scalar(select(func.max(ImportRow.id)))
    row = tab.locator(f"#import-{newest}").locator("th, td").all_inner_texts()
    assert row[0] == str(newest) and row[2] == "obs.csv" and row[7] == "analyst"
    assert axe_violations(tab) == []


def test_data_page_in_english_passes_axe(tab, live):
    live.sign_in(tab, "admin")
    tab.goto(live.url + "/data?lang=en")
    assert tab.get_by_role("heading", name="Upload observations").count() == 1
    assert axe_violations(tab) == []
