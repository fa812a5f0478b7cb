"""The demo report says, for each gap the demo was built to move, what the data were built to
show, and claims nothing where the series is too short; the PDF says the same as the HTML."""

from __future__ import annotations

import pytest
from report_helpers import Page, collapse

from jamlik.demo import GAPS, INDICATORS

# The demo's truth (jamlik.demo.indicators), independent of the follow-up's computation.
EXPECTED = {"narrows": "narrowing", "widens": "widening"}
MIN_POINTS = 4  # a trend needs at least four periods (jamlik.measures.change)


def _dimension(gap) -> str:
    if gap.dimension != "education":
        return gap.dimension
    return next(i.education_dimension for i in INDICATORS if i.id == gap.indicator)


def _periods(indicator_id: str) -> int:
    return len(next(i.years for i in INDICATORS if i.id == indicator_id))


def _gap_sections(page: Page) -> dict[tuple[str, str], dict]:
    return {
        (s["attrs"]["data-indicator"], s["attrs"]["data-dimension"]): s
        for s in page.find("section")
        if s["attrs"].get("class") == "gap"
    }


@pytest.fixture(scope="module")
def pages(demo) -> dict[str, Page]:
    return {lang: Page(r.html.read_text(encoding="utf-8")) for lang, r in demo.reports.items()}


@pytest.fixture(scope="module")
def pdfs(demo_pdf_pages) -> dict[str, str]:
    return {lang: " ".join(pages) for lang, pages in demo_pdf_pages.items()}


@pytest.mark.parametrize("gap", GAPS, ids=lambda g: f"{g.indicator}-{g.dimension}")
def test_built_gaps_are_reported_as_built(gap, pages, pdfs):
    dimension = _dimension(gap)
    enough = _periods(gap.indicator) >= MIN_POINTS
    expected = EXPECTED[gap.direction] if enough else "too few points"
    for lang in ("sv", "en"):
        page = pages[lang]
        section = _gap_sections(page).get((gap.indicator, dimension))
        assert section is not None, f"no section for {gap.indicator} × {dimension} ({lang})"
        assert section["attrs"]["data-verdict"] == expected
        heading = Page.text(page.inside(section, "h4")[0]).lower()
        words = {
            ("sv", "narrowing"): "skillnaden minskar",
            ("sv", "widening"): "skillnaden ökar",
            ("sv", "too few points"): "för få mätpunkter",
            ("en", "narrowing"): "the gap is narrowing",
            ("en", "widening"): "the gap is widening",
            ("en", "too few points"): "too few points",
        }
        assert words[(lang, expected)] in heading
        sentence = Page.text(page.inside(section, "p")[0])
        assert sentence and collapse(sentence) in pdfs[lang]


def test_every_sentence_is_the_followups(demo, pages):
    """The sentence under each gap is the follow-up's own, word for word, in each language."""
    fu = demo.followup
    for lang, page in pages.items():
        sections = _gap_sections(page)
        headline = [
            (ind, g) for ind in fu.indicators for g in ind.gaps if g.area == ind.area and g.headline
        ]
        assert len(sections) == len(headline)
        for ind, g in headline:
            section = sections[(ind.indicator, g.dimension)]
            assert section["attrs"]["data-verdict"] == g.trend.verdict
            text = g.trend.text_sv if lang == "sv" else g.trend.text_en
            assert Page.text(page.inside(section, "p")[0]) == collapse(text)


def test_no_claim_without_enough_points(pages):
    """Where a series is too short the report gives no direction, in words or in markup."""
    for lang, page in pages.items():
        for section in _gap_sections(page).values():
            if section["attrs"]["data-verdict"] != "too few points":
                continue
            text = Page.text(section).lower()
            for claim in ("minskar", "ökar", "narrowing", "widening"):
                assert claim not in text, (lang, claim, text[:200])
