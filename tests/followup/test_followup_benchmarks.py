"""Benchmarks: district against its municipality (a part against a whole that contains it), a
group of municipalities and the nation, with the standard errors derived independently."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from followup_helpers import CITY, DISTRICTS, areas, indicator, programme, row, workspace
from scipy import stats

from jamlik.data import Area
from jamlik.followup import build_followup
from jamlik.followup.benchmark import benchmarks_from, compare_values

VALUES = {
    "d1": (70.0, 0.5),
    "d2": (64.0, 0.6),
    "d3": (66.0, 0.8),
    "d4": (58.0, 0.9),
    "d5": (66.5, 1.2),
}
POPS = dict(DISTRICTS)
TOTAL_POP = sum(POPS.values())


def whole() -> tuple[float, float]:
    """The municipality as the population-weighted mean of independent districts."""
    mean = sum(POPS[d] / TOTAL_POP * v for d, (v, _) in VALUES.items())
    se = math.sqrt(sum((POPS[d] / TOTAL_POP * s) ** 2 for d, (_, s) in VALUES.items()))
    return mean, se


def test_independent_comparison_by_hand() -> None:
    r = compare_values(60.0, 1.0, 55.0, 1.0, favourable=True)
    z = stats.norm.ppf(0.975)
    assert r["difference"] == 5.0 and r["se"] == pytest.approx(math.sqrt(2))
    assert r["ci_lb"] == pytest.approx(5 - z * math.sqrt(2))
    assert r["p_value"] == pytest.approx(2 * stats.norm.sf(5 / math.sqrt(2)))
    assert r["verdict"] == "better"
    assert compare_values(60.0, 1.0, 55.0, 1.0, favourable=False)["verdict"] == "worse"
    assert compare_values(56.0, 1.0, 55.0, 1.0, favourable=True)["verdict"] == "no_clear_difference"
    assert compare_values(None, 1.0, 55.0, 1.0, favourable=True)["verdict"] == "no_data"


def test_districts_against_their_municipality(tmp_path) -> None:
    mean, se = whole()
    rows = [
        row("x", 2025, d, "total", "total", v, se=s, population=float(POPS[d]))
        for d, (v, s) in VALUES.items()
    ]
    rows.append(row("x", 2025, CITY, "total", "total", mean, se=se, population=float(TOTAL_POP)))
    prog = programme([{"id": "g", "kind": "goal", "title": "Mål", "indicators": ["x"]}])
    ws = workspace(tmp_path / "ws", [indicator("x")], rows, prog)
    fu = build_followup(ws, "test-prog", 2025, today=date(2025, 6, 1))
    bench = {b.area: b for b in fu.benchmarks if b.comparison == "whole"}
    assert set(bench) == set(VALUES)
    for d, (v, s) in VALUES.items():
        # d − Σ pᵢ xᵢ = (1 − p_d) x_d − Σ_{i≠d} pᵢ xᵢ, a linear combination of independent
        # estimates: its variance is the sum of squared coefficients times variances.
        var = (1 - POPS[d] / TOTAL_POP) ** 2 * s**2 + sum(
            (POPS[o] / TOTAL_POP * so) ** 2 for o, (_, so) in VALUES.items() if o != d
        )
        b = bench[d]
        assert b.comparison_areas == [CITY] and b.period == "2025"
        assert b.difference == pytest.approx(v - mean)
        assert b.se == pytest.approx(math.sqrt(var), rel=1e-9)
    assert bench["d1"].verdict == "better" and bench["d4"].verdict == "worse"
    assert bench["d5"].verdict == "no_clear_difference"
    assert "bättre än helheten" in bench["d1"].text_sv


def test_group_and_nation() -> None:
    defined = {a.id: a for a in areas()}
    for a in ("m2", "m3"):
        defined[a] = Area(id=a, name=a.upper(), level="municipality")
    defined["se"] = Area(id="se", name="Riket", level="municipality")
    frame = pd.DataFrame(
        [
            row("x", 2025, CITY, "total", "total", 60.0, se=0.5, population=10000.0),
            row("x", 2025, "m2", "total", "total", 56.0, se=0.6, population=30000.0),
            row("x", 2025, "m3", "total", "total", 52.0, se=0.8, population=10000.0),
            row("x", 2025, "se", "total", "total", 59.5, se=0.1, population=1e7),
        ]
    )
    out = benchmarks_from(
        frame, indicator("x"), CITY, defined, group=["m2", "m3", CITY], nation="se"
    )
    group = next(b for b in out if b.comparison == "group")
    assert group.comparison_areas == ["m2", "m3"]  # the area is not its own comparison
    mean = 0.75 * 56 + 0.25 * 52
    assert group.comparison_value == pytest.approx(mean)
    assert group.se == pytest.approx(math.sqrt(0.5**2 + (0.75 * 0.6) ** 2 + (0.25 * 0.8) ** 2))
    assert group.verdict == "better"
    nation = next(b for b in out if b.comparison == "nation")
    assert nation.difference == pytest.approx(0.5)
    assert nation.se == pytest.approx(math.sqrt(0.5**2 + 0.1**2))
    assert nation.verdict == "no_clear_difference"
