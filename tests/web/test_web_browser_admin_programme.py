"""The programme and indicator administration in a real browser (Debian's Chromium driven by
Playwright, against a real uvicorn serving a writable copy of the demo): an administrator signs
in through the form, renames a node and finds the new title on /programme; a mistake is shown
in the error summary linked to its field; axe-core finds no WCAG 2.1 A/AA violation on the
tree, the node form, the indicator list and the indicator form."""

from __future__ import annotations

from live_site import LiveSite
from web_helpers import no_violations


def test_administrator_renames_a_node_and_sees_it_on_the_programme(tab, live: LiveSite):
    live.sign_in(tab, "admin")
    tab.goto(live.url + "/admin/programme")
    assert tab.locator("h1").inner_text() == "Programträdet"
    assert tab.locator("#published-yes").is_checked()
    no_violations(tab, "/admin/programme")

    tab.locator("#admin-tree").get_by_role(
        "link", name="Skapa hållbara och jämlika livsmiljöer"
    ).click()
    tab.wait_for_url("**/admin/programme/nodes/ex-ta3")
    no_violations(tab, "the node form")

    # A mistake the browser does not catch itself: the server names it, linked to its field.
    tab.get_by_label("Nummer").fill("tre")
    with tab.expect_navigation():
        tab.get_by_role("button", name="Spara", exact=True).click()
    summary = tab.locator("#problems")
    message = "Nummer: skriv ett heltal, inte 'tre'."
    assert message in summary.inner_text()
    no_violations(tab, "the node form with a mistake")
    summary.get_by_role("link", name=message).click()
    assert tab.evaluate("document.activeElement.id") == "order"  # the link leads to the field

    tab.get_by_label("Nummer").fill("3")
    tab.get_by_label("Rubrik", exact=True).fill("Trygga och jämlika bostadsområden")
    with tab.expect_navigation():
        tab.get_by_role("button", name="Spara", exact=True).click()
    assert "Ändringarna är sparade." in tab.locator("#notice").inner_text()

    tab.goto(live.url + "/programme")
    assert tab.get_by_role("link", name="Trygga och jämlika bostadsområden").count() == 1


def test_indicator_pages_pass_axe(tab, live: LiveSite):
    live.sign_in(tab, "admin")
    tab.goto(live.url + "/admin/indicators")
    no_violations(tab, "/admin/indicators")
    tab.get_by_role("link", name="Elever i åk 9 som är behöriga till yrkesprogram").click()
    tab.wait_for_url("**/admin/indicators/ex-behorighet-gymnasiet")
    no_violations(tab, "the indicator form")
    tab.get_by_label("Mål 1: År").fill("sen")
    with tab.expect_navigation():
        tab.get_by_role("button", name="Spara", exact=True).click()
    assert "Mål 1, år: skriv ett årtal" in tab.locator("#problems").inner_text()
    no_violations(tab, "the indicator form with a mistake")


def test_english_admin_pages_pass_axe(tab, live: LiveSite):
    live.sign_in(tab, "admin")
    for path in ("/admin/programme", "/admin/programme/nodes/ex-fa2", "/admin/indicators",
                 "/admin/indicators/ex-kulturskola"):  # fmt: skip
        tab.goto(f"{live.url}{path}?lang=en")
        assert tab.locator("html").get_attribute("lang") == "en"
        no_violations(tab, f"{path} in English")
