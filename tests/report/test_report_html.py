"""The HTML report is well-formed, self-contained and built for assistive technology."""

from __future__ import annotations

import re

import pytest
from report_helpers import Page

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@pytest.fixture(scope="module", params=["sv", "en"])
def page(request, demo) -> tuple[str, str, Page]:
    html = demo.reports[request.param].html.read_text(encoding="utf-8")
    return request.param, html, Page(html)


def test_well_formed(page):
    _, html, parsed = page
    assert html.startswith("<!DOCTYPE html>")
    assert parsed.errors == []
    ids = [e["attrs"]["id"] for e in parsed.elements if "id" in e["attrs"]]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert duplicates == []


def test_language_and_title(page):
    lang, _, parsed = page
    assert parsed.find("html")[0]["attrs"]["lang"] == lang
    assert Page.text(parsed.find("title")[0])


def test_one_h1_and_headings_in_order(page):
    _, _, parsed = page
    levels = [int(e["tag"][1]) for e in parsed.elements if e["tag"] in HEADINGS]
    assert levels.count(1) == 1 and levels[0] == 1
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert jumps == []
    assert all(Page.text(e) for e in parsed.elements if e["tag"] in HEADINGS)


def test_landmarks_and_skip_link(page):
    _, _, parsed = page
    for tag in ("header", "nav", "main", "footer"):
        assert len(parsed.find(tag)) == 1, tag
    main = parsed.find("main")[0]
    links = parsed.find("a")
    assert links[0]["attrs"]["href"] == "#" + main["attrs"]["id"]
    assert "skip-link" in links[0]["attrs"]["class"]
    # every in-page link points at an element that exists
    ids = {e["attrs"]["id"] for e in parsed.elements if "id" in e["attrs"]}
    targets = [a["attrs"]["href"][1:] for a in links if a["attrs"].get("href", "").startswith("#")]
    assert set(targets) <= ids


def test_every_graphic_has_a_text_alternative(page):
    _, _, parsed = page
    svgs = [e for e in parsed.find("svg")]
    assert svgs, "the demo report has charts"
    for svg in svgs:
        assert svg["attrs"].get("role") == "img"
        label = svg["attrs"].get("aria-label", "")
        assert len(label) > 30 and label.endswith("."), label
    for img in parsed.find("img"):
        assert img["attrs"].get("alt")


def test_every_chart_has_a_data_table(page):
    _, _, parsed = page
    blocks = [e for e in parsed.find("div") if "chart-block" in e["attrs"].get("class", "").split()]
    assert len(blocks) == len(parsed.find("svg"))
    for block in blocks:
        assert len(parsed.inside(block, "svg")) == 1
        tables = parsed.inside(block, "table")
        assert len(tables) == 1
        assert Page.text(parsed.inside(tables[0], "caption")[0])
        headers = parsed.inside(tables[0], "th")
        assert headers and all(th["attrs"].get("scope") in ("col", "row") for th in headers)
        assert len(parsed.inside(tables[0], "tr")) >= 2


def test_all_tables_have_captions_and_scoped_headers(page):
    _, _, parsed = page
    for table in parsed.find("table"):
        assert parsed.inside(table, "caption")
    for th in parsed.find("th"):
        assert th["attrs"].get("scope") in ("col", "row")


def test_scrollable_regions_are_named_and_focusable(page):
    _, _, parsed = page
    for wrap in (e for e in parsed.find("div") if e["attrs"].get("class") == "table-wrap"):
        assert wrap["attrs"]["role"] == "region"
        assert wrap["attrs"]["tabindex"] == "0"
        assert wrap["attrs"]["aria-labelledby"]


def test_self_contained(page):
    _, html, parsed = page
    external = re.compile(r"^\s*(https?:)?//", re.I)
    for element in parsed.elements:
        for attr in ("src", "href", "xlink:href", "action", "data", "poster"):
            value = element["attrs"].get(attr) or ""
            assert not external.match(value), (element["tag"], attr, value)
    assert parsed.find("script") == []
    assert parsed.find("link") == []
    assert "@import" not in html and "url(" not in html


def test_print_styles_and_contrast_of_the_css(page):
    _, html, _ = page
    css = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "@media print" in css
    # Every text colour on the page background reaches 4.5:1 (WCAG 2.1 AA), computed here.
    colours = set(re.findall(r"--(?:ink|muted|link):\s*(#[0-9a-fA-F]{6})", css))
    assert len(colours) == 3
    for colour in colours:
        assert contrast(colour, "#ffffff") >= 4.5, colour


def test_fictitious_banner_on_demo(page):
    lang, _, parsed = page
    banner = [e for e in parsed.find("p") if e["attrs"].get("class") == "banner"]
    assert len(banner) == 1
    word = "Fiktiva exempeldata" if lang == "sv" else "Fictitious example data"
    assert word in Page.text(banner[0])
    assert word in Page.text(parsed.find("footer")[0])


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two sRGB colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
