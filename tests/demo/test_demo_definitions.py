"""Exempelstad's areas, map, dimensions and indicators."""

from __future__ import annotations

import itertools
import math

import pytest

from jamlik.data import dump_definitions, load_definitions
from jamlik.demo import DISTRICTS, INDICATORS, definitions

AXIAL_NEIGHBOURS = {(1, 0), (1, -1), (0, -1), (-1, 0), (-1, 1), (0, 1)}


@pytest.fixture(scope="module")
def defs():
    return definitions()


def test_definitions_survive_the_definitions_file(defs, tmp_path):
    path = tmp_path / "exempelstad.yaml"
    path.write_text(dump_definitions(defs), encoding="utf-8")
    assert load_definitions(path) == defs


def test_areas_form_a_hierarchy_of_ten_districts_of_different_size(defs):
    municipality = [a for a in defs.areas if a.level == "municipality"]
    districts = [a for a in defs.areas if a.level == "district"]
    assert [a.id for a in municipality] == ["exempelstad"]
    assert len(districts) == 10
    assert {a.parent for a in districts} == {"exempelstad"}
    sizes = [a.population for a in districts]
    assert min(sizes) < 4_000 and 35_000 < max(sizes) < 45_000
    assert municipality[0].population == sum(sizes)
    assert len({a.name for a in districts}) == 10


def test_districts_differ_in_socioeconomic_position():
    ses = [d.ses for d in DISTRICTS]
    weights = [d.population_2012 for d in DISTRICTS]
    assert min(ses) < -1 and max(ses) > 1
    mean = sum(w * z for w, z in zip(weights, ses, strict=True)) / sum(weights)
    assert abs(mean) < 0.2


def _signed_area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def test_district_hexagons_are_closed_counter_clockwise_and_tile_the_map(defs):
    districts = {a.id: a for a in defs.areas if a.level == "district"}
    rings = {}
    for area in districts.values():
        assert area.geometry["type"] == "Polygon"
        ring = [tuple(p) for p in area.geometry["coordinates"][0]]
        assert len(ring) == 7 and ring[0] == ring[-1]
        assert _signed_area(ring) > 0  # RFC 7946: exterior rings counter-clockwise
        rings[area.id] = set(ring)
    hexes = {d.id: d.hex for d in DISTRICTS}
    for a, b in itertools.combinations(hexes, 2):
        dq, dr = hexes[b][0] - hexes[a][0], hexes[b][1] - hexes[a][1]
        shared = len(rings[a] & rings[b])
        # Neighbours share one edge (two corners), others nothing: no overlaps, no gaps between.
        assert shared == (2 if (dq, dr) in AXIAL_NEIGHBOURS else 0), (a, b)


def test_hexagons_look_regular_on_the_ground(defs):
    area = next(a for a in defs.areas if a.id == "ex-innerstaden")
    ring = area.geometry["coordinates"][0]
    lat = math.radians(ring[0][1])
    sides = [
        math.hypot((x1 - x0) * 111.32 * math.cos(lat), (y1 - y0) * 111.32)
        for (x0, y0), (x1, y1) in itertools.pairwise(ring)
    ]
    assert max(sides) / min(sides) == pytest.approx(1, abs=0.01)


def test_indicators_cover_every_target_area_with_unit_scale_and_polarity(defs):
    assert {i.id for i in defs.indicators} == {i.id for i in INDICATORS}
    for ind in defs.indicators:
        assert ind.unit and ind.polarity in {"higher_is_better", "higher_is_worse"}
        assert ind.scale == (1 if ind.unit == "år" else 100)
        assert "Fiktiva exempeldata" in ind.description
    areas = {i.target_area for i in INDICATORS}
    assert {"god-start", "arbete", "livsmiljoer", "delaktighet"} <= areas
    polarities = {i.polarity for i in defs.indicators}
    assert polarities == {"higher_is_better", "higher_is_worse"}


def test_dimensions_have_a_reference_or_an_order(defs):
    dims = {d.id: d for d in defs.dimensions}
    cob = dims["country_of_birth"]
    assert [s.id for s in cob.subgroups if s.reference] == ["born_in_sweden"]
    for dim_id in ("parental_education", "education"):
        d = dims[dim_id]
        assert d.ordered
        assert [(s.id, s.order) for s in d.subgroups] == [
            ("compulsory", 1),
            ("upper_secondary", 2),
            ("post_secondary", 3),
        ]
