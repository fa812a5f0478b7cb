"""SII and RII against statsmodels: the logistic fit with R's prior-weight semantics and the
weighted linear fit; the delta-method standard errors against a numerical gradient."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from measures_helpers import series, value
from scipy.special import expit

from jamlik.measures import compute


def rank_of(n, order):
    """Fractional rank from the rounded-up population, ties sharing one slice."""
    idx = np.argsort(order, kind="stable")
    inverse = np.argsort(idx)
    n_s, o_s = np.asarray(n, float)[idx], np.asarray(order)[idx]
    cum = np.cumsum(n_s)
    rank = np.empty_like(n_s)
    for o in np.unique(o_s):
        tie = o_s == o
        rank[tie] = ((cum - n_s)[tie].min() + cum[tie].max()) / 2 / n_s.sum()
    return rank[inverse]


def statsmodels_logistic(y, pop, order, scale, rounded=True):
    """R's glm(cbind(cases, n - cases) ~ rank, weights = n): in statsmodels the response is
    the proportion and the variance weights are prior weight × trials = n²."""
    n = np.ceil(np.asarray(pop, float))
    frac = np.round(np.asarray(y) / scale * n) / n if rounded else np.asarray(y) / scale
    X = sm.add_constant(rank_of(n, order))
    fit = sm.GLM(frac, X, family=sm.families.Binomial(), var_weights=n * n).fit(tol=1e-13)
    b0, b1 = fit.params
    return scale * (expit(b0 + b1) - expit(b0)), expit(b0 + b1) / expit(b0)


def statsmodels_linear(y, pop, order):
    n = np.ceil(np.asarray(pop, float))
    fit = sm.WLS(np.asarray(y, float), sm.add_constant(rank_of(n, order)), weights=n).fit()
    a, b = fit.params
    return b, (a + b) / a


CASES = [
    ([20.0, 30.0, 45.0], [50.0, 50.0, 50.0], [1, 2, 3], 100),
    (
        [75.6, 91.0, 96.0, 97.0, 99.2],
        [2072.4, 2112.2, 1983.1, 2052.1, 1884.5],
        [1, 2, 3, 4, 5],
        100,
    ),
    (
        [52.5, 32.9, 29.0, 31.3, 23.9],
        [7119.7, 6859.9, 6903.7, 6992.6, 6744.5],
        [1, 2, 3, 4, 5],
        1000,
    ),
    ([12.0, 18.0, 17.0, 30.0], [300.5, 120.2, 80.9, 400.1], [1, 2, 2, 3], 100),  # tie, fractions
    ([0.35, 0.3, 0.45, 0.25], [40.0, 60.0, 20.0, 80.0], [3, 2, 4, 1], 1),  # shuffled, scale 1
]


@pytest.mark.parametrize(("y", "pop", "order", "scale"), CASES)
def test_logistic_sii_and_rii_match_statsmodels(y, pop, order, scale):
    out = compute(series(y, pop=pop, order=order, scale=scale), measures=["SII", "RII"])
    sii, rii = statsmodels_logistic(y, pop, order, scale)
    assert value(out, "SII") == pytest.approx(sii, rel=1e-9)
    assert value(out, "RII") == pytest.approx(rii, rel=1e-9)


@pytest.mark.parametrize(("y", "pop", "order", "scale"), CASES)
def test_linear_variants_match_weighted_least_squares(y, pop, order, scale):
    out = compute(series(y, pop=pop, order=order, scale=scale), measures=["SII_LIN", "RII_LIN"])
    sii, rii = statsmodels_linear(y, pop, order)
    assert value(out, "SII_LIN") == pytest.approx(sii, rel=1e-11)
    assert value(out, "RII_LIN") == pytest.approx(rii, rel=1e-11)


@pytest.mark.parametrize(("y", "pop", "order", "scale"), CASES)
def test_standard_errors_match_a_numerical_gradient_of_the_fits(y, pop, order, scale):
    se = np.linspace(0.02, 0.05, len(y)) * scale
    out = compute(
        series(y, se=se, pop=pop, order=order, scale=scale),
        measures=["SII", "RII", "SII_LIN", "RII_LIN"],
    )
    fits = {
        "SII": lambda v: statsmodels_logistic(v, pop, order, scale, rounded=False)[0],
        "RII": lambda v: np.log(statsmodels_logistic(v, pop, order, scale, rounded=False)[1]),
        "SII_LIN": lambda v: statsmodels_linear(v, pop, order)[0],
        "RII_LIN": lambda v: np.log(statsmodels_linear(v, pop, order)[1]),
    }
    # The fit sees cases = round(y / scale · n): linearise where those cases put it.
    n = np.ceil(np.asarray(pop, float))
    at_cases = np.round(np.asarray(y) / scale * n) / n * scale
    for code, f in fits.items():
        y0 = at_cases if code in ("SII", "RII") else np.asarray(y, float)
        h = 1e-5 * scale
        grad = [
            (f(y0 + h * np.eye(len(y))[i]) - f(y0 - h * np.eye(len(y))[i])) / (2 * h)
            for i in range(len(y))
        ]
        expected = np.sqrt(np.sum((np.asarray(grad) * se) ** 2))
        if code.startswith("RII"):  # reported on the estimate's scale: RII × se(log RII)
            expected *= value(out, code)
        assert value(out, code, "se") == pytest.approx(expected, rel=1e-4), code


def test_all_series_are_fitted_together():
    frames = [
        series(y, pop=pop, order=order, scale=scale, name=f"s{i}")
        for i, (y, pop, order, scale) in enumerate(CASES)
    ]
    out = compute(pd.concat(frames), measures=["SII"])
    for i, (y, pop, order, scale) in enumerate(CASES):
        sii = statsmodels_logistic(y, pop, order, scale)[0]
        assert value(out, "SII", name=f"s{i}") == pytest.approx(sii, rel=1e-9)


def test_equal_estimates_give_no_gap_and_degenerate_fits_a_note():
    out = compute(series([40.0, 40.0, 40.0], order=[1, 2, 3]), measures=["SII", "RII"])
    assert value(out, "SII") == pytest.approx(0, abs=1e-12)
    assert value(out, "RII") == pytest.approx(1, rel=1e-12)
    zeros = compute(series([0.0, 0.0, 0.0], order=[1, 2, 3]), measures=["SII"])
    assert "no solution" in value(zeros, "SII", "note")


def test_logistic_fit_needs_proportions_and_a_scale():
    out = compute(series([20.0, 130.0, 40.0], order=[1, 2, 3]), measures=["SII", "SII_LIN"])
    assert "outside 0..indicator_scale" in value(out, "SII", "note")
    assert np.isfinite(value(out, "SII_LIN"))  # the linear variant has no such limit
    no_scale = compute(series([1.0, 2.0, 3.0], order=[1, 2, 3], scale=np.nan), measures=["RII"])
    assert "indicator_scale missing" in value(no_scale, "RII", "note")
