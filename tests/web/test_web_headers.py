"""Security headers on every answer, and the pages still working under the Content-Security-
Policy in Chromium: charts drawn, forms usable, and not one CSP violation reported."""

from __future__ import annotations

import httpx
import pytest
from accounts_site import OWN_INITIATIVE

from jamlik.web.hardening import HEADERS

# Collects every violation the browser reports, before any page script runs.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.mark.parametrize(
    "path", ["/", "/explorer", "/initiatives.json", "/static/css/jamlik.css", "/no-such-page"]
)
def test_every_answer_carries_the_headers(site, path):
    answer = httpx.get(site.url + path, timeout=60)
    assert answer.status_code in (200, 404)
    for name, value in HEADERS.items():
        assert answer.headers.get(name) == value, (path, name, answer.headers.get(name))
    csp = answer.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp


def test_the_templates_hold_no_inline_script_or_style():
    """What the policy forbids is not written: no script but JSON data blocks, no on*=
    handler, no style attribute or element (checked in the templates, where pages come from)."""
    import re
    from pathlib import Path

    import jamlik.web

    root = Path(jamlik.web.__file__).parent / "templates"
    for template in root.rglob("*.html"):
        text = re.sub(r"{{.*?}}|{%.*?%}|{#.*?#}", "", template.read_text("utf-8"), flags=re.S)
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, (template.name, tag)
        for tag in re.findall(r"<[a-zA-Z][^>]*>", text):
            assert not re.search(r"\s(on[a-z]+|style)\s*=", tag), (template.name, tag)
        assert "<style" not in text, template.name


def _csp_clean(tab, url: str) -> None:
    tab.goto(url)
    tab.wait_for_load_state("networkidle")
    assert tab.evaluate("window.__csp") == [], url


def test_explorer_and_target_area_charts_draw_under_the_policy(browser, site):
    from web_helpers import browser_tab

    with browser_tab(browser) as tab:
        tab.add_init_script(WATCH_CSP)
        _csp_clean(tab, site.url + "/explorer")
        tab.wait_for_selector(".chart[data-embedded] .chart-live svg")
        _csp_clean(tab, site.url + "/programme/ex-ta1")
        assert tab.locator(".chart[data-embedded] .chart-live svg").count() >= 1
        # A tooltip appears on a mark and takes its style from the site's stylesheet.
        tab.locator(".chart-live svg path, .chart-live svg rect").first.hover(force=True)
        assert tab.evaluate("window.__csp") == []


def test_edit_form_works_under_the_policy(live, tab):
    tab.add_init_script(WATCH_CSP)
    live.sign_in(tab, "editor-own")
    _csp_clean(tab, f"{live.url}/initiatives/{OWN_INITIATIVE}/edit")
    tab.get_by_label("Uppföljningsanteckning").fill("Sparat under CSP.")
    with tab.expect_navigation():
        tab.get_by_role("button", name="Spara").click()
    assert f"/initiatives/{OWN_INITIATIVE}?saved" in tab.url, tab.url
    assert "Sparat under CSP." in tab.content()
    assert tab.evaluate("window.__csp") == []
