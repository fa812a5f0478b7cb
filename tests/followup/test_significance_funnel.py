"""Significance against a benchmark (Fingertips' method) and funnel-plot limits, each checked
against an independent derivation: statsmodels' Wilson interval, scipy's normal p-values, the
binomial variance written out, and the overdispersion test by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from jamlik.followup.funnel import FunnelInput, funnel, winsorise
from jamlik.followup.significance import Value, categorise, interval


def expected_by_p_value(est: float, se: float, bench: float, higher_is_better: bool) -> str:
    """Category from the two-sided p-value of (est − bench)/se: another formula for the same
    rule (the interval excludes the benchmark ⇔ p < 1 − level)."""
    p = 2 * stats.norm.sf(abs(est - bench) / se)
    if p >= 0.05:
        return "similar"
    word = "better" if (est > bench) == higher_is_better else "worse"
    return f"{word}_{'998' if p < 0.002 else '95'}"


@pytest.mark.parametrize("higher_is_better", [True, False])
def test_normal_categories_match_p_values(higher_is_better):
    rng = np.random.default_rng(19)
    seen = set()
    for _ in range(400):
        est, se, bench = rng.normal(50, 5), rng.uniform(0.5, 4), rng.normal(50, 5)
        got, method = categorise(Value(est, se=se), bench, higher_is_better)
        assert method == "normal"
        assert got == expected_by_p_value(est, se, bench, higher_is_better)
        seen.add(got)
    assert seen == {"better_998", "better_95", "similar", "worse_95", "worse_998"}


def test_wilson_for_proportions_matches_statsmodels():
    for k, n in [(3, 40), (0, 25), (25, 25), (180, 400), (1, 1000)]:
        est = 100 * k / n
        for level in (0.95, 0.998):
            lo, hi, method = interval(Value(est, numerator=k, denominator=n, scale=100), level)
            ref_lo, ref_hi = proportion_confint(k, n, alpha=1 - level, method="wilson")
            assert method == "wilson"
            assert lo == pytest.approx(100 * ref_lo, abs=1e-9)
            assert hi == pytest.approx(100 * ref_hi, abs=1e-9)


def test_wilson_category_is_asymmetric_near_zero():
    # 1 of 200 (0.5 %) against a benchmark of 4 %: a symmetric normal interval from the
    # binomial se would cross below 0; Wilson's upper 95 % limit is statsmodels'.
    _, hi95 = proportion_confint(1, 200, alpha=0.05, method="wilson")
    _, hi998 = proportion_confint(1, 200, alpha=0.002, method="wilson")
    assert hi95 * 100 < 4.0 < hi998 * 100  # below at 95 %, not at 99.8 %
    got, _ = categorise(Value(0.5, numerator=1, denominator=200, scale=100), 4.0, False)
    assert got == "better_95"  # lower is better for this indicator


def test_counts_that_are_not_the_estimates_own_are_not_used():
    # a standardised rate delivered beside raw counts: the se decides, not Wilson
    v = Value(30.0, se=1.0, numerator=10, denominator=100, scale=100)
    assert interval(v, 0.95)[2] == "normal"


def test_interval_from_the_sources_95_percent_interval():
    # se = 2 → 95 % interval 50 ± 3.92; the benchmark 44 lies 3 se below: p ≈ 0.0027
    v = Value(50.0, ci_lb=50 - 1.959964 * 2, ci_ub=50 + 1.959964 * 2)
    got, method = categorise(v, 44.0, True)
    assert method == "normal_from_ci"
    assert got == expected_by_p_value(50, 2, 44, True) == "better_95"


def test_nothing_is_guessed():
    assert categorise(Value(50.0), 40.0, True)[0] == "not_compared"
    assert categorise(Value(None, se=1.0), 40.0, True)[0] == "no_data"
    assert categorise(Value(50.0, se=1.0), None, True)[0] == "not_compared"
    assert categorise(Value(60.0, se=1.0), 40.0, None)[0] == "higher_998"


def test_funnel_limits_are_binomial_without_overdispersion():
    # ten districts drawn exactly at the target's proportion: no overdispersion, limits are
    # p0 ± z·sqrt(p0(1 − p0)/n) on the percent scale
    p0 = 0.3
    sizes = [50, 80, 120, 200, 300, 500, 800, 1200, 2000, 5000]
    inputs = [FunnelInput(f"d{i}", 30.0, None, n) for i, n in enumerate(sizes)]
    f = funnel(inputs, 30.0, favourable=True, scale=100)
    assert f is not None and not f.overdispersed and f.tau2 == 0
    for row in f.limits[::7]:
        half95 = 1.959964 * math.sqrt(p0 * (1 - p0) / row["size"]) * 100
        assert row["upper_95"] == pytest.approx(min(100, 30 + half95), rel=1e-6)
        assert row["lower_95"] == pytest.approx(max(0, 30 - half95), rel=1e-6)
        half998 = 3.090232 * math.sqrt(p0 * (1 - p0) / row["size"]) * 100
        assert row["upper_998"] == pytest.approx(min(100, 30 + half998), rel=1e-6)


def test_funnel_categories_follow_the_limits_and_polarity():
    # n = 400, p0 = 0.5: se = 2.5 percentage points. 56 is 2.4 se above (95 % only),
    # 60 is 4 se above (99.8 %), 44 is 2.4 se below; higher is worse.
    inputs = [
        FunnelInput("a", 56.0, None, 400),
        FunnelInput("b", 60.0, None, 400),
        FunnelInput("c", 44.0, None, 400),
        *(FunnelInput(f"n{i}", 50.0, None, 400) for i in range(17)),
        FunnelInput("hidden", None, None, 400, suppressed=True),
    ]
    f = funnel(inputs, 50.0, favourable=False, scale=100)
    assert f is not None and f.left_out == ["hidden"]
    # winsorised, the three outliers shrink to the 10th/90th percentiles: no overdispersion
    assert not f.overdispersed
    got = {p.key: p.category for p in f.points}
    assert got == {
        "a": "worse_95",
        "b": "worse_998",
        "c": "better_95",
        **{f"n{i}": "similar" for i in range(17)},
    }


def test_overdispersion_adds_the_additive_random_effect():
    # values spread far beyond binomial noise: check phi, the chi-square test and tau² by hand
    sizes = np.array([300, 500, 800, 1000, 1500, 2000, 2500, 3000, 4000, 6000], dtype=float)
    values = np.array([20, 45, 28, 38, 25, 41, 30, 36, 27, 33], dtype=float)
    target = 32.0
    f = funnel(
        [
            FunnelInput(str(i), v, None, n)
            for i, (v, n) in enumerate(zip(values, sizes, strict=True))
        ],
        target,
        favourable=True,
        scale=100,
    )
    p0 = target / 100
    var = p0 * (1 - p0) / sizes * 100**2
    z = (values - target) / np.sqrt(var)
    # winsorise 10 % at each end by hand: with ten values, the lowest and highest z take the
    # 10th and 90th percentiles (numpy's linear interpolation between order statistics)
    zs = np.sort(z)
    lo = zs[0] + 0.9 * (zs[1] - zs[0])
    hi = zs[8] + 0.1 * (zs[9] - zs[8])
    zw = np.clip(z, lo, hi)
    assert np.allclose(winsorise(z), zw)
    phi = float(np.mean(zw**2))
    assert f is not None and f.phi == pytest.approx(phi)
    assert f.chi2_p == pytest.approx(stats.chi2.sf(10 * phi, 9))
    assert f.overdispersed
    w = 1 / var
    tau2 = (10 * phi - 9) / (w.sum() - (w**2).sum() / w.sum())
    assert f.tau2 == pytest.approx(tau2)
    row = f.limits[20]
    half = 1.959964 * math.sqrt(p0 * (1 - p0) / row["size"] * 100**2 + tau2)
    assert row["upper_95"] == pytest.approx(target + half, rel=1e-6)
