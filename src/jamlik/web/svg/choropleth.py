"""A choropleth of districts drawn on the server as SVG from the areas' GeoJSON (no tile server,
no JavaScript).

Each district is filled by its value's class (five equal-width classes between the lowest and
highest shown value, light to dark blue) and carries its name and value as text, so the map can
be read without telling colours apart. Suppressed districts are hatched and say so. The
projection is equirectangular, scaled by the cosine of the mean latitude: right for areas the
size of a municipality.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

WIDTH = 560
PAD = 12
# Sequential blues (ColorBrewer "Blues", 5 classes): distinct in lightness for every kind of
# colour vision. Labels switch to white text on the two darkest.
CLASSES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
DARK_FROM = 3
INK = "#1a1a1a"


@dataclass(frozen=True)
class MapArea:
    id: str
    name: str
    geometry: dict[str, Any] | None
    value: float | None
    suppressed: bool = False


@dataclass(frozen=True)
class MapLegend:
    """Class limits (len(CLASSES) + 1 numbers) and their colours, for the legend list."""

    limits: list[float]
    colours: tuple[str, ...] = CLASSES


def _rings(geometry: dict[str, Any]) -> list[list[tuple[float, float]]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        return [[(float(x), float(y)) for x, y, *_ in ring] for ring in coords]
    if kind == "MultiPolygon":
        return [[(float(x), float(y)) for x, y, *_ in ring] for poly in coords for ring in poly]
    return []


def classify(values: Sequence[float]) -> MapLegend | None:
    """Equal-width classes over the shown values (None when there is nothing to show)."""
    if not values:
        return None
    low, high = min(values), max(values)
    if math.isclose(low, high):
        high = low + 1e-9
    step = (high - low) / len(CLASSES)
    return MapLegend([low + i * step for i in range(len(CLASSES))] + [max(values)])


def _class_of(value: float, legend: MapLegend) -> int:
    for i in range(len(CLASSES) - 1, -1, -1):
        if value >= legend.limits[i] - 1e-12:
            return i
    return 0


def choropleth_svg(
    areas: Sequence[MapArea],
    *,
    title: str,
    desc: str,
    fmt: Callable[[float], str],
    suppressed_word: str,
    fills: Mapping[str, tuple[str, str, str]] | None = None,
    hidden_words: Mapping[str, str] | None = None,
) -> tuple[str, MapLegend | None]:
    """The map as SVG text (labelled by `title` and `desc`) and the legend's classes.

    `fills` (area id → fill, text colour, a word under the value) colours areas by something
    other than their value's class, e.g. significance against a benchmark; the word keeps the
    map readable without telling colours apart. Areas it does not name are drawn as usual.
    `hidden_words` (area id → text) says why a hidden area is hidden, instead of
    `suppressed_word`."""
    drawable = [a for a in areas if a.geometry and _rings(a.geometry)]
    if not drawable:
        return "", None
    points = [p for a in drawable for ring in _rings(a.geometry or {}) for p in ring]
    lon0 = min(p[0] for p in points)
    lat_max = max(p[1] for p in points)
    mean_lat = sum(p[1] for p in points) / len(points)
    kx = math.cos(math.radians(mean_lat))
    span_x = (max(p[0] for p in points) - lon0) * kx or 1e-9
    span_y = lat_max - min(p[1] for p in points) or 1e-9
    scale = (WIDTH - 2 * PAD) / span_x
    height = span_y * scale + 2 * PAD

    def project(x: float, y: float) -> tuple[float, float]:
        return PAD + (x - lon0) * kx * scale, PAD + (lat_max - y) * scale

    legend = classify([a.value for a in drawable if a.value is not None and not a.suppressed])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'role="img" aria-labelledby="map-title map-desc" class="map">',
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(desc)}</desc>',
        '<defs><pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#767676" stroke-width="3"/></pattern></defs>',
    ]
    labels = []
    for a in drawable:
        rings = _rings(a.geometry or {})
        path = " ".join(
            "M"
            + " L".join(f"{px:.1f},{py:.1f}" for px, py in (project(x, y) for x, y in ring))
            + " Z"
            for ring in rings
        )
        extra = ""
        if fills and a.id in fills and not a.suppressed:
            fill, text_colour, extra = fills[a.id]
            dark = text_colour.lower() == "#ffffff"
        elif a.suppressed or a.value is None or legend is None:
            fill, dark = ("url(#hatch)" if a.suppressed else "#ffffff"), False
        else:
            k = _class_of(a.value, legend)
            fill, dark = CLASSES[k], k >= DARK_FROM
        parts.append(
            f'<path d="{path}" fill="{fill}" stroke="{INK}" stroke-width="1" fill-rule="evenodd"/>'
        )
        outer = [project(x, y) for x, y in rings[0]]
        cx = sum(p[0] for p in outer) / len(outer)
        cy = sum(p[1] for p in outer) / len(outer)
        hidden_word = (hidden_words or {}).get(a.id, suppressed_word)
        value = hidden_word if a.suppressed else ("–" if a.value is None else fmt(a.value))
        colour = "#ffffff" if dark else INK
        # A halo keeps labels readable on hatching; plain fills need none.
        halo = ' paint-order="stroke" stroke="#ffffff" stroke-width="3"' if a.suppressed else ""
        labels.append(
            f'<text x="{cx:.1f}" y="{cy - 2:.1f}" text-anchor="middle" font-size="12" '
            f'font-weight="600" fill="{colour}"{halo}>{escape(a.name)}</text>'
            f'<text x="{cx:.1f}" y="{cy + 13:.1f}" text-anchor="middle" font-size="12" '
            f'fill="{colour}"{halo}>{escape(value)}</text>'
        )
        if extra:
            labels.append(
                f'<text x="{cx:.1f}" y="{cy + 27:.1f}" text-anchor="middle" font-size="11" '
                f'fill="{colour}">{escape(extra)}</text>'
            )
    parts.extend(labels)
    parts.append("</svg>")
    return "".join(parts), legend
