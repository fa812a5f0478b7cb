"""Disclosure control across linked tables: constructed worst cases, each attacked twice.

For every case the old per-series rule's output is attacked by simple subtraction
(`disclosure_helpers.subtraction_attack`, independent of jamlik's audit): it recovers at least
one hidden count, and the count is the true one. jamlik's audit finds the same leak. On
`suppress`'s output, neither the audit nor the subtraction attack finds anything.
"""

from __future__ import annotations

import pandas as pd
import pytest
from disclosure_helpers import crossed, old_per_series_suppress, subtraction_attack, table

from jamlik.data.disclosure import audit
from jamlik.data.policy import SuppressionPolicy
from jamlik.data.suppression import suppress

BIG = {"low": (40, 120), "mid": (150, 300), "high": (210, 400)}


def _truth(frame: pd.DataFrame) -> dict:
    return {
        (r.indicator, r.period, r.area, r.dimension, r.subgroup): r.numerator
        for r in frame.itertuples()
    }


def district_of_seven():
    """A district of 7 people (4 + 3, two of each with the attribute) beside two large ones."""
    cells = crossed(
        {"a": {"women": (2, 4), "men": (2, 3)}, "b": {"women": (80, 100), "men": (70, 100)},
         "c": {"women": (120, 150), "men": (100, 150)}},
        parent="m", dimension="sex",
    )  # fmt: skip
    return table(cells), {"a": "m", "b": "m", "c": "m"}


def one_per_row_and_column():
    """District × education with one small cell in every row and every column."""
    cells = crossed(
        {"a": {"low": (5, 8), "mid": (30, 50), "high": (250, 300)},
         "b": {"low": (40, 60), "mid": (5, 9), "high": (150, 200)},
         "c": {"low": (300, 400), "mid": (50, 70), "high": (4, 6)}},
        parent="m",
    )  # fmt: skip
    return table(cells), {"a": "m", "b": "m", "c": "m"}


def three_levels():
    """Municipality ⊃ two districts ⊃ two sub-areas each; one sub-area of 6 people."""
    subs = {"s1": {"women": (2, 3), "men": (2, 3)}, "s2": {"women": (60, 90), "men": (50, 80)},
            "s3": {"women": (70, 100), "men": (40, 90)}, "s4": {"women": (30, 60), "men": (45, 70)}}  # fmt: skip
    d1 = crossed({k: subs[k] for k in ("s1", "s2")}, parent="d1", dimension="sex")
    d2 = crossed({k: subs[k] for k in ("s3", "s4")}, parent="d2", dimension="sex")
    districts = {
        d: {s: cells[(d, "sex", s)] for s in ("women", "men")}
        for d, cells in (("d1", d1), ("d2", d2))
    }
    top = crossed(districts, parent="m", dimension="sex")
    frame = table({**d1, **d2, **top})
    return frame, {"s1": "d1", "s2": "d1", "s3": "d2", "s4": "d2", "d1": "m", "d2": "m"}


def not_a_partition():
    """Districts that leave 2 of the municipality's people out (one of them with the
    attribute): subtraction pins a hidden district to within 2 people."""
    cells = crossed(
        {"a": {"women": (3, 4), "men": (2, 4)}, "b": {"women": (80, 100), "men": (70, 100)},
         "c": {"women": (60, 100), "men": (50, 90)}},
        parent="m", dimension="sex",
    )  # fmt: skip
    x, n = cells[("m", "total", "total")]
    cells[("m", "total", "total")] = (x + 1, n + 2)
    x, n = cells[("m", "sex", "women")]
    cells[("m", "sex", "women")] = (x + 1, n + 2)
    return table(cells), {"a": "m", "b": "m", "c": "m"}


CASES = {
    "district of 7": district_of_seven,
    "one per row and column": one_per_row_and_column,
    "three nested levels": three_levels,
    "not a partition": not_a_partition,
}


@pytest.mark.parametrize("case", CASES)
def test_the_old_rule_leaks(case):
    frame, parents = CASES[case]()
    old = old_per_series_suppress(frame)
    recovered = subtraction_attack(old, parents)
    assert recovered, "the attack should break the old rule"
    truth = _truth(frame)
    for key, (low, high) in recovered.items():
        assert low - 1e-6 <= truth[key] <= high + 1e-6  # the attack is right, not lucky
    # jamlik's audit finds every cell the independent attack found.
    found = {
        (e.indicator, e.period, e.area, e.dimension, e.subgroup)
        for e in audit(old, parents).exposures
    }
    assert set(recovered) <= found


