"""Measures for non-ordered dimensions by hand: variance, mean differences, Theil and MLD."""

import math

import numpy as np
import pytest
from measures_helpers import series, value

from jamlik.measures import compute

Z95 = 1.959963984540054
Y, W, SE = [10.0, 20.0, 40.0], [100.0, 200.0, 100.0], [1.0, 2.0, 3.0]
P, MU = np.array([0.25, 0.5, 0.25]), 22.5


def test_variance_family_by_hand():
    out = compute(series(Y, se=SE, pop=W), measures=["BGV", "BGSD", "COV"])
    bgv = 0.25 * 12.5**2 + 0.5 * 2.5**2 + 0.25 * 17.5**2
    assert value(out, "BGV") == pytest.approx(118.75, rel=1e-14) == bgv
    assert value(out, "BGSD") == pytest.approx(math.sqrt(118.75), rel=1e-14)
    assert value(out, "COV") == pytest.approx(100 * math.sqrt(118.75) / MU, rel=1e-14)


def test_bgv_interval_is_the_exact_variance_of_a_normal_quadratic_form():
    # BGV = yᵀ A y with A = diag(p) - p pᵀ; for y ~ N(m, Σ):
    # var = 2 tr(AΣAΣ) + 4 mᵀ A Σ A m (evaluated at m = the estimates)
    A = np.diag(P) - np.outer(P, P)
    S = np.diag(np.square(SE))
    m = np.asarray(Y)
    var = 2 * np.trace(A @ S @ A @ S) + 4 * m @ A @ S @ A @ m
    out = compute(series(Y, se=SE, pop=W), measures=["BGV", "BGSD"])
    assert value(out, "BGV", "se") == pytest.approx(math.sqrt(var), rel=1e-12)
    lo = 118.75 - Z95 * math.sqrt(var)
    assert value(out, "BGV", "ci_lb") == pytest.approx(lo, rel=1e-12)
    assert value(out, "BGSD", "ci_lb") == pytest.approx(math.sqrt(lo), rel=1e-12)
    assert value(out, "BGSD", "se") == pytest.approx(math.sqrt(var) / (2 * math.sqrt(118.75)))


def test_mean_difference_family_by_hand():
    out = compute(
        series(Y, se=SE, pop=W, ref=[0, 1, 0]),
        measures=["MDMU", "MDMW", "MDBU", "MDBW", "MDRU", "MDRW", "IDISU", "IDISW"],
        draws=0,
    )
    expected = {
        "MDMU": (12.5 + 2.5 + 17.5) / 3,
        "MDMW": 0.25 * 12.5 + 0.5 * 2.5 + 0.25 * 17.5,
        "MDBU": (30 + 20 + 0) / 3,
        "MDBW": 0.25 * 30 + 0.5 * 20,
        "MDRU": (10 + 0 + 20) / 3,
        "MDRW": 0.25 * 10 + 0.25 * 20,
        "IDISU": 100 * (32.5 / 3) / MU,
        "IDISW": 100 * 8.75 / MU,
    }
    for code, v in expected.items():
        assert value(out, code) == pytest.approx(v, rel=1e-14), code
        assert value(out, code, "note") == "no interval: simulation turned off (draws=0)"


def test_setting_average_and_adverse_indicators():
    out = compute(
        series(Y, pop=W, favourable=0, setting_average=25.0),
        measures=["MDMU", "IDISU", "MDMW", "MDBU"],
        draws=0,
    )
    assert value(out, "MDMU") == pytest.approx((15 + 5 + 15) / 3)  # WHO: the given average
    assert value(out, "IDISU") == pytest.approx(100 * (35 / 3) / 25)
    assert value(out, "MDMW") == pytest.approx(8.75)  # weighted: always the population mean
    assert value(out, "MDBU") == pytest.approx((0 + 10 + 30) / 3)  # adverse: best is lowest


def test_theil_and_mld_by_hand_with_whos_zero_rule():
    for y in (Y, [0.0, 20.0, 40.0]):
        out = compute(series(y, se=SE, pop=W), measures=["TI", "MLD"])
        y0 = np.where(np.asarray(y) == 0, 1e-6, y)
        r = y0 / np.sum(P * y0)
        assert value(out, "TI") == pytest.approx(1000 * np.sum(P * r * np.log(r)), rel=1e-12)
        assert value(out, "MLD") == pytest.approx(-1000 * np.sum(P * np.log(r)), rel=1e-12)


def test_theil_and_mld_standard_errors_are_on_the_reported_scale():
    # WHO multiplies the estimate by 1000 but not its standard error; jamlik scales both.
    def ti(v):
        r = v / np.sum(P * v)
        return 1000 * np.sum(P * r * np.log(r))

    def mld(v):
        return -1000 * np.sum(P * np.log(v / np.sum(P * v)))

    out = compute(series(Y, se=SE, pop=W), measures=["TI", "MLD"])
    for code, f in (("TI", ti), ("MLD", mld)):
        h = 1e-6
        grad = [(f(np.add(Y, h * e)) - f(np.subtract(Y, h * e))) / (2 * h) for e in np.eye(3)]
        expected = math.sqrt(np.sum((np.asarray(grad) * SE) ** 2))
        assert value(out, code, "se") == pytest.approx(expected, rel=1e-6), code


def test_negative_estimates_and_non_positive_means_get_notes():
    out = compute(series([-5.0, 10.0, 20.0]), measures=["TI", "COV", "BGV"], draws=0)
    assert "negative estimate" in value(out, "TI", "note")
    assert np.isfinite(value(out, "BGV"))  # absolute measures do not mind
    out = compute(series([-5.0, -10.0, 2.0]), measures=["COV"], draws=0)
    assert "mean is not positive" in value(out, "COV", "note")


def test_simulated_interval_matches_a_plain_monte_carlo_of_the_measure():
    rng = np.random.default_rng(1)
    draws = rng.normal(Y, SE, size=(200_000, 3))
    mdmw = np.sum(P * np.abs(draws - (draws @ P)[:, None]), axis=1)
    out = compute(series(Y, se=SE, pop=W), measures=["MDMW"], draws=20_000, seed=7)
    assert value(out, "MDMW", "se") == pytest.approx(mdmw.std(), rel=0.03)
    # the draws sit above the estimate (|·| inflates small gaps): the lower limit moves down
    est = 0.25 * 12.5 + 0.5 * 2.5 + 0.25 * 17.5
    bias = mdmw.mean() - est
    assert bias > 0
    assert value(out, "MDMW", "ci_ub") == pytest.approx(est + Z95 * value(out, "MDMW", "se"))
    expected_lb = est - Z95 * mdmw.std() - bias
    assert value(out, "MDMW", "ci_lb") == pytest.approx(expected_lb, rel=0.03)


def test_non_ordered_measures_need_three_subgroups_and_a_non_ordered_dimension():
    out = compute(series([1.0, 2.0]), measures=["BGV", "MDRU"])
    assert value(out, "BGV", "note") == "needs at least 3 subgroups"
    assert "exactly one reference subgroup" in value(out, "MDRU", "note")
    out = compute(series([1.0, 2.0, 3.0], order=[1, 2, 3]), measures=["TI"])
    assert value(out, "TI", "note") == "only for non-ordered dimensions"
