"""Data tables beside charts show whole: a wide or long table (reach against need, the
investments' tornado and scenario tables) is not cut off inside a small scroll box
(issue 19's polish). Debian's Chromium at a laptop's 1280 × 800."""

from __future__ import annotations

WHOLE = """() => [...document.querySelectorAll('.chart-pair .table-scroll')].map(b => ({
  id: b.querySelector('table').id,
  cutWide: b.scrollWidth > b.clientWidth + 1,
  cutLong: b.scrollHeight > b.clientHeight + 1,
}))"""


def cut_tables(page) -> list[dict]:
    """The chart-side tables of the open page that do not show whole in their box."""
    return [b for b in page.evaluate(WHOLE) if b["cutWide"] or b["cutLong"]]


def test_reach_against_need_tables_are_not_cut_off(page, site):
    page.set_viewport_size({"width": 1280, "height": 800})
    for initiative in ("ex-familjecentraler", "ex-lasning", "ex-foraldrastod"):
        page.goto(f"{site.url}/initiatives/{initiative}")
        assert page.locator(".chart-pair .table-scroll").count() >= 1
        assert not cut_tables(page), initiative
