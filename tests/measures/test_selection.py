"""D and R of a data-selected pair (non-ordered, no reference): intervals that allow for the
choice of the highest and lowest subgroup."""

import math
from dataclasses import replace

import numpy as np
import pytest
from measures_helpers import series
from scipy import stats

from jamlik.measures import compute
from jamlik.measures._coverage import NON_ORDERED, coverage
from jamlik.measures._selection import tukey_critical

Z95 = 1.959963984540054


@pytest.mark.parametrize(
    ("k", "q"),
    # Studentized range q(0.95; k, ∞), Harter (1960) as printed in standard tables
    [(2, 2.772), (3, 3.314), (5, 3.858), (10, 4.474), (20, 5.012)],
)
def test_critical_values_match_the_published_studentized_range(k, q):
    assert tukey_critical(k, 0.95) * math.sqrt(2) == pytest.approx(q, abs=6e-4)
    # and scipy's own implementation (a different numerical method) to many digits
    ref = stats.studentized_range.ppf(0.95, k, 1e7) / math.sqrt(2)
    assert tukey_critical(k, 0.95) == pytest.approx(ref, abs=1e-6)


def _limits(out, code):
    row = out[out["measure"] == code].iloc[0]
    return row["ci_lb"], row["ci_ub"]


def test_two_groups_get_the_folded_interval_of_the_gap():
    # |44 − 40| = 4 with s = √2: [4 − 1.96·√2, 4 + 1.96·√2]; the lower limit never below 0
    out = compute(series([40, 44], se=[1, 1]), measures=["D"])
    lo, hi = _limits(out, "D")
    assert lo == pytest.approx(4 - Z95 * math.sqrt(2), rel=1e-9)
    assert hi == pytest.approx(4 + Z95 * math.sqrt(2), rel=1e-9)
    out = compute(series([40, 41], se=[1, 1]), measures=["D"])
    assert _limits(out, "D")[0] == 0.0


def test_three_close_groups_use_every_pair_worked_by_hand():
    # No pair differs at the pre-test, so all six ordered pairs are candidates and the
    # multiplier is the smaller of Tukey–Kramer and Bonferroni at 1 − (α − β), β = α/10.
    out = compute(series([50, 51, 52], se=[1, 1, 1]), measures=["D", "R"])
    level = 1 - 0.045
    tukey = stats.studentized_range.ppf(level, 3, 1e7) / math.sqrt(2)
    bonferroni = stats.norm.ppf(1 - 0.045 / 12)
    c = min(tukey, bonferroni)
    lo, hi = _limits(out, "D")
    assert lo == pytest.approx(max(0.0, 2 - c * math.sqrt(2)), abs=1e-6)
    assert hi == pytest.approx(2 + c * math.sqrt(2), rel=1e-6)
    # R on the log scale: the largest log ratio plus c times its delta-method standard error
    ups = [
        math.log(a / b) + c * math.sqrt((1 / a) ** 2 + (1 / b) ** 2)
        for a in (50, 51, 52)
        for b in (50, 51, 52)
        if a != b
    ]
    assert _limits(out, "R")[1] == pytest.approx(math.exp(max(ups)), rel=1e-6)
    assert _limits(out, "R")[0] == 1.0


def test_a_reference_subgroup_keeps_the_pair_interval():
    out = compute(series([80, 60, 95, 70], se=[1, 2, 1, 1], ref=[1, 0, 0, 0]), measures=["D"])
    lo, hi = _limits(out, "D")
    assert lo == pytest.approx(20 - Z95 * math.sqrt(5), rel=1e-12)
    assert hi == pytest.approx(20 + Z95 * math.sqrt(5), rel=1e-12)


EQUAL = replace(NON_ORDERED, name="equal", y=(73.0,) * 10, reference=None)
SMALL = replace(
    NON_ORDERED,
    name="small",
    y=(70.0, 71.0, 71.5, 72.0, 72.5, 73.0, 74.0, 74.5, 75.0, 76.0),
    reference=None,
)


@pytest.mark.parametrize("scenario", [EQUAL, SMALL])
def test_coverage_holds_when_the_pair_is_chosen_from_the_data(scenario):
    # 400 replicates: a binomial standard error of 0.011 at 0.95; the interval must reach at
    # least 0.95 − 3 of those. The pair-only interval covers 0.46 (equal) and 0.92 (small).
    n = 400
    table = coverage(scenario, measures=["D", "R"], replicates=n, draws=0, seed=5)
    band = 0.95 - 3 * math.sqrt(0.95 * 0.05 / n)
    for _, row in table.iterrows():
        assert row["replicates"] == n
        assert row["coverage"] >= band, (row["measure"], row["coverage"])
        if scenario is EQUAL:  # all subgroups equal: the guarantee is (nearly) exact
            assert row["coverage"] <= 0.95 + 3 * math.sqrt(0.95 * 0.05 / n), row["coverage"]


def test_reference_series_never_enter_the_selection_step():
    # the pairwise step runs only on the series it concerns: reference series never enter it
    rng = np.random.default_rng(0)
    y = np.asarray(NON_ORDERED.y) + rng.standard_normal((50, 10))
    with_ref = compute(NON_ORDERED.frame(y), measures=["D"], by="replicate")
    plain = compute(replace(NON_ORDERED, reference=None).frame(y), measures=["D"], by="replicate")
    naive_width = 2 * Z95 * with_ref["se"]
    assert np.allclose(with_ref["ci_ub"] - with_ref["ci_lb"], naive_width)
    assert ((plain["ci_ub"] - plain["ci_lb"]) > 0).all()
