"""Fictitious district shapes: one regular hexagon per district in a grid, as GeoJSON.

The map is invented like the rest of Exempelstad. It sits at an arbitrary point in Västra
Götaland so map widgets have sensible coordinates, and the hexagons are corrected for latitude so
they look regular in Web Mercator.
"""

from __future__ import annotations

import math
from typing import Any

CENTRE_LON = 12.75
CENTRE_LAT = 58.10
RADIUS_KM = 2.2  # centre to corner
KM_PER_DEGREE_LAT = 111.32


def hexagon(q: int, r: int) -> dict[str, Any]:
    """A GeoJSON Polygon for the pointy-top hexagon at axial grid position (q, r).

    The exterior ring runs counter-clockwise and is closed, as RFC 7946 asks.
    """
    km_per_degree_lon = KM_PER_DEGREE_LAT * math.cos(math.radians(CENTRE_LAT))
    x_km = RADIUS_KM * math.sqrt(3) * (q + r / 2)
    y_km = -RADIUS_KM * 1.5 * r  # north up: larger r lies further south
    ring = []
    for k in range(6):
        angle = math.radians(30 + 60 * k)  # counter-clockwise from east-north-east
        px = x_km + RADIUS_KM * math.cos(angle)
        py = y_km + RADIUS_KM * math.sin(angle)
        ring.append(
            [
                round(CENTRE_LON + px / km_per_degree_lon, 6),
                round(CENTRE_LAT + py / KM_PER_DEGREE_LAT, 6),
            ]
        )
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}
