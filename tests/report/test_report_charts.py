"""Chart specifications: one per kind, valid Vega-Lite, accessible palette, drawn as labelled SVG."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_report_html import contrast

from jamlik.report.charts import (
    DASHES,
    PALETTE,
    SHAPES,
    Point,
    ReachPoint,
    gap_spec,
    level_spec,
    mid_sentence,
    reach_spec,
)
from jamlik.report.svg import for_inline_html, render_svg

PERIODS = ["2021", "2022", "2023", "2024"]


def _level(lang="sv", hide=True):
    points = [
        Point(p, g, None if (hide and p == "2022" and g == "Kvinnor") else 40.0 + i + k,
              suppressed=hide and p == "2022" and g == "Kvinnor")
        for i, p in enumerate(PERIODS)
        for k, g in enumerate(["Kvinnor", "Män"])
    ]  # fmt: skip
    return level_spec(points, periods=PERIODS, groups=["Kvinnor", "Män"],
                      indicator="Andel behöriga", dimension="kön", unit="Procent", lang=lang)  # fmt: skip


def _gap(lang="sv"):
    points = [
        Point(p, "D", 2.5 - 0.5 * i, 2.0 - 0.5 * i, 3.0 - 0.5 * i) for i, p in enumerate(PERIODS)
    ]
    return gap_spec(points, periods=PERIODS, measure="Differens", null_value=0.0,
                    indicator="Andel behöriga", dimension="kön", axis_title="D", lang=lang)  # fmt: skip


def test_palette_contrast_and_distinct_cues():
    assert len(set(PALETTE)) == len(PALETTE) >= 8
    for colour in PALETTE:
        assert contrast(colour, "#ffffff") >= 4.5, colour
    # colour is never the only cue: dash and shape differ for neighbouring groups
    for i in range(len(PALETTE) - 1):
        assert (DASHES[i], SHAPES[i]) != (DASHES[i + 1], SHAPES[i + 1])


# The browser runs the Vega-Lite that frontend/package.json pins; specs must declare that major.
_PACKAGE = Path(__file__).resolve().parents[2] / "frontend" / "package.json"
VENDORED_MAJOR = json.loads(_PACKAGE.read_text())["dependencies"]["vega-lite"].lstrip("^~")[0]


def test_specifications_are_plain_json_with_schema_and_description():
    for spec in (_level(), _gap(), reach_spec([ReachPoint("Åby", 10.0, 40.0)],
                 initiative="Läxhjälp", need_title="Behov", period="2025", lang="sv")):  # fmt: skip
        assert spec["$schema"].endswith(f"/vega-lite/v{VENDORED_MAJOR}.json")
        assert json.loads(json.dumps(spec)) == spec
        assert spec["description"].endswith(".") and len(spec["description"]) > 40


def test_suppressed_points_travel_as_null_with_a_note():
    spec = _level()
    hidden = [r for r in spec["data"]["values"] if r["suppressed"]]
    assert len(hidden) == 1 and hidden[0]["value"] is None
    assert "för få personer" in spec["title"]["text"]
    assert "title" not in _level(hide=False)
    # lines break at a hidden point instead of bridging it
    assert spec["config"]["mark"]["invalid"].startswith("break-paths")


def test_gap_has_band_line_and_equality_reference():
    layers = _gap()["layer"]
    marks = [layer["mark"]["type"] for layer in layers]
    assert marks[:3] == ["area", "line", "rule"]
    assert layers[0]["encoding"]["y"]["field"] == "ci_lb"
    assert layers[0]["encoding"]["y2"]["field"] == "ci_ub"
    assert layers[2]["data"]["values"] == [{"reference": 0.0}]


def test_axis_titles_follow_the_language():
    assert _level("sv")["encoding"]["x"]["title"] == "År"
    assert _level("en")["encoding"]["x"]["title"] == "Year"
    assert "konfidensintervall" in _gap("sv")["description"]
    assert "confidence interval" in _gap("en")["description"]


@pytest.mark.parametrize("lang,mark", [("sv", ","), ("en", ".")])
def test_svg_is_labelled_and_uses_the_languages_decimal_mark(lang, mark):
    svg = render_svg(_gap(lang), lang)
    opening = re.match(r"<svg\b[^>]*>", svg).group(0)
    assert 'role="img"' in opening and "aria-label=" in opening
    assert "<title>" in svg
    ticks = [
        x for x in re.findall(r"<text[^>]*>([^<]*)</text>", svg) if re.fullmatch(r"[\d.,]+", x)
    ]
    decimals = [x for x in ticks if not re.fullmatch(r"20\d\d", x)]  # the y axis, not years
    assert len(decimals) >= 3
    assert all(re.fullmatch(rf"\d+{re.escape(mark)}\d\d", x) for x in decimals), decimals
    assert "width=" not in re.match(r"<svg\b[^>]*>", for_inline_html(svg)).group(0)


def test_titles_read_naturally_inside_sentences():
    assert mid_sentence("Inskrivna barn") == "inskrivna barn"
    assert mid_sentence("KAA-insatser") == "KAA-insatser"
