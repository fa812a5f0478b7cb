"""ACI and RCI against WHO's "convenient regression", the bounded variants against their
definitions on the normalised scale, and the intervals against a numerical gradient."""

import numpy as np
import pytest
from measures_helpers import series, value

from jamlik.measures import compute


def convenient_regression(y, w, order, lhs_scale="aci"):
    """WHO's procedure step by step: rank with ties, σ², regression without intercept."""
    idx = np.argsort(order, kind="stable")
    y, w, order = np.asarray(y, float)[idx], np.asarray(w, float)[idx], np.asarray(order)[idx]
    total, cum = w.sum(), np.cumsum(w)
    before = cum - w
    rank = np.empty_like(w)
    for o in np.unique(order):
        tie = order == o
        rank[tie] = (before[tie].min() + 0.5 * (cum[tie].max() - before[tie].min())) / total
    sigma2 = np.sum(w / total * (rank - 0.5) ** 2)
    mu = np.sum(w * y) / total
    lhs = 2 * sigma2 * (y / mu) * np.sqrt(w)
    if lhs_scale == "aci":
        lhs = lhs * mu
    X = np.column_stack([rank * np.sqrt(w), np.sqrt(w)])
    return np.linalg.lstsq(X, lhs, rcond=None)[0][0]


CASES = [
    ([60.0, 70.0, 90.0], [100.0, 200.0, 100.0], [1, 2, 3]),
    ([31.2, 28.0, 22.5, 19.9, 12.4], [510.0, 480.0, 470.0, 520.0, 530.0], [1, 2, 3, 4, 5]),
    ([20.0, 35.0, 33.0, 50.0], [10.0, 40.0, 25.0, 30.0], [1, 2, 2, 3]),  # tied order
    ([55.0, 40.0, 70.0, 65.0], [5.0, 9.0, 7.0, 3.0], [3, 1, 4, 2]),  # rows out of order
]


@pytest.mark.parametrize(("y", "w", "order"), CASES)
def test_aci_and_rci_equal_the_convenient_regression(y, w, order):
    out = compute(series(y, pop=w, order=order), measures=["ACI", "RCI"])
    assert value(out, "ACI") == pytest.approx(convenient_regression(y, w, order), rel=1e-12)
    rci = convenient_regression(y, w, order, lhs_scale="rci")
    assert value(out, "RCI") == pytest.approx(rci, rel=1e-12)


@pytest.mark.parametrize(("y", "w", "order"), CASES)
def test_bounded_variants_follow_their_definitions(y, w, order):
    lmin, lmax = 0.0, 100.0
    out = compute(
        series(y, pop=w, order=order, lmin=lmin, lmax=lmax),
        measures=["ACI_B", "RCI_B", "RCI_W", "RCI_E"],
    )
    yn = (np.asarray(y) - lmin) / (lmax - lmin)
    mu_n = np.sum(np.asarray(w) * yn) / np.sum(w)
    aci_n = convenient_regression(yn, w, order)
    assert value(out, "ACI_B") == pytest.approx(aci_n, rel=1e-12)
    assert value(out, "RCI_B") == pytest.approx(aci_n / mu_n, rel=1e-12)
    assert value(out, "RCI_W") == pytest.approx(aci_n / mu_n / (1 - mu_n), rel=1e-12)
    assert value(out, "RCI_E") == pytest.approx(4 * aci_n, rel=1e-12)


def numerical_se(f, y, se, h=1e-6):
    """sqrt(Σ (∂f/∂y_i)² se_i²) with central differences."""
    y = np.asarray(y, float)
    grad = np.empty_like(y)
    for i in range(y.size):
        up, down = y.copy(), y.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (f(up) - f(down)) / (2 * h)
    return float(np.sqrt(np.sum((grad * se) ** 2)))


@pytest.mark.parametrize(("y", "w", "order"), CASES)
def test_standard_errors_match_a_numerical_gradient(y, w, order):
    se = np.linspace(0.5, 2.5, len(y))
    out = compute(
        series(y, se=se, pop=w, order=order, lmin=0.0, lmax=100.0),
        measures=["ACI", "RCI", "ACI_B", "RCI_B", "RCI_W", "RCI_E"],
    )

    def mu_n(v):
        return np.sum(np.asarray(w) * v / 100) / np.sum(w)

    funcs = {
        "ACI": lambda v: convenient_regression(v, w, order),
        "RCI": lambda v: convenient_regression(v, w, order, "rci"),
        "ACI_B": lambda v: convenient_regression(v / 100, w, order),
        "RCI_B": lambda v: convenient_regression(v / 100, w, order) / mu_n(v),
        "RCI_W": lambda v: convenient_regression(v / 100, w, order) / mu_n(v) / (1 - mu_n(v)),
        "RCI_E": lambda v: 4 * convenient_regression(v / 100, w, order),
    }
    for code, f in funcs.items():
        assert value(out, code, "se") == pytest.approx(numerical_se(f, y, se), rel=1e-6), code


def test_bounded_variants_need_bounds_and_values_inside_them():
    no_bounds = compute(series([1, 2, 3], order=[1, 2, 3]), measures=["RCI_W"])
    assert "lmin and lmax missing" in value(no_bounds, "RCI_W", "note")
    outside = compute(series([1, 2, 300], order=[1, 2, 3], lmin=0, lmax=100), measures=["RCI_W"])
    assert "outside lmin..lmax" in value(outside, "RCI_W", "note")
    # measures=None leaves the bounded variants out when the table has no bounds at all
    assert "RCI_W" not in set(compute(series([1, 2, 3], order=[1, 2, 3]))["measure"])


def test_concentration_needs_an_ordered_dimension_and_three_subgroups():
    out = compute(series([1.0, 2.0, 3.0]), measures=["ACI"])
    assert value(out, "ACI", "note") == "only for ordered dimensions"
    out = compute(series([1.0, 2.0], order=[1, 2]), measures=["ACI"])
    assert value(out, "ACI", "note") == "needs at least 3 subgroups"
