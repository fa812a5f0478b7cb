"""Issue 19's polish of the report: district charts as small multiples, and the
reach-versus-need and tornado tables whole in the PDF."""

from __future__ import annotations

import re

import pytest
from report_helpers import Page, collapse

HIGHLIGHT = "#0072B2"  # PALETTE[0]: the panel's own district


@pytest.fixture(scope="module")
def html(demo) -> Page:
    return Page(demo.reports["sv"].html.read_text(encoding="utf-8"))


def _svg_of(raw: str, block_id: str) -> str:
    start = raw.index(f'id="{block_id}"')
    return raw[start : raw.index("</svg>", start)]


def test_district_charts_are_small_multiples(demo, html):
    """Ten districts: ten panels, each with its own district's line in colour over the others
    in grey, and no legend to match ten colours against."""
    raw = demo.reports["sv"].html.read_text(encoding="utf-8")
    blocks = [b for b in html.find("div") if b["attrs"].get("id", "").endswith("-district-level")]
    assert len(blocks) >= 5
    for block in blocks:
        [table] = html.inside(block, "table")
        districts = [Page.text(th) for th in html.inside(table, "th")
                     if th["attrs"].get("scope") == "col"][1:]  # fmt: skip
        assert len(districts) == 10
        svg = _svg_of(raw, block["attrs"]["id"])
        assert "role-legend" not in svg
        own = re.findall(r'class="mark-line role-mark child_layer_1[^"]*"', svg)
        assert len(own) == len(districts)
        assert svg.count(f'stroke="{HIGHLIGHT}"') == len(districts)
        headers = re.findall(r"role-(?:row|column)-header", svg)
        assert headers  # panel titles
        for name in districts:
            assert f">{name}</text>" in svg


def test_reach_and_tornado_tables_are_whole_in_the_pdf(html, demo_pdf_pages):
    """Every row of the reach-versus-need and tornado tables, first cell to last, is printed
    on the page its caption is on (or the next, when the table runs over)."""
    pages = demo_pdf_pages["sv"]
    tables = [t for t in html.find("table")
              if t["attrs"].get("id", "").endswith(("-reach-need-table", "-tornado-table"))]  # fmt: skip
    kinds = {t["attrs"]["id"].rsplit("-", 2)[-2] for t in tables}
    assert kinds == {"need", "tornado"}, kinds
    for table in tables:
        caption = collapse(Page.text(html.inside(table, "caption")[0]))
        rows = [
            [collapse(Page.text(c)) for c in html.inside(row, "th") + html.inside(row, "td")]
            for row in html.inside(table, "tr")[1:]
        ]
        # Investments share captions: the table's page is the one with its caption and first row.
        at = next(i for i, p in enumerate(pages) if caption in p and rows[0][0] in p)
        text = " ".join(pages[at : at + 2])
        for cells in rows:
            assert f"{cells[0]} " in text and f" {cells[-1]}" in text, (caption, cells)