@pytest.mark.parametrize("case", CASES)
def test_linked_suppression_holds(case):
    frame, parents = CASES[case]()
    out = suppress(frame, parents=parents)
    result = audit(out, parents)
    assert result.exposures == [] and result.inconsistent == []
    assert subtraction_attack(out, parents) == {}
    assert result.primary >= 1 and result.secondary >= 1
    # Reasons are kept apart; hidden cells have no count or estimate.
    hidden = out["flag"].isin(["suppressed", "suppressed_secondary"])
    assert out.loc[hidden, ["estimate", "numerator", "se"]].isna().all().all()
    assert set(out.loc[hidden, "flag"]) == {"suppressed", "suppressed_secondary"}


def test_the_audit_finds_a_leak_planted_by_hand():
    frame, parents = one_per_row_and_column()
    safe = suppress(frame, parents=parents)
    assert audit(safe, parents).ok
    # Show one secondary cell again: the primary cell sharing its relation opens.
    secondary = safe.index[safe["flag"] == "suppressed_secondary"]
    planted = safe.copy()
    i = secondary[0]
    planted.loc[i] = frame.loc[i]
    result = audit(planted, parents)
    assert not result.ok
    recovered = subtraction_attack(planted, parents)
    truth = _truth(frame)
    exact = {
        (e.indicator, e.period, e.area, e.dimension, e.subgroup): e
        for e in result.exposures if e.exact
    }  # fmt: skip
    for key, (low, high) in recovered.items():
        if high - low < 1e-6:
            assert exact[key].low == pytest.approx(truth[key])
    assert all(e.path for e in result.exposures)


def test_a_hidden_total_shown_as_setting_average_is_found():
    frame, parents = district_of_seven()
    out = suppress(frame, parents=parents)
    rows = out["area"] == "a"
    assert out.loc[rows & (out["dimension"] == "total"), "flag"].item() == "suppressed"
    leaked = out.assign(setting_average=None)
    leaked.loc[rows, "setting_average"] = 100 * 4 / 7  # a's total estimate beside its subgroups
    found = audit(leaked, parents)
    assert any(e.area == "a" and e.dimension == "total" for e in found.exposures)


def test_overlapping_areas_are_not_summed():
    """Children whose sizes exceed their parent's overlap: no sum is assumed, nothing breaks."""
    cells = crossed(
        {"a": {"women": (2, 5), "men": (40, 60)}, "b": {"women": (80, 100), "men": (70, 100)}},
        parent="m", dimension="sex",
    )  # fmt: skip
    for key in [k for k in cells if k[0] == "m"]:
        x, n = cells[key]
        cells[key] = (x - 30, n - 50)  # the parent is smaller than its parts
    frame = table(cells)
    parents = {"a": "m", "b": "m"}
    out = suppress(frame, parents=parents)
    result = audit(out, parents)
    assert result.ok and result.inconsistent == []


@pytest.mark.parametrize("populations", ["rounded", "hidden"])
def test_sizes_of_hidden_cells_rounded_or_hidden(populations):
    frame, parents = one_per_row_and_column()
    policy = SuppressionPolicy(hidden_populations=populations)
    out = suppress(frame, policy, parents=parents)
    hidden = out["flag"].isin(["suppressed", "suppressed_secondary"])
    if populations == "hidden":
        assert out.loc[hidden, ["population", "denominator"]].isna().all().all()
    else:
        assert (out.loc[hidden, "population"] % 5 == 0).all()
    assert audit(out, parents, policy).ok
    assert (out.loc[~hidden, "population"] == frame.loc[~hidden, "population"]).all()


def test_a_higher_protection_hides_more():
    frame, parents = one_per_row_and_column()
    base = suppress(frame, parents=parents)
    strict_policy = SuppressionPolicy(protection=40)
    strict = suppress(frame, strict_policy, parents=parents)
    assert audit(strict, parents, strict_policy).ok
    hidden = strict["flag"].notna().sum()
    assert hidden >= base["flag"].notna().sum()
    assert not audit(base, parents, strict_policy).ok  # the default output fails the stricter
