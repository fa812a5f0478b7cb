"""The council summary at the front of the demo report: its counts agree with the chapters
behind it (counted from the HTML's gap sections, not from the summary's own code), it names
the widening gaps that no initiative addresses, and it fills two to four PDF pages."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from report_helpers import Page, collapse

TITLE = "Sammanfattning för kommunstyrelsen och kommunfullmäktige"


@pytest.fixture(scope="module")
def html(demo) -> Page:
    return Page(demo.reports["sv"].html.read_text(encoding="utf-8"))


def _council(html: Page) -> dict:
    [section] = html.find("section", **{"class": "council"})
    return section


def test_council_summary_is_the_first_chapter(html, demo):
    h2 = [Page.text(h) for h in html.find("h2")]
    assert h2[0] == "Innehåll" and h2[1] == TITLE
    toc = [Page.text(a) for a in html.inside(html.find("nav")[0], "a")]
    assert toc[0] == TITLE


def test_gap_counts_agree_with_the_chapters(html):
    chapters = Counter(s["attrs"]["data-verdict"] for s in html.find("section", **{"class": "gap"}))
    text = collapse(Page.text(_council(html)))
    found = re.search(
        r"följer (\d+) skillnader .*?(\d+) har minskat, (\d+) har ökat och för (\d+) går", text
    )
    assert found, text[:600]
    n, narrowing, widening, unclear = map(int, found.groups())
    assert n == sum(chapters.values())
    assert (narrowing, widening, unclear) == (
        chapters["narrowing"],
        chapters["widening"],
        chapters["no clear change"],
    )
    assert widening > 0 and narrowing > 0  # the demo has both: the check can fail


def test_widening_gaps_without_initiatives_are_named(html):
    """Indicators whose chapter shows a widening gap and says no initiative is linked."""
    expected = set()
    for ind in html.find("section", **{"class": "indicator"}):
        gaps = html.inside(ind, "section")
        text = Page.text(ind)
        if "Inga insatser är kopplade till indikatorn." in text and any(
            g["attrs"].get("data-verdict") == "widening" for g in gaps
        ):
            expected.add(Page.text(html.inside(ind, "h3")[0]))
    assert expected  # the demo has such an indicator
    council = _council(html)
    [head] = [h for h in html.inside(council, "h4")
              if Page.text(h) == "Skillnader som ökar utan någon insats"]  # fmt: skip
    after = html.elements[html.elements.index(head) :]
    ul = next(e for e in after if e["tag"] == "ul")
    named = {Page.text(strong) for strong in html.inside(ul, "strong")}
    assert named == expected


def test_council_summary_fills_two_to_four_pdf_pages(demo_pdf_pages):
    pages = demo_pdf_pages["sv"]
    start = next(i for i, p in enumerate(pages) if f"1 {TITLE}" in p and "Innehåll" not in p)
    end = next(i for i, p in enumerate(pages) if "Status för varje målområde med skälen" in p)
    assert 2 <= end - start <= 4, (start, end)
