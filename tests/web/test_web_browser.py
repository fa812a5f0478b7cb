"""Ways through the site in a real browser (Debian's Chromium driven by Playwright): navigation
through the tree, the explorer with and without JavaScript, forms with the keyboard, language
switching and downloads. Each page on its own: test_web_pages.py."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook
from web_helpers import SMALL_CELL


def _open(page, site, path: str) -> None:
    page.goto(site.url + path)
    page.wait_for_load_state("networkidle")


def test_navigation_through_the_tree(page, site):
    _open(page, site, "/")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Programmet").click()
    assert page.locator("h1").inner_text() == "Programmet"
    page.locator(".tree").get_by_role(
        "link", name="Skapa god start och goda uppväxtvillkor"
    ).click()
    assert page.url.endswith("/programme/ex-ta1")
    assert page.locator("h1").inner_text().startswith("Målområde 1:")
    page.locator("#children").get_by_role("link", name="Fokusera på tidiga insatser").click()
    assert "Strategi:" in page.locator("h1").inner_text()
    crumbs = page.get_by_role("navigation", name="Du är här")
    crumbs.get_by_role("link", name="Skapa god start och goda uppväxtvillkor").click()
    assert page.url.endswith("/programme/ex-ta1")
    page.get_by_role("link", name="Utforska Inskrivna barn i förskola, 1–5 år").click()
    assert "indicator=ex-forskola-1-5" in page.url
    assert page.locator("#x-indicator").input_value() == "ex-forskola-1-5"
    page.go_back()
    page.locator("#node-initiatives").get_by_role("link", name="Familjecentraler som nav").click()
    assert page.locator("h1").inner_text() == "Familjecentraler som nav"


def test_explorer_choices_answer_in_place(page, site):
    """With JavaScript, htmx swaps the answer in without reloading; the URL follows."""
    _open(page, site, "/explorer")
    page.evaluate("window.__samePage = true")
    page.select_option("#x-indicator", "ex-trangboddhet")
    page.wait_for_url(re.compile(r"indicator=ex-trangboddhet"))
    page.wait_for_function("document.querySelector('#x-indicator').value === 'ex-trangboddhet'")
    assert (
        page.locator("h2#answer-heading")
        .inner_text()
        .startswith("Invånare 20–64 år som bor trångt")
    )
    page.select_option("#x-dimension", "district")
    page.wait_for_url(re.compile(r"dimension=district"))
    page.select_option("#x-period", "2020")
    page.wait_for_url(re.compile(r"period=2020"))
    page.select_option("#x-measure", "BGV")
    page.wait_for_url(re.compile(r"measure=BGV"))
    assert page.evaluate("window.__samePage") is True  # never reloaded
    assert "(BGV)" in page.locator("#chosen-measure").inner_text()
    rows = page.locator("#values-table tbody tr")
    assert rows.count() == 10  # one per district
    assert page.locator("#district-map svg path").count() == 10
    # The chart is drawn by vega-embed from the specification (no server SVG left).
    page.wait_for_selector(".chart[data-embedded] .chart-live svg")
    assert page.locator("#explorer-status").inner_text().startswith("Visar Invånare")


def test_explorer_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site.url + "/explorer")
        page.select_option("#x-indicator", "ex-valdeltagande")
        page.select_option("#x-measure", index=0)
        page.get_by_role("button", name="Visa").click()
        page.wait_for_url(re.compile(r"indicator=ex-valdeltagande"))
        assert page.locator("h2#answer-heading").inner_text().startswith("Valdeltagande")
        # The server's drawing of each chart (level over time, gap over time) stands in for
        # vega-embed.
        charts = page.locator("figure.chart-figure").count()
        assert charts == 2
        assert page.locator(".chart svg[role=img]").count() == charts
        assert page.locator("#values-table tbody tr").count() >= 2
    finally:
        context.close()


def test_forms_submit_with_the_keyboard(page, site):
    _open(page, site, "/initiatives")
    page.focus("#f-status")
    page.keyboard.press("ArrowDown")  # "Planerad"
    page.keyboard.press("ArrowDown")  # "Pågående"
    assert page.locator("#f-status").input_value() == "ongoing"
    for _ in range(4):  # actor, node, area, then the button
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"status=ongoing"))
    cells = "#initiatives-table tbody tr td:nth-child(2) .status-label"  # beside: past end date
    statuses = page.locator(cells).all_inner_texts()
    assert statuses and set(statuses) == {"Pågående"}


def test_language_switch(page, site):
    _open(page, site, "/programme/ex-ta2")
    page.get_by_role("link", name="In English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Target area 2:")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Initiatives").click()
    assert page.locator("html").get_attribute("lang") == "en"  # the choice follows the reader
    assert page.locator("h1").inner_text() == "Initiatives"
    page.get_by_role("link", name="På svenska").click()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").inner_text() == "Insatser"


def _planted_page(page, site) -> None:
    query = f"indicator={SMALL_CELL['indicator']}&dimension=sex&area={SMALL_CELL['area']}"
    _open(page, site, f"/explorer?{query}")


def test_download_csv_in_the_browser(page, site, tmp_path):
    _planted_page(page, site)
    with page.expect_download() as info:
        page.locator("#download-csv").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "ex-kulturskola-sex-ex-kvarnbacken.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig")), delimiter=";"))
    planted = [r for r in rows if r["period"] == SMALL_CELL["period"]]
    women = [r for r in planted if r["subgroup"] == "women"]
    assert len(planted) == 2 and all(r["flag"] == "suppressed" and not r["estimate"] for r in women)
    assert f"{SMALL_CELL['estimate']:.1f}" not in path.read_text("utf-8-sig")


def test_download_xlsx_in_the_browser(page, site, tmp_path):
    _planted_page(page, site)
    with page.expect_download() as info:
        page.locator("#download-xlsx").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    sheet = load_workbook(path, read_only=True)["data"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    records = [dict(zip(header, r, strict=True)) for r in rows]
    planted = [r for r in records if r["period"] == SMALL_CELL["period"]]
    # The 7 women are hidden; the men beside them may show, as in the CSV (test_web_http).
    women = [r for r in planted if r["subgroup"] == "women"]
    assert len(planted) == 2 and all(
        r["flag"] == "suppressed" and r["estimate"] is None for r in women
    )
    assert not any(
        isinstance(v, float) and abs(v - SMALL_CELL["estimate"]) < 1e-6
        for r in records
        for v in r.values()
    )
