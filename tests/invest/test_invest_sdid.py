"""Synthetic difference-in-differences: a case worked by hand, the DiD and synthetic-control
limits, and planted effects on simulated panels of Proposition 99's shape. (Against the paper's
published Proposition 99 estimate, −15.6 packs per capita, the implementation was checked during
development; that panel is public data of others and is not shipped with jamlik.)"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from invest_helpers import PANEL_START, heavy_tailed_panel

from jamlik.invest.effects.did import did
from jamlik.invest.effects.sdid import sdid_estimate, simplex_ridge, synthetic_did
from jamlik.invest.effects.synth import simplex_weights


def test_a_small_case_worked_by_hand() -> None:
    # Two comparison units with pre-period slopes 1 and 3, the treated unit with slope 2: half
    # of each runs parallel to it (the intercept takes the level), and equal weights also
    # minimise the ridge term, so ω = (½, ½) whatever ζ. Time weights: centred over units the
    # pre-periods are (0, 0) and (−1, 1) and the post means (−2, 2), so all weight goes to the
    # last pre-period, λ = (0, 1). τ = (12 − 7) − [½(2 − 1) + ½(6 − 3)] = 3.
    y = np.array([[0.0, 1.0, 2.0], [0.0, 3.0, 6.0], [5.0, 7.0, 12.0]])
    tau, omega, lam = sdid_estimate(y, n_treated=1, n_pre=2)
    assert omega == pytest.approx([0.5, 0.5], abs=1e-6)
    assert lam == pytest.approx([0.0, 1.0], abs=1e-6)
    assert tau == pytest.approx(3.0, abs=1e-5)


def test_a_heavy_ridge_gives_equal_weights_and_equal_weights_give_did() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(8, 5)), rng.normal(size=8)
    assert simplex_ridge(a, b, zeta=1e6) == pytest.approx(np.full(5, 0.2), abs=1e-6)
    # With uniform unit and time weights the SDiD formula is the plain 2×2 DiD of means,
    # which did() computes by two-way fixed effects.
    y = rng.normal(50, 5, (12, 6))
    n_pre = 4
    treated_gap = y[-1, n_pre:].mean() - y[-1, :n_pre].mean()
    control_gap = (y[:-1, n_pre:].mean(axis=1) - y[:-1, :n_pre].mean(axis=1)).mean()
    frame = pd.DataFrame(
        [
            {"unit": f"u{i:02d}", "period": str(2010 + t), "time": 2010.5 + t, "value": y[i, t]}
            for i in range(12)
            for t in range(6)
        ]
    )
    r = did(frame, ["u11"], 2014.0, power=False)
    assert r.estimate == pytest.approx(treated_gap - control_gap, rel=1e-10)


def test_no_ridge_and_no_intercept_give_the_synthetic_control_weights() -> None:
    rng = np.random.default_rng(2)
    donors = rng.normal(100, 10, (15, 6))
    target = donors @ np.array([0.5, 0.3, 0.2, 0, 0, 0]) + rng.normal(0, 0.5, 15)
    ridge = simplex_ridge(donors, target, zeta=0.0, intercept=False)
    assert ridge == pytest.approx(simplex_weights(target, donors), abs=1e-6)


SEEDS = range(10)


def test_a_planted_effect_lies_in_the_interval_and_no_effect_is_not_found() -> None:
    # The oracle is the effect put into the data: −15 (Prop 99's size) after year 19 of 31.
    sdid_err, did_err = [], []
    for seed in SEEDS:
        r = synthetic_did(
            heavy_tailed_panel(seed, effect=-15.0), ["u00"], PANEL_START,
            unit=("paket per person", "packs per capita"),
        )  # fmt: skip
        assert r.design == "sdid" and r.inference == "placebo_variance"
        assert r.se > 0 and r.ci_lb < -15.0 < r.ci_ub, (seed, r.ci_lb, r.ci_ub)
        assert sum(r.weights.values()) == pytest.approx(1.0, abs=5e-3)
        sdid_err.append(abs(r.estimate + 15.0))
        did_err.append(abs(did(heavy_tailed_panel(seed, effect=-15.0), ["u00"], PANEL_START,
                               power=False).estimate + 15.0))  # fmt: skip
        null = synthetic_did(heavy_tailed_panel(seed), ["u00"], PANEL_START)
        assert null.ci_lb < 0.0 < null.ci_ub and null.verdict.code == "no_effect_found"
        assert "placebo" in null.verdict.text_en
        assert "A smaller effect may still exist" in null.verdict.text_en
    # The treated unit loads on a factor most units do not share: plain DiD is biased there,
    # SDiD's unit weights find the units that run parallel (the paper's case for it).
    assert np.mean(sdid_err) < 0.5 * np.mean(did_err), (sdid_err, did_err)


def test_too_few_comparison_units() -> None:
    sim = heavy_tailed_panel(0)
    few = sim[sim["unit"].isin(["u00", "u01", "u02", "u03"])]
    r = synthetic_did(few, ["u00"], PANEL_START)
    assert r.verdict.code == "too_little_data"
    assert "at least 10" in r.verdict.text_en
