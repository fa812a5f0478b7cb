"""Reach-versus-need labels do not overlap: the chart is rendered by vl-convert and the labels'
boxes are measured in the SVG it draws (position, anchor and an average character width),
not in the coordinates the code computed."""

from __future__ import annotations

import itertools
import re

from jamlik.report.charts import ReachPoint, reach_spec
from jamlik.report.svg import render_svg

CROWDED = [
    ("Björkdalen", 10.0, 40), ("Ekbacka", 10.3, 42), ("Granliden", 10.6, 39),
    ("Hamnstaden", 11.0, 41), ("Innerstaden", 15.0, 20), ("Kvarnbacken", 15.2, 21),
    ("Lindhöjden", 20.0, 60), ("Norrmossen", 20.1, 61), ("Solvik", 25.0, 10),
    ("Stenåsen", 25.3, 11),
]  # fmt: skip
CHAR = 5.6  # average width of a 10 px sans-serif character


def label_boxes(svg: str, names: set[str]) -> dict[str, tuple[float, float, float, float]]:
    boxes = {}
    for m in re.finditer(r"<text([^>]*)>([^<]*)</text>", svg):
        attrs, text = m.groups()
        if text not in names:
            continue
        x, y = map(float, re.search(r"translate\(([-\d.]+),([-\d.]+)\)", attrs).groups())
        anchor = re.search(r'text-anchor="(\w+)"', attrs)
        width = CHAR * len(text)
        left = {"start": x, "end": x - width, "middle": x - width / 2}[
            anchor.group(1) if anchor else "start"
        ]
        # Vega's SVG puts every text's alphabetic baseline at y (a middle baseline is
        # folded into the translation): capitals reach 8 px above it, descenders 2 below
        boxes[text] = (left, y - 8, left + width, y + 2)
    return boxes


def test_crowded_district_labels_do_not_overlap():
    points = [ReachPoint(n, need, reach) for n, need, reach in CROWDED]
    spec = reach_spec(points, initiative="X", need_title="Behov", period="2025", lang="sv")
    boxes = label_boxes(render_svg(spec, "sv"), {n for n, _, _ in CROWDED})
    assert len(boxes) == len(CROWDED)  # every district is labelled
    for (a, ba), (b, bb) in itertools.combinations(boxes.items(), 2):
        w = min(ba[2], bb[2]) - max(ba[0], bb[0])
        h = min(ba[3], bb[3]) - max(ba[1], bb[1])
        assert w <= 0.5 or h <= 0.5, f"labels {a} and {b} overlap"
