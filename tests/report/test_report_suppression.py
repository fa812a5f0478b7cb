"""No suppressed value appears anywhere in a report: HTML, PDF text, CSV files or chart data.

The constructed world (report_helpers) hides a district's 87.654 (6 people) at any threshold and
another's 91.234 (25 people) at a threshold of 30. The same checks run on a control report with
a threshold of 5, where 87.654 must show: that proves the checks can see the value at all.
"""

from __future__ import annotations

import re

import pytest
from report_helpers import PROGRAMME, SMALL, TINY, Page, csv_text, forms, pdf_text

from jamlik.followup import build_followup
from jamlik.programme import read_programme
from jamlik.report import build_document, select_investments
from jamlik.report.i18n import t

# SVG geometry is numbers that encode positions, not values: they are checked through the
# chart data instead (a hidden point has no value, so it is not drawn).
GEOMETRY = {"d", "transform", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width",
            "height", "viewbox", "points", "stroke-dasharray", "stroke-width", "font-size",
            "opacity", "stroke-miterlimit", "stroke-opacity", "fill-opacity"}  # fmt: skip


def html_words(html: str) -> str:
    """The whole HTML source less the values of SVG geometry attributes."""
    names = "|".join(re.escape(n) for n in GEOMETRY)
    return re.sub(rf'\s(?:{names})="[^"]*"', " ", html, flags=re.I)


def outputs(files) -> dict[str, str]:
    html = files.html.read_text(encoding="utf-8")
    return {
        "html": html_words(html),
        "html comma forms": html,  # geometry never uses a decimal comma
        "pdf": pdf_text(files.pdf),
        "csv": csv_text(files.tables),
    }


def shown(value: float, text: str, name: str) -> list[str]:
    candidates = forms(value)
    if name == "html comma forms":
        candidates = [c for c in candidates if "," in c]
    return [c for c in candidates if re.search(rf"(?<![\d.,]){re.escape(c)}(?!\d)", text)]


@pytest.mark.parametrize("key", [("sv", 10), ("en", 10), ("sv", 30)], ids=str)
def test_tiny_cell_never_shown(constructed_reports, key):
    for name, text in outputs(constructed_reports[key]).items():
        assert shown(TINY[3], text, name) == [], name


def test_threshold_hides_the_small_cell_too(constructed_reports):
    for name, text in outputs(constructed_reports[("sv", 30)]).items():
        assert shown(SMALL[3], text, name) == [], name


def test_controls_show_what_the_threshold_allows(constructed_reports):
    """At threshold 10 the 25-person cell shows; at threshold 5 even the 6-person one does."""
    at_10 = outputs(constructed_reports[("sv", 10)])
    assert shown(SMALL[3], at_10["html"], "html")
    assert shown(SMALL[3], at_10["pdf"], "pdf")
    assert shown(SMALL[3], at_10["csv"], "csv")
    at_5 = outputs(constructed_reports[("sv", 5)])
    assert shown(TINY[3], at_5["html"], "html")
    assert shown(TINY[3], at_5["pdf"], "pdf")
    assert shown(TINY[3], at_5["csv"], "csv")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_suppressed_cells_say_so(constructed_reports, lang):
    files = constructed_reports[(lang, 10)]
    word = t("suppressed", lang)
    assert word == ("Dold (för få personer)" if lang == "sv" else "Suppressed (too few people)")
    page = Page(files.html.read_text(encoding="utf-8"))
    hidden_cells = [td for td in page.find("td") if "suppressed" in td["attrs"].get("class", "")]
    # Each hidden cell says why: too few people, or protecting another hidden value.
    protects = t("suppressed_secondary", lang)
    assert hidden_cells and all(Page.text(td) in (word, protects) for td in hidden_cells)
    assert any(Page.text(td) == word for td in hidden_cells)
    assert word in csv_text(files.tables)
    assert word in pdf_text(files.pdf)
    # the initiative reached 7 people in 2025: the count is withheld, the line says why
    initiatives = " ".join(Page.text(li) for li in page.find("li"))
    assert word in initiatives and "2025" in initiatives


def test_chart_data_hold_no_hidden_value(constructed, tmp_path):
    """The specifications (shared with the web) carry a hidden point as null, or not at all."""
    fu = build_followup(constructed, PROGRAMME, 2025, min_population=30)
    with constructed.session() as session:
        programme = read_programme(session, PROGRAMME)
    investments = select_investments(constructed, PROGRAMME, "programme", min_population=30)
    doc = build_document(fu, programme, "sv", draw=False, investments=investments)
    assert doc.investments is not None and doc.investments.blocks[0].charts
    values = [
        v
        for chart in doc.charts()
        for row in chart.spec["data"]["values"]
        for k, v in row.items()
        if isinstance(v, float)
    ]
    assert values, "the charts have data"
    for hidden in (TINY[3], SMALL[3]):
        assert all(abs(v - hidden) > 1e-6 for v in values)
    flagged = [
        row
        for chart in doc.charts()
        for row in chart.spec["data"]["values"]
        if row.get("suppressed")
    ]
    assert len(flagged) >= 2 and all(row["value"] is None for row in flagged)


def test_a_stored_effect_is_checked_against_the_reports_threshold(constructed):
    """The investment's effect series was stored at the default threshold; d2's 2022 value
    rests on 25 people, so a report at 30 withholds that period (and only that one)."""
    at = {n: select_investments(constructed, PROGRAMME, "programme", min_population=n)
          for n in (10, 30)}  # fmt: skip
    assert at[10].items[0].hidden_periods == frozenset()
    assert at[30].items[0].hidden_periods == frozenset({SMALL[1]})
    stored = at[10].items[0].result.effect
    assert stored.treated == [SMALL[0]]
    assert any(p.period == SMALL[1] and p.treated == pytest.approx(SMALL[3]) for p in stored.series)
    assert TINY[0] not in stored.comparison  # its suppressed year keeps it out of the panel
