"""The collaboration network drawn on the server as SVG (no JavaScript needed).

Actors sit on a circle, grouped by kind, so actors of one kind (committees, civil society, …)
are neighbours and the lines between kinds show cross-sector work. A line joins two actors that
work together in at least one initiative; its width grows with the number of shared
initiatives. The picture is a summary: the table beside it is the accessible form and carries
every link with its initiatives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 920, 600
RADIUS = 230
INK = "#1a1a1a"
LINE = "#4d6f94"
# Fill per actor kind group; text never sits on these, so contrast is for the shapes (≥ 3:1).
FILLS = {
    "municipal": "#1b4f8a",
    "region": "#8a4b00",
    "civil_society": "#0b6e4f",
    "business": "#7a2a68",
    "academia": "#5b4a9e",
    "other": "#555555",
}


@dataclass(frozen=True)
class NetNode:
    id: str
    label: str
    group: str  # a key of FILLS
    weight: int  # initiatives the actor takes part in


@dataclass(frozen=True)
class NetLink:
    source: str
    target: str
    weight: int  # shared initiatives


def kind_group(kind: str) -> str:
    """The colour group of an actor kind."""
    if kind.startswith("municipal"):
        return "municipal"
    if kind in ("region", "health_care"):
        return "region"
    if kind in FILLS:
        return kind
    return "other"


def network_svg(nodes: list[NetNode], links: list[NetLink], *, title: str, desc: str) -> str:
    """An SVG picture of the network, labelled for assistive technology by `title` and `desc`."""
    order = sorted(nodes, key=lambda n: (list(FILLS).index(n.group), n.label))
    n = max(1, len(order))
    pos: dict[str, tuple[float, float, float]] = {}
    cx0, cy0 = WIDTH / 2, HEIGHT / 2
    for i, node in enumerate(order):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        pos[node.id] = (
            cx0 + RADIUS * math.cos(angle),
            cy0 + RADIUS * math.sin(angle),
            angle,
        )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="network" role="img" aria-labelledby="net-title net-desc">',
        f'<title id="net-title">{escape(title)}</title>',
        f'<desc id="net-desc">{escape(desc)}</desc>',
        '<g class="links" fill="none">',
    ]
    for link in sorted(links, key=lambda lk: lk.weight):
        if link.source not in pos or link.target not in pos:
            continue
        x1, y1, _ = pos[link.source]
        x2, y2, _ = pos[link.target]
        # A curve bowed toward the centre keeps lines between neighbours from hiding labels.
        cx, cy = (x1 + x2) / 2 * 0.7 + cx0 * 0.3, (y1 + y2) / 2 * 0.7 + cy0 * 0.3
        width = 1 + 1.5 * (link.weight - 1)
        parts.append(
            f'<path d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}" '
            f'stroke="{LINE}" stroke-opacity="0.55" stroke-width="{width:.1f}"/>'
        )
    parts.append('</g><g class="nodes">')
    for node in order:
        x, y, angle = pos[node.id]
        r = 5 + 2.2 * math.sqrt(node.weight)
        anchor = "start" if math.cos(angle) >= -1e-9 else "end"
        lx = x + (r + 6) * math.cos(angle)
        ly = y + (r + 6) * math.sin(angle) + 4
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{FILLS[node.group]}" '
            f'stroke="#ffffff" stroke-width="1.5"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="11" '
            f'fill="{INK}">{escape(_short(node.label))}</text>'
        )
    parts.append("</g></svg>")
    return "".join(parts)


def _short(label: str, limit: int = 36) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
