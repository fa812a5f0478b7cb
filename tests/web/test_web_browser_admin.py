"""The administration pages in a real browser (Debian's Chromium driven by Playwright): an
administrator signs in through the form, creates an account, finds it in the audit log and
makes an API token; axe-core finds no WCAG 2.1 A/AA violation on any of these pages."""

from __future__ import annotations

from live_site import LiveSite
from web_helpers import no_violations


def test_administrator_creates_an_account_and_reads_the_audit_log(tab, live: LiveSite):
    live.sign_in(tab, "admin")
    account = tab.get_by_role("navigation", name="Ditt konto")
    account.get_by_role("link", name="Administration").click()
    tab.wait_for_url("**/admin")
    assert tab.locator("h1").inner_text() == "Administration"
    assert (
        account.get_by_role("link", name="Administration").get_attribute("aria-current") == "page"
    )
    no_violations(tab, "/admin")

    tab.get_by_role("link", name="Konton").click()
    tab.wait_for_url("**/admin/users")
    no_violations(tab, "/admin/users")
    tab.get_by_role("link", name="Nytt konto").click()
    tab.wait_for_url("**/admin/users/new")
    no_violations(tab, "the new-account form")

    # A mistake first: the error summary links to the field and passes axe too.
    tab.get_by_label("Användarnamn").fill("x")
    tab.get_by_label("Roll").select_option("editor")
    tab.get_by_role("button", name="Skapa kontot").click()
    summary = tab.locator("#problems")
    assert "minst en organisation" in summary.inner_text()
    assert tab.get_by_label("Användarnamn").get_attribute("aria-invalid") == "true"
    no_violations(tab, "the new-account form with errors")
    summary.get_by_role("link", name="Användarnamn: skriv 2–80 tecken", exact=False).click()
    assert tab.evaluate("document.activeElement.id") == "name"

    tab.get_by_label("Användarnamn").fill("britt.webb")
    tab.get_by_label("Namn", exact=True).fill("Britt Webb")
    tab.get_by_label("Socialnämnden").check()
    tab.keyboard.press("Enter")  # submits the form from the keyboard
    tab.wait_for_selector("#one-time-password")
    assert "Kontot britt.webb är skapat" in tab.locator("#notice").inner_text()
    assert len(tab.locator("#one-time-password").inner_text()) >= 10
    no_violations(tab, "the account page with its one-time password")

    tab.goto(live.url + "/admin/audit?entity=user&entity_id=britt.webb")
    rows = tab.locator("#audit-log tbody tr")
    assert rows.count() == 2
    assert "create" in rows.nth(1).inner_text() and "admin" in rows.nth(1).inner_text()
    assert "satt till Britt Webb" in rows.nth(1).inner_text()
    no_violations(tab, "/admin/audit")

    tab.goto(live.url + "/account/tokens")
    no_violations(tab, "/account/tokens")
    tab.get_by_label("Namn", exact=True).fill("Webbtest")
    tab.get_by_role("button", name="Skapa nyckeln").click()
    token = tab.get_by_label("Ny API-nyckel").input_value()
    assert token.startswith("jamlik_")
    assert f"Bearer {token}" in tab.locator("#curl-example").inner_text()
    no_violations(tab, "/account/tokens with a new token")


def test_english_pages_pass_axe_too(tab, live: LiveSite):
    live.sign_in(tab, "admin")
    for path in ("/admin?lang=en", "/admin/users", "/admin/users/reader", "/admin/audit",
                 "/account/tokens"):  # fmt: skip
        tab.goto(live.url + path)
        assert tab.locator("html").get_attribute("lang") == "en"
        no_violations(tab, f"{path} in English")
