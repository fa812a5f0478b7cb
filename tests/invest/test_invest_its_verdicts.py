"""Interrupted time series and the verdict texts."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from invest_helpers import ar1, monthly
from scipy import stats

from jamlik.invest.effects import verdict as v
from jamlik.invest.effects.its import hac_se, its, newey_west_lags

N = 83  # 2019-01 … 2025-11
START = 2022 + 11 / 12  # December 2022
MONTHS = np.arange(N)
SEASON = np.tile([0, 0, 0, 0, 0, -3, -14, -4, 0, 0, 0, -3], 7)[:N]
POST = MONTHS >= 47


def series(rng: np.random.Generator, level: float) -> np.ndarray:
    return 82 + 0.02 * MONTHS + SEASON + ar1(rng, N, 0.4, 1.2) + level * POST


def test_hac_standard_error_matches_statsmodels() -> None:
    rng = np.random.default_rng(1)
    x = np.column_stack([np.ones(N), MONTHS, POST, (MONTHS - 47) * POST])
    y = series(rng, 0)
    fit = sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": 3})
    assert hac_se(x, fit.resid[None, :], 2, 3)[0] == pytest.approx(fit.bse[2])
    assert newey_west_lags(83) == 3  # ⌊4·0.83^(2/9)⌋ = ⌊3.83⌋


def test_recovers_a_planted_level_change() -> None:
    rng = np.random.default_rng(2)
    r = its(monthly(series(rng, 4.0)), START, unit=("procentenheter", "percentage points"))
    assert r.ci_lb <= 4.0 <= r.ci_ub
    assert r.verdict.code == "effect_found"
    assert r.slope_change == pytest.approx(0, abs=0.1)
    assert "seasonal dummies" in r.method and "sieve bootstrap" in r.method
    covered = sum(
        (lambda e: e.ci_lb <= 4.0 <= e.ci_ub)(
            its(monthly(series(rng, 4.0)), START, bootstrap=199, seed=k)
        )
        for k in range(40)
    )
    assert covered >= 33  # nominal 38 of 40


def test_no_level_change_is_rarely_called_an_effect() -> None:
    # Without the bootstrap calibration, HAC t-tests call 10–25 % of these series an effect.
    rng = np.random.default_rng(3)
    found = sum(
        its(monthly(series(rng, 0.0)), START, bootstrap=199, seed=k).verdict.code == "effect_found"
        for k in range(100)
    )
    assert found <= int(stats.binom.ppf(0.999, 100, 0.05))


def test_too_little_data() -> None:
    short = its(monthly(np.arange(14.0)), 2019.5)  # 6 months before, 8 after
    assert short.verdict.code == "too_little_data"
    assert "at least 8 observations before and after" in short.verdict.text_en


def test_mde_multiplier_is_2_8_at_5_percent_and_80_percent_power() -> None:
    assert v.mde_multiplier(0.05) == pytest.approx(1.959964 + 0.841621, abs=1e-5)


def test_verdict_texts_never_overclaim() -> None:
    pp = ("procentenheter", "percentage points")
    found = v.decide(5.7, 2.3, 8.7, 0.048, 0.05, 3.6, pp)
    assert found.code == "effect_found"
    assert found.text_sv == "Effekt påvisad: +5,7 procentenheter (95 % KI 2,3 till 8,7; p = 0,048)."
    assert found.text_en == "Effect found: +5.7 percentage points (95% CI 2.3 to 8.7; p = 0.048)."
    none = v.decide(-0.7, -3.0, 1.6, 0.6, 0.05, 4.2, pp)
    assert none.code == "no_effect_found"
    assert (
        "could have detected an effect of about ±4.2 percentage points with 80% power"
        in none.text_en
    )
    assert "kunde ha upptäckt en effekt på omkring ±4,2 procentenheter" in none.text_sv
    assert "−0,7" in none.text_sv
    # A p-value at the level without an interval is not enough to claim an effect.
    assert v.decide(1.0, None, None, 0.01, 0.05, 1.0, pp).code == "no_effect_found"
    little = v.too_little_data("regel", "rule")
    assert (little.text_sv, little.text_en) == ("För lite data: regel.", "Too little data: rule.")
    assert v.inconclusive("skäl", "reason").text_en == "Inconclusive: reason."


def test_swedish_numbers() -> None:
    assert v.number_sv(1234567.891, 1) == "1\u202f234\u202f567,9"
    assert v.number_sv(-0.04, 1) == "0,0"
    assert v.number_sv(-2.5, 1) == "−2,5"


def test_the_bootstrap_ar_coefficient_is_not_biased_towards_zero() -> None:
    # Yule–Walker on regression residuals (trend, level and slope change, 11 month dummies,
    # 84 months) underestimates an AR(1) coefficient of 0.5 by about 0.07, which made the
    # bootstrap series too smooth and the test too liberal (size 0.059–0.062 at 5 %). The
    # indirect-inference correction centres the estimates on the truth.
    from statsmodels.regression.linear_model import yule_walker

    from jamlik.invest.effects.its import _ar_fit

    n = 84
    t = np.arange(n, dtype=float)
    post = (t >= 48).astype(float)
    season = [(t % 12 == k).astype(float) for k in range(1, 12)]
    reduced = np.column_stack([np.ones(n), t, (t - 48) * post, *season])
    residual_maker = np.eye(n) - reduced @ np.linalg.pinv(reduced)
    rng = np.random.default_rng(7)
    plain, corrected = [], []
    for k in range(60):
        u = residual_maker @ ar1(rng, n + 50, 0.5, 1.0)[50:]
        plain.append(yule_walker(u, order=1, result_object=False)[0][0])
        phi, _ = _ar_fit(u, reduced, np.random.default_rng(k))
        corrected.append(phi[0] if len(phi) else 0.0)
    assert np.mean(plain) < 0.46
    assert abs(np.mean(corrected) - 0.5) < 0.035
