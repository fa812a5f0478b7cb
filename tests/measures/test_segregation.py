"""Segregation indices on small cities worked by hand, and their decompositions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.measures.segregation import (
    CODES,
    ENTRIES,
    mutual_information_decomposition,
    segregation,
)


def city(matrix, groups=("a", "b"), **extra):
    """Long table from an areas × groups matrix of counts."""
    matrix = np.asarray(matrix)
    rows = [
        {"area": f"area{j}", "group": g, "count": matrix[j, m], **extra}
        for j in range(matrix.shape[0])
        for m, g in enumerate(groups)
    ]
    return pd.DataFrame(rows)


def value(out, measure, group=None, other=None):
    rows = out[out.measure == measure]
    if group is not None:
        rows = rows[rows.group == group]
    if other is not None:
        rows = rows[rows.other_group == other]
    assert len(rows) == 1, rows
    return rows["estimate"].iloc[0]


def mutual_information(matrix):
    """M = Σ_jm p_jm ln(p_jm / (p_j p_m)), straight from the definition."""
    p = np.asarray(matrix, float) / np.sum(matrix)
    pj, pm = p.sum(1, keepdims=True), p.sum(0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.nansum(np.where(p > 0, p * np.log(p / (pj * pm)), 0.0)))


def test_two_by_two_city_by_hand():
    # Area 0: 10 a, 30 b; area 1: 30 a, 10 b. Shares of a: ¼, ¾; of b: ¾, ¼.
    out = segregation(city([[10, 30], [30, 10]]))
    assert value(out, "SEG_D", "a") == pytest.approx(0.5)  # ½(|¼ − ¾| + |¾ − ¼|)
    assert value(out, "SEG_D", "b") == pytest.approx(0.5)
    assert value(out, "SEG_ISO", "a") == pytest.approx(0.25 * 0.25 + 0.75 * 0.75)
    assert value(out, "SEG_EXP", "a", "b") == pytest.approx(0.25 * 0.75 + 0.75 * 0.25)
    e_city, e_area = math.log(2), -(0.25 * math.log(0.25) + 0.75 * math.log(0.75))
    assert value(out, "SEG_M") == pytest.approx(e_city - e_area)
    assert value(out, "SEG_H") == pytest.approx(1 - e_area / e_city)
    # I = ½·½·2 = ½; Σ_j t_j Σ_m |π_jm − π_m| = 40·½ + 40·½ = 40 → 40 / (2·80·½)
    assert value(out, "SEG_DMULTI") == pytest.approx(0.5)


def test_identical_composition_and_complete_separation():
    even = segregation(city([[10, 20], [30, 60], [5, 10]]))
    for code in ("SEG_D", "SEG_H", "SEG_DMULTI", "SEG_M"):
        for est in even[even.measure == code]["estimate"]:
            assert est == pytest.approx(0.0, abs=1e-12), code
    # no segregation: isolation equals the group's share of the city
    assert value(even, "SEG_ISO", "a") == pytest.approx(1 / 3)
    apart = segregation(city([[10, 0], [0, 25], [7, 0]]))
    for code in ("SEG_D", "SEG_H", "SEG_DMULTI"):
        for est in apart[apart.measure == code]["estimate"]:
            assert est == pytest.approx(1.0), code
    assert value(apart, "SEG_ISO", "b") == pytest.approx(1.0)
    assert value(apart, "SEG_EXP", "a", "b") == pytest.approx(0.0)
    assert value(apart, "SEG_M") == pytest.approx(mutual_information([[17, 0], [0, 25]]))


counts = st.lists(
    st.lists(st.integers(0, 60), min_size=3, max_size=3), min_size=2, max_size=7
).filter(lambda m: np.all(np.sum(m, axis=0) > 0) and np.sum(np.sum(m, axis=1) > 0) >= 2)


@settings(max_examples=40, deadline=None)
@given(counts)
def test_identities_on_random_cities(matrix):
    m = np.asarray(matrix, float)
    out = segregation(city(m, groups=("a", "b", "c")))
    assert value(out, "SEG_M") == pytest.approx(mutual_information(m), abs=1e-12)
    pi = m.sum(0) / m.sum()
    e_city = -np.sum(pi * np.log(pi))
    assert value(out, "SEG_H") == pytest.approx(value(out, "SEG_M") / e_city, abs=1e-12)
    # each group's exposures to all groups (its isolation included) add up to 1
    for g in "abc":
        exposure = out[(out.measure == "SEG_EXP") & (out.group == g)]["estimate"].sum()
        assert exposure + value(out, "SEG_ISO", g) == pytest.approx(1.0)
    # two groups only: multigroup D equals the two-group D
    two = segregation(city(m[:, :2]))
    if np.isfinite(value(two, "SEG_D", "a")):
        assert value(two, "SEG_DMULTI") == pytest.approx(value(two, "SEG_D", "a"), abs=1e-12)
    # order of rows and of areas does not matter
    shuffled = city(m, groups=("a", "b", "c")).sample(frac=1, random_state=1)
    again = segregation(shuffled)
    merged = out.merge(again, on=["measure", "group", "other_group"], suffixes=("", "_2"))
    assert np.allclose(merged["estimate"], merged["estimate_2"], equal_nan=True)


def test_many_series_and_bad_ones():
    frame = pd.concat(
        [
            city([[10, 30], [30, 10]], year=2020),
            city([[10, 10], [10, 10]], year=2021),
            city([[10, 30]], year=2022),  # one area: no index
            city([[10, 30], [30, 10]], year=2023).assign(
                count=lambda d: d["count"].where(d.index != 0, np.nan)  # a suppressed cell
            ),
        ],
        ignore_index=True,
    )
    out = segregation(frame, by="year", measures=["SEG_D", "SEG_M"])
    d = out[out.measure == "SEG_D"].groupby("year")["estimate"].first()
    assert d[2020] == pytest.approx(0.5) and d[2021] == pytest.approx(0.0)
    assert np.isnan(d[2022]) and np.isnan(d[2023])
    notes = out.groupby("year")["note"].first()
    assert notes[2022] == "fewer than 2 areas with people"
    assert notes[2023] == "missing or negative count"


def test_malformed_input_raises_one_clear_error():
    with pytest.raises(ValueError, match="missing column"):
        segregation(pd.DataFrame({"area": [1], "count": [1]}))
    dup = pd.concat([city([[1, 2], [3, 4]]), city([[1, 2]])])
    with pytest.raises(ValueError, match="repeat the same series"):
        segregation(dup)
    with pytest.raises(ValueError, match="unknown measure"):
        segregation(city([[1, 2], [3, 4]]), measures=["D"])


def test_polars_in_polars_out():
    pl = pytest.importorskip("polars")
    out = segregation(pl.from_pandas(city([[10, 30], [30, 10]])), measures=["SEG_D"])
    assert isinstance(out, pl.DataFrame)
    assert out["estimate"][0] == pytest.approx(0.5)


# ------------------------------------------------------------------ M decomposition


def nested_city():
    """Six areas in two city parts, four groups in two super-groups, two years."""
    rng = np.random.default_rng(5)
    rows = []
    for year in (2020, 2021):
        for j in range(6):
            for g in ("se", "no", "sy", "ir"):
                rows.append(
                    {
                        "year": year,
                        "area": f"d{j}",
                        "part": "north" if j < 3 else "south",
                        "group": g,
                        "region": "nordic" if g in ("se", "no") else "asia",
                        "count": int(rng.integers(0, 200)),
                    }
                )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("parts", [{"area_parts": "part"}, {"group_parts": "region"}, "both"])
def test_mutual_information_decomposition_adds_up(parts):
    frame = nested_city()
    kwargs = {"area_parts": "part", "group_parts": "region"} if parts == "both" else parts
    out = mutual_information_decomposition(frame, by="year", **kwargs)
    for year in (2020, 2021):
        rows = out[out.year == year]
        summary = rows[rows.part.isna()].set_index("component")["contribution"]
        sub = frame[frame.year == year]
        matrix = sub.pivot(index="area", columns="group", values="count").to_numpy()
        assert summary["total"] == pytest.approx(mutual_information(matrix), abs=1e-12)
        assert summary.drop("total").sum() == pytest.approx(summary["total"], abs=1e-12)
        for component in summary.index.drop(["total", "between"]):
            detail = rows[(rows.component == component) & rows.part.notna()]
            assert detail["contribution"].sum() == pytest.approx(summary[component], abs=1e-12)


def test_mutual_information_decomposition_by_hand():
    frame = nested_city()
    sub = frame[frame.year == 2020]
    out = mutual_information_decomposition(sub, area_parts="part")
    # between = M of the parts × groups table, computed here by aggregating
    by_part = sub.pivot_table(index="part", columns="group", values="count", aggfunc="sum")
    between = out[(out.component == "between")]["contribution"].iloc[0]
    assert between == pytest.approx(mutual_information(by_part.to_numpy()), abs=1e-12)
    # each part's local index = M of its own areas × groups, weighted by its population share
    north = sub[sub.part == "north"].pivot(index="area", columns="group", values="count")
    row = out[(out.component == "within_area_parts") & (out.part == "north")].iloc[0]
    assert row["index"] == pytest.approx(mutual_information(north.to_numpy()), abs=1e-12)
    assert row["population_share"] == pytest.approx(north.to_numpy().sum() / sub["count"].sum())


def test_decomposition_refuses_an_area_in_two_parts():
    frame = nested_city()
    frame.loc[0, "part"] = "south"
    with pytest.raises(ValueError, match="more than one part"):
        mutual_information_decomposition(frame, by="year", area_parts="part")
    with pytest.raises(ValueError, match="no group part given"):
        mutual_information_decomposition(frame, by="year", group_parts={"se": "nordic"})


# ------------------------------------------------------------------ bootstrap intervals


def test_bootstrap_is_reproducible_and_covers_the_truth():
    """Counts drawn from known area compositions: the basic bootstrap interval covers the index
    of the expected counts about as often as it should."""
    rng = np.random.default_rng(5)
    areas, groups, reps = 30, 3, 200
    sizes = rng.integers(100, 400, areas)
    probs = rng.dirichlet(np.ones(groups) * 1.5, areas)
    expected = city(sizes[:, None] * probs, groups=("a", "b", "c"))
    truth = segregation(expected, measures=["SEG_D", "SEG_H", "SEG_DMULTI", "SEG_M"])
    draws = rng.multinomial(sizes, probs, size=(reps, areas))
    sample = pd.concat(
        [city(draws[r], groups=("a", "b", "c"), rep=r) for r in range(reps)], ignore_index=True
    )
    out = segregation(
        sample, by="rep", measures=["SEG_D", "SEG_H", "SEG_DMULTI", "SEG_M"], draws=200, seed=3
    )
    merged = out.merge(truth, on=["measure", "group", "other_group"], suffixes=("", "_true"))
    merged["hit"] = (merged.ci_lb <= merged.estimate_true) & (merged.estimate_true <= merged.ci_ub)
    coverage = merged.groupby(["measure", "group"], dropna=False)["hit"].mean()
    # 200 replicates: binomial sd 0.015 at 95 %. D's kink (|·|) costs it a little coverage.
    for (measure, _group), share in coverage.items():
        low = 0.87 if measure == "SEG_D" else 0.90
        assert low <= share <= 0.99, (measure, share)
    again = segregation(sample[sample.rep < 3], by="rep", measures=["SEG_M"], draws=200, seed=3)
    twice = segregation(sample[sample.rep < 3], by="rep", measures=["SEG_M"], draws=200, seed=3)
    assert np.array_equal(again["ci_lb"], twice["ci_lb"])  # the seed fixes the draws


def test_entries_cover_every_code():
    assert {e.code for e in ENTRIES} == set(CODES)
    assert all(e.family == "segregation" and e.interpretation_sv for e in ENTRIES)
