"""The charts' look: an accessible palette, dash patterns, point shapes and the shared config.

The palette takes Okabe and Ito's colour-blind-safe hues, darkened until every colour has at
least 4.5:1 contrast against white (so a colour can also be text), then near-black, grey and
three of Paul Tol's for the ten districts. Colour is never the only cue: group i also gets
DASHES[i] and SHAPES[i].
"""

from __future__ import annotations

from typing import Any

PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue           5.2:1 on white
    "#BA4A00",  # vermillion     5.2:1
    "#007A5A",  # bluish green   5.3:1
    "#AD4A92",  # reddish purple 5.0:1
    "#8A6300",  # ochre          5.4:1
    "#1A1A1A",  # near black    17.4:1
    "#332288",  # indigo        12.2:1
    "#882255",  # wine           8.7:1
    "#5B5B5B",  # grey           6.8:1
    "#117733",  # green          5.7:1
)
"""Series colours, in the order groups are listed."""

DASHES: tuple[list[int], ...] = (
    [1, 0],
    [6, 3],
    [2, 2],
    [8, 3, 2, 3],
    [4, 4],
    [1, 0],
    [6, 3],
    [2, 2],
    [8, 3, 2, 3],
    [4, 4],
)
SHAPES: tuple[str, ...] = (
    "circle",
    "square",
    "triangle-up",
    "diamond",
    "cross",
    "triangle-down",
    "circle",
    "square",
    "triangle-up",
    "diamond",
)
INK = "#1A1A1A"  # text: 17:1 on white
MUTED = "#4D4D4D"  # notes and grid labels: 8.5:1 on white
BAND = "#0072B2"  # interval band (drawn at 25 % opacity, the line over it in full colour)
WIDTH, HEIGHT = 480, 190


def chart_config(font: str = "sans-serif") -> dict[str, Any]:
    """The Vega-Lite `config` every chart carries: colours, sizes, legend, broken lines."""
    return {
        "font": font,
        "view": {"stroke": None},
        "axis": {
            "labelColor": INK,
            "titleColor": INK,
            "labelFontSize": 12,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
            "gridColor": "#E0E0E0",
            "domainColor": MUTED,
            "tickColor": MUTED,
        },
        # A long y title must not make the chart taller than its plot.
        "axisY": {"titleLimit": HEIGHT},
        "legend": {
            "labelColor": INK,
            "titleColor": INK,
            "labelFontSize": 12,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
            "orient": "bottom",
            "direction": "horizontal",
            "columns": 3,
            "columnPadding": 18,
            "rowPadding": 4,
            "labelLimit": 200,
            "symbolStrokeWidth": 0,  # filled symbols: an outline would carry the dash pattern
        },
        "title": {"color": INK, "subtitleColor": MUTED, "anchor": "start"},
        # Break lines at suppressed or missing points rather than drawing through them.
        "mark": {"invalid": "break-paths-filter-domains"},
        "line": {"strokeWidth": 2},
        "point": {"size": 36, "filled": True},
    }
