"""Synthetic control: the weights solve the constrained problem, a planted effect is recovered,
placebo data rarely show an effect, and too few donors or periods are said to be too little."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from invest_helpers import factor_panel, panel
from scipy import stats
from scipy.optimize import minimize

from jamlik.errors import JamlikError
from jamlik.invest.effects.synth import simplex_weights, synthetic_control

START = 2023.0
POST = np.arange(2012, 2026) >= 2023
DATASETS = 200


def slsqp(target: np.ndarray, donors: np.ndarray) -> np.ndarray:
    """The same problem stated exactly for scipy's SLSQP: an independent solution."""
    j = donors.shape[1]
    res = minimize(
        lambda w: np.sum((target - donors @ w) ** 2),
        np.full(j, 1 / j),
        jac=lambda w: -2 * donors.T @ (target - donors @ w),
        method="SLSQP",
        bounds=[(0, 1)] * j,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1}],
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    return res.x


def test_weights_match_slsqp_and_respect_the_constraints() -> None:
    rng = np.random.default_rng(1)
    for _ in range(5):
        donors = rng.normal(80, 5, (1, 15)) + rng.normal(0, 2, (11, 15))
        target = donors @ rng.dirichlet(np.ones(15)) + rng.normal(0, 1, 11)
        w = simplex_weights(target, donors)
        assert w.min() >= 0 and w.sum() == pytest.approx(1, abs=1e-12)
        ref = slsqp(target, donors)
        loss_w, loss_ref = (np.sum((target - donors @ v) ** 2) for v in (w, ref))
        assert loss_w == pytest.approx(loss_ref, rel=1e-6, abs=1e-9)


def test_a_unit_inside_the_donors_is_fitted_exactly() -> None:
    rng = np.random.default_rng(2)
    y = rng.normal(80, 5, (11, 14))
    y[0] = 0.5 * y[3] + 0.3 * y[7] + 0.2 * y[9]
    y = np.vstack([y, rng.normal(80, 5, (10, 14))])  # 20 donors
    r = synthetic_control(panel(y), "u00", START)
    assert r.weights == pytest.approx({"u03": 0.5, "u07": 0.3, "u09": 0.2}, abs=1e-3)
    assert r.pre_rmspe == pytest.approx(0, abs=1e-4)
    assert r.estimate == pytest.approx(0, abs=1e-4)


def test_recovers_a_planted_effect() -> None:
    rng = np.random.default_rng(3)
    estimates, covered, found = [], 0, 0
    for _ in range(100):
        y = factor_panel(rng)
        y[0, POST] += 5.0
        r = synthetic_control(
            panel(y), "u00", START, unit=("procentenheter", "percentage points"), power=False
        )
        estimates.append(r.estimate)
        covered += r.ci_lb is not None and r.ci_lb <= 5.0 <= r.ci_ub
        found += r.verdict.code == "effect_found"
    assert abs(np.mean(estimates) - 5.0) < 4 * np.std(estimates, ddof=1) / 10
    assert covered >= 85
    assert found >= 60


def test_placebo_data_rarely_show_an_effect() -> None:
    rng = np.random.default_rng(4)
    found = sum(
        synthetic_control(panel(factor_panel(rng)), "u00", START, power=False).verdict.code
        == "effect_found"
        for _ in range(DATASETS)
    )
    assert found <= int(stats.binom.ppf(0.999, DATASETS, 0.05))


def test_p_value_is_the_rank_among_placebos() -> None:
    rng = np.random.default_rng(5)
    y = factor_panel(rng)
    y[0, POST] += 30.0  # far beyond any placebo: the treated unit ranks first of 21
    r = synthetic_control(panel(y), "u00", START)
    assert r.p_value == pytest.approx(1 / 21)
    assert r.verdict.code == "effect_found"


def test_too_few_donors_or_periods() -> None:
    rng = np.random.default_rng(6)
    few = synthetic_control(panel(factor_panel(rng, n=11)), "u00", START)
    assert few.verdict.code == "too_little_data" and "1/11" in few.verdict.text_en
    short = synthetic_control(
        panel(factor_panel(rng, t=7), start_year=2019), "u00", START
    )  # 4 years before
    assert short.verdict.code == "too_little_data" and "5 periods before" in short.verdict.text_en


def test_a_treated_unit_outside_the_donors_is_not_trusted() -> None:
    rng = np.random.default_rng(7)
    y = factor_panel(rng)
    y[0] = y.max(axis=0) + 10 + rng.normal(0, 1, 14)  # above every donor in every year
    r = synthetic_control(panel(y), "u00", START)
    assert r.verdict.code == "inconclusive"
    assert "systematically" in r.verdict.text_en


def test_predictor_importance_finds_the_predictors_that_fit_the_outcomes() -> None:
    from jamlik.invest.effects.synth import _fit

    # Three donors. Predictors A1, A2 place the treated unit at 0.6·d1 + 0.4·d2; B1, B2 place it
    # on d3. Its pre-period outcomes are 0.6·d1 + 0.4·d2, so the data-driven V must trust A:
    # with V on A only, A1, A2 and Σw = 1 are three equations for three weights: (0.6, 0.4, 0).
    rng = np.random.default_rng(8)
    donors_y = rng.normal(50, 8, (3, 12))
    treated_y = 0.6 * donors_y[0] + 0.4 * donors_y[1]
    a = np.array([[1.0, 5.0, 9.0], [2.0, 1.0, 7.0]])  # A1, A2 for d1, d2, d3
    b = np.array([[3.0, 4.0, 8.0], [6.0, 2.0, 1.0]])  # B1, B2
    x_treated = np.concatenate([a @ [0.6, 0.4, 0.0], b[:, 2]])
    x = np.column_stack([np.vstack([a, b]), x_treated])  # units d1, d2, d3, treated
    y = np.vstack([donors_y, treated_y])
    w, gaps = _fit(y, 3, np.array([0, 1, 2]), 8, x)
    assert w == pytest.approx([0.6, 0.4, 0.0], abs=0.02)
    assert np.abs(gaps[:8]).max() < 0.05 * np.abs(treated_y).mean()


def test_covariates_and_predictor_periods_are_checked_and_named() -> None:
    rng = np.random.default_rng(9)
    y = factor_panel(rng)
    frame = panel(y)
    units = sorted(frame["unit"].unique())
    cov = pd.DataFrame({"unit": units, "name": "income", "value": rng.normal(size=len(units))})
    r = synthetic_control(
        frame, "u00", START, covariates=cov, predictor_periods=[frame["period"].min()], power=False
    )
    assert "income" in r.method and "Abadie, Diamond & Hainmueller 2010" in r.method
    with pytest.raises(JamlikError, match="u01"):
        synthetic_control(frame, "u00", START, covariates=cov[cov["unit"] != "u01"])
    with pytest.raises(JamlikError, match="not a period before the start"):
        synthetic_control(frame, "u00", START, predictor_periods=[frame["period"].max()])
