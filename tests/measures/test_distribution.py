"""Distribution measures: expected values from hand calculations and from second formulas."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.measures._batch import Batch
from jamlik.measures._interval import analytic_limits
from jamlik.measures.distribution import (
    INTERVALS,
    MEASURES,
    REQUIRES,
    atkinson,
    gini,
    hoover,
    palma,
    theil_decomposition,
    theil_decomposition_frame,
    theil_l,
    theil_t,
)

# ------------------------------------------------------------------ independent formulas


def gini_mean_difference(y, w):
    """G = Σ_i Σ_j w_i w_j |y_i − y_j| / (2 W² μ): the double sum, no sorting."""
    y, w = np.asarray(y, float), np.asarray(w, float)
    W, mu = w.sum(), np.dot(w, y) / w.sum()
    return float(
        (w[:, None] * w[None, :] * np.abs(y[:, None] - y[None, :])).sum() / (2 * W**2 * mu)
    )


def lorenz(y, w):
    """Points of the Lorenz curve (population share, value share), from (0, 0)."""
    order = np.argsort(y, kind="stable")
    y, w = np.asarray(y, float)[order], np.asarray(w, float)[order]
    F = np.concatenate(([0.0], np.cumsum(w) / w.sum()))
    L = np.concatenate(([0.0], np.cumsum(w * y) / np.dot(w, y)))
    return F, L


def palma_by_lorenz(y, w):
    F, L = lorenz(y, w)
    return float((1 - np.interp(0.9, F, L)) / np.interp(0.4, F, L))


def theil_t_kl(y, w):
    """Theil T as the Kullback-Leibler divergence of value shares from population shares."""
    y, w = np.asarray(y, float), np.asarray(w, float)
    s, p = w * y / np.dot(w, y), w / w.sum()
    return float(np.sum(np.where(s > 0, s * np.log(np.where(s > 0, s, 1) / p), 0.0)))


def theil_l_kl(y, w):
    y, w = np.asarray(y, float), np.asarray(w, float)
    s, p = w * y / np.dot(w, y), w / w.sum()
    return float(np.sum(p * np.log(p / s)))


def power_mean_atkinson(y, w, eps):
    y, w = np.asarray(y, float), np.asarray(w, float)
    p = w / w.sum()
    mu = np.dot(p, y)
    ede = (
        math.exp(np.dot(p, np.log(y))) if eps == 1 else np.dot(p, y ** (1 - eps)) ** (1 / (1 - eps))
    )
    return 1 - ede / mu


def batch(values, weights, starts, se=None):
    y = np.asarray(values, float)
    n = len(starts) - 1
    return Batch(
        y=y,
        se=np.ones_like(y) if se is None else np.asarray(se, float),
        w=np.asarray(weights, float),
        order=np.full(y.size, np.nan),
        ref=np.zeros(y.size, bool),
        starts=np.asarray(starts, np.int64),
        favourable=np.ones(n, bool),
        ordered=np.zeros(n, bool),
        scale=np.ones(n),
        setting_average=np.full(n, np.nan),
    )


values = st.lists(st.floats(0.01, 1000, allow_nan=False), min_size=2, max_size=12)


@st.composite
def weighted(draw):
    y = draw(values)
    w = draw(st.lists(st.floats(0.1, 100), min_size=len(y), max_size=len(y)))
    return np.array(y), np.array(w)


# ------------------------------------------------------------------ hand-worked cases


def test_gini_hand_cases():
    # [1,2,3,4]: Σ|yi − yj| over ordered pairs = 20, n² = 16, μ = 2.5 → 20 / (2·16·2.5) = 0.25
    assert gini([1, 2, 3, 4]) == pytest.approx(0.25, abs=1e-15)
    # [1,3] held by 3 and 1 people: pairs differing = 2·3·1 of 16, |Δ| = 2, μ = 1.5 → 12/(2·16·1.5)
    assert gini([1, 3], [3, 1]) == pytest.approx(0.25, abs=1e-15)
    assert gini([5, 5, 5]) == pytest.approx(0.0, abs=1e-15)
    assert gini([0, 0, 0, 10]) == pytest.approx(0.75)  # one of four holds all: 1 − 1/n


def test_atkinson_hand_cases():
    # [1, 4], μ = 2.5: ε=½ → ((1 + 2)/2)² = 2.25; ε=1 → √4 = 2; ε=2 → 2/(1 + ¼) = 1.6
    assert atkinson([1, 4], 0.5) == pytest.approx(1 - 2.25 / 2.5)
    assert atkinson([1, 4], 1) == pytest.approx(1 - 2 / 2.5)
    assert atkinson([1, 4], 2) == pytest.approx(1 - 1.6 / 2.5)
    assert atkinson([1, 4], 0) == pytest.approx(0.0, abs=1e-15)
    assert atkinson([0, 4], 2) == pytest.approx(1.0)  # the limit when a holder has nothing


def test_palma_hand_cases():
    assert palma(range(1, 11)) == pytest.approx(10 / 10)  # top person 10, bottom 1+2+3+4
    # 5 people: bottom 40 % = persons 1, 2 (3); top 10 % = half of person 5 (2.5)
    assert palma([1, 2, 3, 4, 5]) == pytest.approx(2.5 / 3)
    # 4 people hold 1, 6 hold 2 (total 16): bottom 40 % = the four (4), top 10 % = one of six (2)
    assert palma([2, 1], [6, 4]) == pytest.approx(2 / 4)
    assert palma([3, 3, 3]) == pytest.approx(0.25)  # equality: 10 % / 40 %


def test_hoover_and_theil_hand_cases():
    # [1,3]: value shares ¼, ¾ against population ½, ½ → ½(¼ + ¼)
    assert hoover([1, 3]) == pytest.approx(0.25)
    # μ = 2: T = ½(½ ln ½ + 1.5 ln 1.5); L = ½(ln 2 + ln ⅔)
    assert theil_t([1, 3]) == pytest.approx(0.5 * (0.5 * math.log(0.5) + 1.5 * math.log(1.5)))
    assert theil_l([1, 3]) == pytest.approx(0.5 * (math.log(2) + math.log(2 / 3)))
    assert theil_t([0, 2]) == pytest.approx(math.log(2))  # 0·ln 0 = 0; the maximum for 2 holders


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="weights has 3 elements but values has 2"):
        gini([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="non-negative"):
        gini([1, -2])
    with pytest.raises(ValueError, match="NaN"):
        hoover([1, float("nan")])
    with pytest.raises(ValueError, match="positive"):
        theil_l([0, 1])
    with pytest.raises(ValueError, match="epsilon"):
        atkinson([1, 2], -1)


# ------------------------------------------------------------------ second formulas (properties)


@settings(max_examples=60, deadline=None)
@given(weighted())
def test_gini_equals_mean_difference_formula(data):
    y, w = data
    assert gini(y, w) == pytest.approx(gini_mean_difference(y, w), rel=1e-9, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(values, st.lists(st.integers(1, 4), min_size=12, max_size=12))
def test_integer_weights_equal_repeated_values(y, reps):
    y = np.array(y)
    k = np.array(reps[: y.size])
    expanded = np.repeat(y, k)
    for f in (gini, palma, hoover, theil_t, theil_l):
        assert f(y, k) == pytest.approx(f(expanded), rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(weighted())
def test_second_formulas(data):
    y, w = data
    F, L = lorenz(y, w)
    assert palma(y, w) == pytest.approx(palma_by_lorenz(y, w), rel=1e-9)
    assert hoover(y, w) == pytest.approx(float(np.max(F - L)), rel=1e-9, abs=1e-12)
    assert theil_t(y, w) == pytest.approx(theil_t_kl(y, w), rel=1e-9, abs=1e-12)
    assert theil_l(y, w) == pytest.approx(theil_l_kl(y, w), rel=1e-9, abs=1e-12)
    for eps in (0.5, 1.0, 2.0):
        assert atkinson(y, eps, w) == pytest.approx(
            power_mean_atkinson(y, w, eps), rel=1e-9, abs=1e-12
        )
    # Atkinson(1) and Theil L carry the same information: A = 1 − exp(−L)
    assert atkinson(y, 1, w) == pytest.approx(1 - math.exp(-theil_l(y, w)), rel=1e-9, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(weighted(), st.floats(0.01, 100))
def test_scale_invariance(data, c):
    y, w = data
    for f in (gini, palma, hoover, theil_t, theil_l):
        assert f(c * y, w) == pytest.approx(f(y, w), rel=1e-9, abs=1e-12)


# ------------------------------------------------------------------ Theil decomposition


@settings(max_examples=60, deadline=None)
@given(weighted(), st.data())
def test_theil_decomposition_adds_up_exactly(data, draw):
    y, w = data
    labels = np.array(draw.draw(st.lists(st.sampled_from("abc"), min_size=y.size, max_size=y.size)))
    for index, direct in (("T", theil_t), ("L", theil_l)):
        d = theil_decomposition(y, w, labels, index=index)
        assert d.total == pytest.approx(direct(y, w), rel=1e-12, abs=1e-14)
        assert d.between + d.within == pytest.approx(d.total, rel=1e-10, abs=1e-13)
        assert d.groups["within_contribution"].sum() == pytest.approx(d.within, abs=1e-13)
        assert d.groups["between_contribution"].sum() == pytest.approx(d.between, abs=1e-13)
        # Between = the index when everyone holds their group's mean.
        means = d.groups["mean"].to_numpy()
        pops = d.groups["population"].to_numpy()
        assert d.between == pytest.approx(direct(means, pops), rel=1e-9, abs=1e-13)


def test_theil_decomposition_intersectional_by_hand():
    # district × sex: four cells of one value each, so within = 0 and between = total.
    y, w = [10.0, 20.0, 30.0, 60.0], [1, 1, 1, 1]
    d = theil_decomposition(y, w, {"district": ["A", "A", "B", "B"], "sex": ["f", "m", "f", "m"]})
    assert d.within == pytest.approx(0.0, abs=1e-15)
    assert d.between == pytest.approx(theil_t(y, w))
    assert list(d.groups.columns[:2]) == ["district", "sex"]
    # by district only: between uses the district means 15 and 45 (μ = 30)
    d2 = theil_decomposition(y, w, ["A", "A", "B", "B"])
    expected_between = 0.5 * (0.5 * math.log(0.5) + 1.5 * math.log(1.5))
    assert d2.between == pytest.approx(expected_between)
    assert d2.within == pytest.approx(d2.total - expected_between)


def test_theil_decomposition_frame_matches_array_version_per_series():
    rng = np.random.default_rng(7)
    rows = pd.DataFrame(
        {
            "year": np.repeat([2020, 2021, 2022], 40),
            "district": np.tile(np.repeat(["A", "B", "C", "D"], 10), 3),
            "sex": np.tile(["f", "m"], 60),
            "estimate": rng.lognormal(3, 0.6, 120),
            "population": rng.integers(1, 50, 120).astype(float),
        }
    )
    rows.loc[5, "estimate"] = np.nan  # 2020 has a missing value: a note, not a number
    out = theil_decomposition_frame(rows, ["district", "sex"], by="year")
    assert list(out["measure"].unique()) == ["THEIL_T", "THEIL_L"]
    r2020 = out[(out.year == 2020)]
    assert r2020["total"].isna().all() and (r2020["note"] == "missing value or weight").all()
    for year in (2021, 2022):
        sub = rows[rows.year == year]
        for index in ("T", "L"):
            d = theil_decomposition(
                sub.estimate, sub.population, sub[["district", "sex"]], index=index
            )
            got = out[(out.year == year) & (out.measure == f"THEIL_{index}")].iloc[0]
            assert got["total"] == pytest.approx(d.total, rel=1e-12)
            assert got["between"] == pytest.approx(d.between, rel=1e-12)
            assert got["within"] == pytest.approx(d.within, rel=1e-12)
    detail = theil_decomposition_frame(rows, "district", by="year", index="T", detail=True)
    sub, part = rows[rows.year == 2022], detail[detail.year == 2022]
    d = theil_decomposition(sub.estimate, sub.population, sub.district)
    assert part["within_contribution"].sum() == pytest.approx(d.within, rel=1e-12)
    assert part["between_contribution"].sum() == pytest.approx(d.between, rel=1e-12)
    assert len(part) == 4  # one row per district


def test_theil_decomposition_frame_polars_in_polars_out():
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"v": [1.0, 2.0, 3.0, 4.0], "g": ["a", "a", "b", "b"]})
    out = theil_decomposition_frame(frame, "g", value="v", weight=None, index="T")
    assert isinstance(out, pl.DataFrame)
    assert out["total"][0] == pytest.approx(theil_t([1, 2, 3, 4]))


# ------------------------------------------------------------------ Batch API (all series at once)


def test_batch_matches_independent_formulas_per_series():
    rng = np.random.default_rng(11)
    counts = rng.integers(2, 9, 300)
    starts = np.concatenate(([0], np.cumsum(counts)))
    y = rng.lognormal(2, 0.7, starts[-1])
    y[rng.random(y.size) < 0.1] = 10.0  # ties within series
    w = rng.integers(1, 1000, starts[-1]).astype(float)
    b = batch(y, w, starts)
    got = {code: f(b) for code, f in MEASURES.items()}
    for s in range(0, 300, 7):
        ys, ws = y[starts[s] : starts[s + 1]], w[starts[s] : starts[s + 1]]
        assert got["GINI"][s] == pytest.approx(gini_mean_difference(ys, ws), rel=1e-9)
        assert got["PALMA"][s] == pytest.approx(palma_by_lorenz(ys, ws), rel=1e-9)
        assert got["THEIL_T"][s] == pytest.approx(theil_t_kl(ys, ws), rel=1e-9)
        assert got["THEIL_L"][s] == pytest.approx(theil_l_kl(ys, ws), rel=1e-9)
        F, L = lorenz(ys, ws)
        assert got["HOOVER"][s] == pytest.approx(np.max(F - L), rel=1e-9)
        assert got["ATK2"][s] == pytest.approx(power_mean_atkinson(ys, ws, 2.0), rel=1e-9)


def test_batch_bad_series_do_not_touch_the_others():
    b = batch([1, 2, 3, -1, 2, 0, 5, 1, 4], [1] * 9, [0, 3, 5, 7, 9])
    assert np.isnan(MEASURES["GINI"](b)[1])  # a negative estimate
    assert MEASURES["GINI"](b)[0] == pytest.approx(gini([1, 2, 3]))
    theil_l_values = MEASURES["THEIL_L"](b)
    assert np.isnan(theil_l_values[2]) and theil_l_values[3] == pytest.approx(theil_l([1, 4]))
    assert set(REQUIRES) == set(MEASURES) == set(INTERVALS)


def test_order_of_subgroups_does_not_matter():
    rng = np.random.default_rng(3)
    y, w = rng.lognormal(1, 1, 8), rng.integers(1, 9, 8).astype(float)
    perm = rng.permutation(8)
    for code, f in MEASURES.items():
        assert f(batch(y, w, [0, 8]))[0] == pytest.approx(f(batch(y[perm], w[perm], [0, 8]))[0]), (
            code
        )


def test_delta_method_gradients_match_numerical_derivatives():
    """se from the analytic gradient = se from finite differences of the measure itself."""
    y = np.array([12.0, 20.0, 31.0, 45.0, 70.0])
    w = np.array([3.0, 1.0, 2.0, 5.0, 2.0])
    se = np.array([1.0, 2.0, 0.5, 1.5, 3.0])
    for code, f in MEASURES.items():
        h = 1e-6
        step = h * np.eye(5)
        grad = np.array(
            [
                (f(batch(y + step[k], w, [0, 5]))[0] - f(batch(y - step[k], w, [0, 5]))[0])
                / (2 * h)
                for k in range(5)
            ]
        )
        numeric = math.sqrt(np.sum(grad**2 * se**2))
        b = batch(y, w, [0, 5], se)
        got, _, _ = analytic_limits(INTERVALS[code], b, f(b), np.array([1.96]))
        assert got[0] == pytest.approx(numeric, rel=1e-5), code


def test_interval_coverage_by_simulation():
    """Redraw subgroup estimates around a known truth; the 95 % intervals must cover ~95 %."""
    rng = np.random.default_rng(2024)
    truth_y = np.array([20.0, 30.0, 40.0, 55.0, 70.0])
    w = np.array([1.0, 2.0, 3.0, 2.0, 1.0]) * 1000
    reps, k, sd = 1500, 5, 3.0
    truth = {code: f(batch(truth_y, w, [0, k]))[0] for code, f in MEASURES.items()}
    y = np.tile(truth_y, reps) + rng.normal(0, sd, reps * k)
    b = batch(y, np.tile(w, reps), np.arange(0, reps * k + 1, k), np.full(reps * k, sd))
    for code, f in MEASURES.items():
        _, lo, hi = analytic_limits(INTERVALS[code], b, f(b), np.array([1.959964]))
        coverage = np.mean((lo[0] <= truth[code]) & (truth[code] <= hi[0]))
        # binomial sd at 95 % with 1500 draws is 0.0056: ±0.025 is more than 4 sd
        assert 0.925 <= coverage <= 0.975, (code, coverage)
