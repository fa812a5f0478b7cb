"""Vega-Lite chart specifications: one per chart kind, shared by the web, the HTML and the PDF.

The schema major version is the one the web vendors (frontend/package.json), so browsers
render the specifications without a version warning.

Each function returns a plain dict that vega-embed can show as it is and that `render_svg`
turns into SVG for the reports. The data travel inside the specification (`data.values`), so
callers hand over points that have already been through röjandekontroll: a suppressed point
carries no value (null), which breaks its line instead of bridging the gap, and the chart then
says below itself that points are missing for that reason.

Colour is never the only cue: every group also gets its own dash pattern and point shape
(palette and styling in `jamlik.report.chartstyle`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jamlik.report.chartstyle import (
    BAND,
    DASHES,
    HEIGHT,
    INK,
    MUTED,
    PALETTE,
    SHAPES,
    WIDTH,
    chart_config,
)
from jamlik.report.i18n import Lang, percent_level, t

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


@dataclass(frozen=True)
class Point:
    """One value of a series at one period, after suppression.

    `value` None with `suppressed` True: hidden because it rests on too few people;
    `value` None with `suppressed` False: missing. The interval is optional.
    """

    period: str
    group: str
    value: float | None
    ci_lb: float | None = None
    ci_ub: float | None = None
    suppressed: bool = False
    secondary: bool = False  # hidden to protect another hidden value, not for its own size


@dataclass(frozen=True)
class ReachPoint:
    """One district in a reach-versus-need chart: need on x, reach per 1 000 on y."""

    area: str
    need: float | None
    reach_per_1000: float | None
    suppressed: bool = False


def _period_axis(periods: Sequence[str], lang: Lang) -> dict[str, Any]:
    long_labels = any(len(p) > 4 for p in periods)
    return {
        "field": "period",
        "type": "ordinal",
        "title": t("axis_period", lang),
        "scale": {"domain": list(periods)},
        "axis": {"labelAngle": -40 if long_labels else 0, "labelOverlap": "greedy"},
    }


def _note(any_suppressed: bool, lang: Lang) -> dict[str, Any] | None:
    if not any_suppressed:
        return None
    return {
        "text": t("suppressed_points_note", lang),
        "orient": "bottom",
        "anchor": "start",
        "fontSize": 11,
        "fontWeight": "normal",
        "color": MUTED,
        "offset": 12,
    }


def _base(description: str, any_suppressed: bool, lang: Lang) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "$schema": SCHEMA,
        "description": description,
        "width": WIDTH,
        "height": HEIGHT,
        "config": chart_config(),
    }
    note = _note(any_suppressed, lang)
    if note:
        spec["title"] = note
    return spec


def _rows(points: Sequence[Point]) -> list[dict[str, Any]]:
    # Suppressed points travel as null: their existence is public, their value is not.
    return [
        {
            "period": p.period,
            "group": p.group,
            "value": None if p.suppressed else p.value,
            "ci_lb": None if p.suppressed else p.ci_lb,
            "ci_ub": None if p.suppressed else p.ci_ub,
            "suppressed": p.suppressed,
        }
        for p in points
    ]


def _span(periods: Sequence[str]) -> tuple[str, str]:
    return (periods[0], periods[-1]) if periods else ("", "")


def level_spec(
    points: Sequence[Point],
    *,
    periods: Sequence[str],
    groups: Sequence[str],
    indicator: str,
    dimension: str,
    unit: str,
    lang: Lang,
    decimals: int = 1,
) -> dict[str, Any]:
    """Level by subgroup over time: one line per group, in the order `groups` lists them."""
    first, last = _span(periods)
    alt = t("alt_level", lang, indicator=mid_sentence(indicator), dimension=mid_sentence(dimension),
            first=first, last=last)  # fmt: skip
    spec = _base(alt, any(p.suppressed for p in points), lang)
    n = max(1, len(groups))
    legend = {"title": dimension[:1].upper() + dimension[1:] if dimension else None}
    value_format = f",.{decimals}f"
    spec.update(
        {
            "data": {"values": _rows(points)},
            # strokeDash has no legend of its own while colour and shape share one: resolved
            # together, Vega-Lite warns of a conflicting "disable" on every chart page.
            "resolve": {"legend": {"strokeDash": "independent"}},
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": _period_axis(periods, lang),
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": unit,
                    "scale": {"zero": False},
                    "axis": {"format": value_format},
                },
                "color": {
                    "field": "group",
                    "type": "nominal",
                    "scale": {"domain": list(groups), "range": list(_cycle(PALETTE, n))},
                    "legend": legend,
                },
                # Dashes tell crossing lines apart; the legend keys groups by colour and
                # shape (a dashed outline round a legend symbol only blurs it).
                "strokeDash": {
                    "field": "group",
                    "type": "nominal",
                    "scale": {"domain": list(groups), "range": list(_cycle(DASHES, n))},
                    "legend": None,
                },
                "shape": {
                    "field": "group",
                    "type": "nominal",
                    "scale": {"domain": list(groups), "range": list(_cycle(SHAPES, n))},
                    "legend": legend,
                },
                "tooltip": [
                    {"field": "group", "title": t("axis_subgroup", lang)},
                    {"field": "period", "title": t("period", lang)},
                    {"field": "value", "title": unit, "format": value_format},
                ],
            },
        }
    )
    return spec


MULTIPLES_FROM = 7  # from this many groups a level chart is drawn as small multiples
MULTIPLES_COLUMNS = 5
CONTEXT = "#BDBDBD"  # the other groups' lines behind the highlighted one (context, not data)


def level_multiples_spec(
    points: Sequence[Point],
    *,
    periods: Sequence[str],
    groups: Sequence[str],
    indicator: str,
    dimension: str,
    unit: str,
    lang: Lang,
    decimals: int = 1,
) -> dict[str, Any]:
    """Level by subgroup as small multiples: one small panel per group, its own line in colour
    over every other group's line in light grey, on one shared y scale (issue 19: ten coloured
    lines in one plot cannot be told apart on paper). Each panel is titled with its group, so
    no legend and no colour has to be matched."""
    first, last = _span(periods)
    alt = t("alt_level_multiples", lang, indicator=mid_sentence(indicator),
            dimension=mid_sentence(dimension), first=first, last=last)  # fmt: skip
    spec = _base(alt, any(p.suppressed for p in points), lang)
    del spec["width"], spec["height"]
    value_format = f",.{decimals}f"
    rows = [
        {**row, "panel": panel, "highlight": row["group"] == panel}
        for panel in groups
        for row in _rows(points)
    ]
    x = {
        "field": "period",
        "type": "ordinal",
        "title": None,
        "scale": {"domain": list(periods)},
        # Only the first and last period: a panel is too narrow for every label.
        # (aligned inwards, so neighbouring panels' labels do not run into each other).
        "axis": {"values": [first, last] if first != last else [first], "labelAngle": 0,
                 "labelFontSize": 10, "labelPadding": 2,
                 "labelAlign": {"condition": {"test": f"datum.value === {json.dumps(first)}",
                                              "value": "left"}, "value": "right"}},
    }  # fmt: skip
    y = {
        "field": "value",
        "type": "quantitative",
        "title": unit or None,
        "scale": {"zero": False},
        "axis": {"format": value_format, "tickCount": 3, "labelFontSize": 10},
    }
    n_columns = min(MULTIPLES_COLUMNS, max(1, len(groups)))
    spec.update(
        {
            "data": {"values": rows},
            "facet": {
                "field": "panel",
                "type": "nominal",
                "sort": list(groups),
                "title": None,
                "header": {
                    "labelFontSize": 11,
                    "labelFontWeight": "bold",
                    "labelColor": INK,
                    "labelLimit": 120,
                    "labelPadding": 2,
                },
            },  # fmt: skip
            "columns": n_columns,
            "spacing": {"row": 10, "column": 12},
            "spec": {
                "width": max(60, (WIDTH - 40) // n_columns - 8),
                "height": 62,
                "layer": [
                    {
                        "transform": [{"filter": "!datum.highlight"}],
                        "mark": {"type": "line", "color": CONTEXT, "strokeWidth": 1},
                        "encoding": {"x": x, "y": y, "detail": {"field": "group"}},
                    },
                    {
                        "transform": [{"filter": "datum.highlight"}],
                        "mark": {
                            "type": "line",
                            "point": {"size": 14},
                            "color": PALETTE[0],
                            "strokeWidth": 2,
                        },
                        "encoding": {
                            "x": x,
                            "y": y,
                            "tooltip": [
                                {"field": "group", "title": t("axis_subgroup", lang)},
                                {"field": "period", "title": t("period", lang)},
                                {"field": "value", "title": unit, "format": value_format},
                            ],
                        },
                    },  # fmt: skip
                ],
            },
            "resolve": {"scale": {"y": "shared"}},
        }
    )
    return spec


def gap_spec(
    points: Sequence[Point],
    *,
    periods: Sequence[str],
    measure: str,
    null_value: float,
    indicator: str,
    dimension: str,
    axis_title: str,
    lang: Lang,
    conf_level: float = 0.95,
    decimals: int = 2,
) -> dict[str, Any]:
    """The gap with its interval over time: a line over a shaded band, and a dashed reference
    line at the value the measure takes when there is no gap (0 for differences, 1 for ratios).
    """
    first, last = _span(periods)
    alt = t(
        "alt_gap", lang, measure=mid_sentence(measure), indicator=mid_sentence(indicator),
        dimension=mid_sentence(dimension), first=first, last=last,
    )  # fmt: skip
    spec = _base(alt, any(p.suppressed for p in points), lang)
    x = _period_axis(periods, lang)
    value_format = f",.{decimals}f"
    interval = t("axis_interval", lang, level=percent_level(conf_level, lang))
    spec.update(
        {
            "data": {"values": _rows(points)},
            "layer": [
                {
                    "mark": {"type": "area", "opacity": 0.25, "color": BAND},
                    "encoding": {
                        "x": x,
                        "y": {
                            "field": "ci_lb",
                            "type": "quantitative",
                            "title": axis_title,
                            "scale": {"zero": False},
                            "axis": {"format": value_format},
                        },
                        "y2": {"field": "ci_ub"},
                    },
                },
                {
                    "mark": {"type": "line", "point": True, "color": PALETTE[0]},
                    "encoding": {
                        "x": x,
                        "y": {"field": "value", "type": "quantitative"},
                        "tooltip": [
                            {"field": "period", "title": t("period", lang)},
                            {"field": "value", "title": measure, "format": value_format},
                            {"field": "ci_lb", "title": t("lower", lang), "format": value_format},
                            {"field": "ci_ub", "title": t("upper", lang), "format": value_format},
                        ],
                    },
                },
                {
                    "data": {"values": [{"reference": null_value}]},
                    "mark": {"type": "rule", "color": MUTED, "strokeDash": [4, 4]},
                    "encoding": {"y": {"field": "reference", "type": "quantitative"}},
                },
                {
                    "data": {"values": [{"reference": null_value}]},
                    "mark": {
                        "type": "text",
                        "align": "left",
                        "baseline": "bottom",
                        "dx": 4,
                        "dy": -3,
                        "color": MUTED,
                        "fontSize": 11,
                    },
                    "encoding": {
                        "y": {"field": "reference", "type": "quantitative"},
                        "x": {"value": 0},
                        "text": {"value": t("axis_equality", lang)},
                    },
                },
            ],
        }
    )
    spec["usermeta"] = {"interval": interval}
    return spec


def reach_spec(
    points: Sequence[ReachPoint],
    *,
    initiative: str,
    need_title: str,
    period: str,
    lang: Lang,
    decimals: int = 1,
) -> dict[str, Any]:
    """Reach versus need by district: need on x, reach per 1 000 of the target group on y,
    each point labelled with its district."""
    alt = t("alt_reach", lang, initiative=initiative, need=need_title, period=period)
    spec = _base(alt, any(p.suppressed for p in points), lang)
    rows = [
        {"area": p.area, "need": p.need, "reach": p.reach_per_1000}
        for p in points
        if not p.suppressed and p.need is not None and p.reach_per_1000 is not None
    ]
    x_domain, y_domain = label_domains(rows)
    # Explicit domains: the labels are placed in pixels worked out from them (place_labels).
    x = {
        "field": "need",
        "type": "quantitative",
        "title": need_title,
        "scale": {"domain": x_domain, "nice": False, "zero": False},
        "axis": {"format": f",.{decimals}f"},
    }
    y = {
        "field": "reach",
        "type": "quantitative",
        "title": t("per_1000", lang),
        "scale": {"domain": y_domain, "nice": False},
        "axis": {"format": ",.0f"},
    }
    spec.update(
        {
            "data": {"values": rows},
            "layer": [
                {
                    "mark": {"type": "point", "filled": True, "size": 70, "color": PALETTE[0]},
                    "encoding": {
                        "x": x,
                        "y": y,
                        "tooltip": [
                            {"field": "area", "title": t("district", lang)},
                            {"field": "need", "title": need_title, "format": f",.{decimals}f"},
                            {"field": "reach", "title": t("axis_reach", lang), "format": ",.0f"},
                        ],
                    },
                },
                *(
                    {
                        "transform": [{"filter": f"datum.align === '{align}'"}],
                        "mark": {
                            "type": "text",
                            "align": align,
                            "baseline": "middle",
                            "color": INK,
                            "fontSize": LABEL_SIZE,
                        },
                        "encoding": {
                            "x": {"field": "label_x", "type": "quantitative"},
                            "y": {"field": "label_y", "type": "quantitative"},
                            "text": {"field": "area"},
                        },
                    }
                    for align in ("left", "right", "center")
                ),
            ],
        }
    )
    place_labels(rows, x_domain, y_domain)
    return spec


LABEL_SIZE = 10
# Where a label may go relative to its point, in pixels (dx, dy down, align), in order of
# preference: right, left, above, below, then further out.
_SPOTS = (
    (7, -7, "left"), (7, 8, "left"), (-7, -7, "right"), (-7, 8, "right"),
    (0, -13, "center"), (0, 14, "center"), (10, 0, "left"), (-10, 0, "right"),
    (7, -19, "left"), (7, 20, "left"), (-7, -19, "right"), (-7, 20, "right"),
    (0, -25, "center"), (0, 26, "center"), (24, 0, "left"), (-24, 0, "right"),
)  # fmt: skip


def label_domains(rows: list[dict[str, Any]]) -> tuple[list[float], list[float]]:
    """The reach chart's x (need, 5 % padding each side) and y (reach from 0, 10 % room
    above) domains; [0, 1] when there is nothing to draw."""
    if not rows:
        return [0.0, 1.0], [0.0, 1.0]
    xs = [r["need"] for r in rows]
    pad = (max(xs) - min(xs)) * 0.05 or 1.0
    top = max(r["reach"] for r in rows) * 1.1 or 1.0
    return [min(xs) - pad, max(xs) + pad], [0.0, top]


def place_labels(
    rows: list[dict[str, Any]],
    x_domain: list[float],
    y_domain: list[float],
    width: int = WIDTH,
    height: int = HEIGHT,
) -> None:
    """Give each row `label_x`, `label_y` (data units) and `align` so that labels overlap
    neither each other nor the points, where the plot leaves room (greedy, in the rows'
    order: each label takes the first free spot of `_SPOTS`, else the least crowded one).

    Vega-Lite draws text where it is told and does not move labels apart, so close districts
    wrote their names over each other. Positions are worked out in pixels from the chart's
    explicit domains."""
    if not rows:
        return
    x0, x1 = x_domain
    y0, y1 = y_domain
    kx, ky = width / (x1 - x0), height / (y1 - y0)

    def px(r: dict[str, Any]) -> tuple[float, float]:
        return (r["need"] - x0) * kx, height - (r["reach"] - y0) * ky

    points = [px(r) for r in rows]
    boxes: list[tuple[float, float, float, float]] = [
        (x - 5, y - 5, x + 5, y + 5) for x, y in points
    ]  # the points themselves

    def overlap(a, b) -> float:
        w = min(a[2], b[2]) - max(a[0], b[0])
        h = min(a[3], b[3]) - max(a[1], b[1])
        return w * h if w > 0 and h > 0 else 0.0

    for r, (x, y) in zip(rows, points, strict=True):
        w, h = 0.6 * LABEL_SIZE * len(str(r["area"])), LABEL_SIZE + 2
        best = None
        for dx, dy, align in _SPOTS:
            left = {"left": x + dx, "right": x + dx - w, "center": x + dx - w / 2}[align]
            box = (left, y + dy - h / 2, left + w, y + dy + h / 2)
            crowd = sum(overlap(box, b) for b in boxes)
            outside = (
                max(0.0, -box[0]) + max(0.0, box[2] - width)
                + max(0.0, -box[1]) + max(0.0, box[3] - height)
            )  # fmt: skip
            score = crowd + outside * h
            if best is None or score < best[0]:
                best = (score, dx, dy, align, box)
            if score == 0:
                break
        assert best is not None
        _, dx, dy, align, box = best
        boxes.append(box)
        r["label_x"] = r["need"] + dx / kx
        r["label_y"] = r["reach"] - dy / ky
        r["align"] = align


def mid_sentence(title: str) -> str:
    """A title as it reads inside a sentence: "Inskrivna barn" → "inskrivna barn", while
    acronyms and names that start with two capitals ("KAA", "LSS") keep theirs."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def _cycle(values: Sequence[Any], n: int) -> list[Any]:
    return [values[i % len(values)] for i in range(n)]
