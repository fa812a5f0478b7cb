"""Vega-Lite specifications of the compare-areas bar chart and the funnel plot.

Both colour marks by significance category (`jamlik.followup.significance.COLOURS`, a
colour-blind-safe diverging palette) and carry the category in words in their tooltips and in
the data table beside them, so colour is never the only cue. Suppressed values are not drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jamlik.followup.significance import COLOURS, ORDER
from jamlik.report.charts import SCHEMA
from jamlik.report.chartstyle import INK, MUTED, chart_config


def _colour_scale(labels: dict[str, str], used: set[str]) -> dict[str, Any]:
    codes = [c for c in ORDER if c in used]
    return {
        "domain": [labels[c] for c in codes],
        "range": [COLOURS[c][0] for c in codes],
    }


def bar_spec(
    rows: Sequence[dict[str, Any]],
    *,
    benchmark: float | None,
    benchmark_label: str,
    labels: dict[str, str],
    unit: str,
    description: str,
    legend_title: str,
    interval_title: str,
    decimals: int = 1,
) -> dict[str, Any]:
    """Horizontal bars sorted by value with 95 % interval rules and the benchmark line.
    `rows`: name, value, ci_lb, ci_ub, category (code), label (category in words)."""
    shown = [r for r in rows if r["value"] is not None]
    fmt = f",.{decimals}f"
    order = [r["name"] for r in sorted(shown, key=lambda r: -r["value"])]
    y = {"field": "name", "type": "nominal", "title": None, "sort": order}
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar", "stroke": INK, "strokeWidth": 0.5},
            "encoding": {
                "y": y,
                "x": {
                    "field": "value",
                    "type": "quantitative",
                    "title": unit,
                    "axis": {"format": fmt},
                },
                "color": {
                    "field": "label",
                    "type": "nominal",
                    "title": legend_title,
                    "scale": _colour_scale(labels, {r["category"] for r in shown}),
                    "legend": {"orient": "bottom", "columns": 2},
                },
                "tooltip": [
                    {"field": "name", "title": " "},
                    {"field": "value", "title": unit, "format": fmt},
                    {"field": "ci_lb", "title": interval_title + " –", "format": fmt},
                    {"field": "ci_ub", "title": interval_title + " +", "format": fmt},
                    {"field": "label", "title": legend_title},
                ],
            },
        },  # fmt: skip
        {
            "mark": {"type": "rule", "color": INK},
            "encoding": {
                "y": y,
                "x": {"field": "ci_lb", "type": "quantitative"},
                "x2": {"field": "ci_ub"},
            },
        },
    ]
    if benchmark is not None:
        layers.append(
            {
                "data": {"values": [{"benchmark": benchmark, "label": benchmark_label}]},
                "mark": {"type": "rule", "color": MUTED, "strokeDash": [5, 3], "strokeWidth": 2},
                "encoding": {
                    "x": {"field": "benchmark", "type": "quantitative"},
                    "tooltip": [{"field": "label", "title": " "}],
                },
            }
        )
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": 420,
        "height": {"step": 22},
        "config": chart_config(),
        "data": {"values": list(shown)},
        "layer": layers,
    }


def funnel_spec(
    points: Sequence[dict[str, Any]],
    limits: Sequence[dict[str, float]],
    *,
    target: float,
    labels: dict[str, str],
    size_title: str,
    unit: str,
    description: str,
    legend_title: str,
    limit_titles: dict[str, str],
    decimals: int = 1,
) -> dict[str, Any]:
    """Points by size (x, log scale) and value (y), the target line and the 95 % (dashed) and
    99.8 % (solid) control limits. `points`: name, size, value, category, label."""
    fmt = f",.{decimals}f"
    lines = [
        {"size": row["size"], "value": row[f"{side}_{tag}"], "limit": limit_titles[tag],
         "side": side}
        for row in limits
        for tag in ("95", "998")
        for side in ("lower", "upper")
    ]  # fmt: skip
    x = {"field": "size", "type": "quantitative", "title": size_title,
         "scale": {"type": "log"}, "axis": {"format": ",.0f"}}  # fmt: skip
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": 480,
        "height": 300,
        "config": chart_config(),
        "layer": [
            {
                "data": {"values": lines},
                "mark": {"type": "line", "color": MUTED, "strokeWidth": 1.2},
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "value",
                        "type": "quantitative",
                        "title": unit,
                        "scale": {"zero": False},
                        "axis": {"format": fmt},
                    },
                    "detail": [{"field": "limit"}, {"field": "side"}],
                    "strokeDash": {
                        "field": "limit",
                        "type": "nominal",
                        "title": None,
                        "scale": {
                            "domain": [limit_titles["95"], limit_titles["998"]],
                            "range": [[5, 3], [1, 0]],
                        },
                        "legend": {"orient": "bottom"},
                    },
                },
            },  # fmt: skip
            {
                "data": {"values": [{"target": target}]},
                "mark": {"type": "rule", "color": INK, "strokeWidth": 1.5},
                "encoding": {"y": {"field": "target", "type": "quantitative"}},
            },
            {
                "data": {"values": list(points)},
                "mark": {
                    "type": "point",
                    "filled": True,
                    "size": 80,
                    "stroke": INK,
                    "strokeWidth": 0.8,
                    "opacity": 1,
                },
                "encoding": {
                    "x": x,
                    "y": {"field": "value", "type": "quantitative"},
                    "color": {
                        "field": "label",
                        "type": "nominal",
                        "title": legend_title,
                        "scale": _colour_scale(labels, {p["category"] for p in points}),
                        "legend": {"orient": "bottom", "columns": 2},
                    },
                    "tooltip": [
                        {"field": "name", "title": " "},
                        {"field": "value", "title": unit, "format": fmt},
                        {"field": "size", "title": size_title, "format": ",.0f"},
                        {"field": "label", "title": legend_title},
                    ],
                },
            },  # fmt: skip
        ],
        "resolve": {"scale": {"color": "independent", "strokeDash": "independent"}},
    }
