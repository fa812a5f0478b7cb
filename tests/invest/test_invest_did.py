"""Difference-in-differences: recovers a planted effect, finds none in placebo data more often
than the nominal 5 % allows, flags differing pre-trends, and knows when data are too few."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.formula.api as smf
from invest_helpers import exchangeable_panel, panel
from scipy import stats

from jamlik.invest.effects.did import cluster_fit, did, rank_one_coefficients

START = 2023.0  # years 2012–2025: 11 before, 3 after
POST = np.arange(2012, 2026) >= 2023
DATASETS = 200


def most_false_positives(n: int, rate: float = 0.05) -> int:
    """The 99.9th percentile of the number of rejections when the true rate is `rate`."""
    return int(stats.binom.ppf(0.999, n, rate))


def test_estimate_equals_statsmodels_two_way_fixed_effects() -> None:
    rng = np.random.default_rng(1)
    y = exchangeable_panel(rng)
    frame = panel(y)
    frame["d"] = ((frame["unit"].isin(["u00", "u03"])) & (frame["time"] > START)).astype(float)
    fit = smf.ols("value ~ d + C(unit) + C(period)", data=frame).fit()
    a = np.zeros((1, 21))
    a[0, [0, 3]] = 1
    assert rank_one_coefficients(y, a, POST.astype(float))[0] == pytest.approx(fit.params["d"])
    assert did(frame, ["u00", "u03"], START).estimate == pytest.approx(fit.params["d"])


def test_cluster_errors_equal_statsmodels_with_the_dummies_written_out() -> None:
    rng = np.random.default_rng(9)
    y = exchangeable_panel(rng, n=30)
    frame = panel(y)
    treated = frame["unit"].isin([f"u{i:02d}" for i in range(12)])
    frame["d"] = (treated & (frame["time"] > START)).astype(float)
    groups = frame["unit"].astype("category").cat.codes
    full = smf.ols("value ~ d + C(unit) + C(period)", data=frame).fit(
        cov_type="cluster", cov_kwds={"groups": groups}, use_t=True
    )
    a = np.zeros(30)
    a[:12] = 1
    fit = cluster_fit(y, np.outer(a, POST), 0.05)
    assert fit.beta == pytest.approx(full.params["d"])
    assert fit.se == pytest.approx(full.bse["d"])
    assert fit.p == pytest.approx(full.pvalues["d"])
    assert fit.ci == pytest.approx(tuple(full.conf_int(0.05).loc["d"]))


def test_recovers_a_planted_effect_with_permutation_inference() -> None:
    rng = np.random.default_rng(2)
    estimates, covered, found = [], 0, 0
    for _ in range(100):
        y = exchangeable_panel(rng)
        y[0, POST] += 6.0
        r = did(panel(y), ["u00"], START, unit=("procentenheter", "percentage points"), power=False)
        assert r.inference == "permutation"
        estimates.append(r.estimate)
        covered += r.ci_lb <= 6.0 <= r.ci_ub
        found += r.verdict.code == "effect_found"
    se_mean = np.std(estimates, ddof=1) / 10
    assert abs(np.mean(estimates) - 6.0) < 4 * se_mean
    assert covered >= 88  # nominal 95 of 100
    assert found >= 80  # 6 units is about 4.5 standard errors here


def test_placebo_data_rarely_show_an_effect() -> None:
    rng = np.random.default_rng(3)
    found = sum(
        did(panel(exchangeable_panel(rng)), ["u00"], START, power=False).verdict.code
        == "effect_found"
        for _ in range(DATASETS)
    )
    assert found <= most_false_positives(DATASETS)


def test_many_clusters_use_cluster_robust_errors_at_nominal_size() -> None:
    rng = np.random.default_rng(4)
    treated = [f"u{i:02d}" for i in range(20)]
    found = 0
    for _ in range(DATASETS):
        r = did(panel(exchangeable_panel(rng, n=40)), treated, START)
        assert r.inference == "cluster"
        found += r.p_value <= 0.05
    assert found <= most_false_positives(DATASETS)


def test_many_clusters_recover_a_planted_effect() -> None:
    rng = np.random.default_rng(8)
    treated = [f"u{i:02d}" for i in range(20)]
    estimates, covered = [], 0
    for _ in range(50):
        y = exchangeable_panel(rng, n=40)
        y[:20, POST] += 2.0
        r = did(panel(y), treated, START)
        estimates.append(r.estimate)
        covered += r.ci_lb <= 2.0 <= r.ci_ub
    assert abs(np.mean(estimates) - 2.0) < 4 * np.std(estimates, ddof=1) / np.sqrt(50)
    assert covered >= 42  # nominal 47.5 of 50; 42 is below the binomial 0.1 % tail


def test_differing_pre_trends_make_the_verdict_inconclusive() -> None:
    rng = np.random.default_rng(5)
    y = exchangeable_panel(rng, noise=0.5)
    y[0] += 1.0 * np.arange(14)  # the treated unit drifts upwards all along
    r = did(panel(y), ["u00"], START)
    assert r.pretrend_p <= 0.05
    assert r.verdict.code == "inconclusive"
    assert "trend" in r.verdict.text_en


def test_too_little_data_names_the_rule() -> None:
    rng = np.random.default_rng(6)
    small = did(panel(exchangeable_panel(rng, n=10)), ["u00"], START)
    assert small.verdict.code == "too_little_data"
    assert "1/10" in small.verdict.text_en and "comparison units" in small.verdict.text_en
    short = did(
        panel(exchangeable_panel(rng, t=12)), ["u00"], START
    )  # 2012–2023: 11 before, 1 after
    assert short.verdict.code != "too_little_data"
    one_before = did(panel(exchangeable_panel(rng, t=3), start_year=2022), ["u00"], START)
    assert one_before.verdict.code == "too_little_data"
    assert "2 periods before" in one_before.verdict.text_en


def test_units_with_gaps_are_left_out_and_named() -> None:
    rng = np.random.default_rng(7)
    frame = panel(exchangeable_panel(rng, n=22))
    frame.loc[(frame["unit"] == "u05") & (frame["period"] == "2015"), "value"] = np.nan
    r = did(frame, ["u00"], START)
    assert "u05" not in r.comparison and r.n_units == 21
    assert any("u05" in note for note in r.notes)
