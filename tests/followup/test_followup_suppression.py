"""Suppression: no value of a small cell appears anywhere in a follow-up or explorer result,
and nothing is computed from one. Small cells carry distinctive values so that a leak of any
of them into the JSON would be found by a plain text search."""

from __future__ import annotations

import json
from datetime import date

import pytest
from followup_helpers import CITY, DISTRICTS, YEARS, indicator, programme, row, workspace

from jamlik.followup import build_followup, explore

SMALL_YEARS = (2016, 2020)
HIDDEN_SE = 0.987654321


def hidden_value(k: int) -> float:
    return 41.23456789 + k * 0.00012345


def build_rows() -> tuple[list[dict], list[float]]:
    rows, hidden, k = [], [], 0
    for y in YEARS:
        rows.append(
            row("small", y, CITY, "total", "total", 55.0 + y % 3, se=0.2, population=2000.0)
        )
        rows.append(row("small", y, CITY, "sex", "men", 54.0 + y % 5, se=0.3))
        if y in SMALL_YEARS:  # six women: must never be shown
            rows.append(
                row("small", y, CITY, "sex", "women", hidden_value(k), se=HIDDEN_SE, population=6.0)
            )
            hidden.append(hidden_value(k))
            k += 1
        else:
            rows.append(row("small", y, CITY, "sex", "women", 56.0 + y % 4, se=0.3))
        for sub, pop in (("low", 5.0 if y == 2025 else 300.0), ("mid", 400.0), ("high", 500.0)):
            if pop < 10:
                value, se = hidden_value(k), HIDDEN_SE
                hidden.append(value)
                k += 1
            else:
                value, se = 50.0 + len(sub) + (y - 2012) * 0.1, 0.4
            rows.append(row("small", y, CITY, "education", sub, value, se=se, population=pop))
        for d, pop in DISTRICTS:
            small = d == "d5" and y == 2025  # eight people
            value = hidden_value(k) if small else 50.0 + int(d[1]) + (y - 2012) * 0.2
            if small:
                hidden.append(value)
                k += 1
            rows.append(
                row(
                    "small",
                    y,
                    d,
                    "total",
                    "total",
                    value,
                    se=HIDDEN_SE if small else 0.5,
                    population=8.0 if small else float(pop),
                )
            )
    return rows, hidden


REACH = {"d1": 300, "d2": 250, "d3": 2, "d4": 120, "d5": 90}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    rows, hidden = build_rows()
    prog = programme(
        [{"id": "g", "kind": "goal", "title": "Mål", "indicators": ["small"]}],
        [
            {
                "id": "i",
                "title": "Insats",
                "nodes": ["g"],
                "indicators": ["small"],
                "reach": [{"period": "2024", "area": a, "reached": n} for a, n in REACH.items()],
            }
        ],
    )
    ind = indicator("small", dimensions=["total", "sex", "education"])
    ws = workspace(tmp_path_factory.mktemp("suppression"), [ind], rows, prog)
    fu = build_followup(ws, "test-prog", 2025, today=date(2025, 6, 1))
    return ws, fu, hidden


def _texts(obj) -> str:
    return json.dumps(obj.to_dict(), ensure_ascii=False)


def _points(node):
    """Every dict in a JSON tree that looks like a cell (has 'suppressed')."""
    if isinstance(node, dict):
        if "suppressed" in node:
            yield node
        for v in node.values():
            yield from _points(v)
    elif isinstance(node, list):
        for v in node:
            yield from _points(v)


def test_no_hidden_value_in_the_followup(world) -> None:
    _, fu, hidden = world
    text = _texts(fu)
    assert len(hidden) == 4
    for value in [*hidden, HIDDEN_SE]:
        assert repr(value) not in text
        assert f"{value:.4f}" not in text
    cells = list(_points(fu.to_dict()))
    assert any(c["suppressed"] for c in cells)
    for c in cells:
        if c["suppressed"]:
            assert all(c.get(k) is None for k in ("estimate", "se", "ci_lb", "ci_ub"))
            assert c.get("reached") is None and c.get("rate_per_1000") is None


def test_small_cells_are_present_and_say_so(world) -> None:
    _, fu, _ = world
    women = next(s for s in fu.indicator("small").subgroups if s.subgroup == "women")
    hidden = {p.period for p in women.points if p.suppressed}
    assert hidden == {str(y) for y in SMALL_YEARS}
    # The sizes (2,000 in all, 1,000 men, 6 women) leave 994 people outside the breakdown by
    # sex, so the total minus the men does not pin the women down and the men may show; the
    # same holds for d5 among the districts. (Where sums add up, a partner goes: see
    # tests/data/test_disclosure_worst_cases.py; the audit below finds nothing either way.)
    districts = [s for s in fu.indicator("small").subgroups if s.dimension == "district"]
    in_2025 = [
        s.subgroup for s in districts for p in s.points if p.period == "2025" and p.suppressed
    ]
    assert "d5" in in_2025


def test_no_gap_is_computed_from_a_hidden_cell(world) -> None:
    _, fu, _ = world
    gaps = fu.indicator("small").gaps
    d_sex = next(g for g in gaps if g.area == CITY and g.dimension == "sex" and g.measure == "D")
    for p in d_sex.series:
        assert (p.estimate is None) == (int(p.period) in SMALL_YEARS)
    d_edu = next(
        g for g in gaps if g.area == CITY and g.dimension == "education" and g.measure == "D"
    )
    assert next(p for p in d_edu.series if p.period == "2025").estimate is None
    district = next(g for g in gaps if g.dimension == "district" and g.measure == "MDMW")
    last = next(p for p in district.series if p.period == "2025")
    assert last.note and "without" in last.note  # computed from the districts shown
    flag = next(f for f in fu.flags if f.code == "missing_subgroups" and f.dimension == "education")
    assert "röjandeskyddade" in flag.text_sv


def test_reach_counts_are_suppressed(world) -> None:
    _, fu, _ = world
    result = fu.reach_vs_need[0]
    by_area = {a.area: a for a in result.areas}
    assert by_area["d3"].suppressed and by_area["d3"].reached is None
    assert sum(a.suppressed for a in result.areas) >= 2
    assert by_area["d1"].reached == 300


@pytest.mark.parametrize("dimension", ["sex", "education", "district"])
@pytest.mark.parametrize("period", ["2016", "2025"])
def test_no_hidden_value_in_the_explorer(world, dimension, period) -> None:
    ws, _, hidden = world
    result = explore(ws, "small", dimension, period=period)
    text = _texts(result)
    for value in [*hidden, HIDDEN_SE]:
        assert repr(value) not in text
    for c in _points(result.to_dict()):
        if c["suppressed"]:
            assert c["estimate"] is None and c["se"] is None
