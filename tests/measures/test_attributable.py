"""PAR and PAF by hand: reference subgroup, mean, clipping at 0, setting average, intervals."""

import math

import numpy as np
import pytest
from measures_helpers import series, value

from jamlik.measures import compute

Z95 = 1.959963984540054


def test_ordered_favourable_by_hand():
    # p = (0.25, 0.5, 0.25); μ = 15 + 35 + 22.5 = 72.5; reference = order 3 (90)
    frame = series([60, 70, 90], se=[2, 1, 3], pop=[100, 200, 100], order=[1, 2, 3])
    out = compute(frame, measures=["PAR", "PAF"])
    assert value(out, "PAR") == pytest.approx(17.5, rel=1e-14)
    assert value(out, "PAF") == pytest.approx(100 * 17.5 / 72.5, rel=1e-14)
    # PAR = 0.75·y3 - 0.25·y1 - 0.5·y2 is linear: var = Σ c² se²
    se_par = math.sqrt((0.25 * 2) ** 2 + (0.5 * 1) ** 2 + (0.75 * 3) ** 2)
    assert value(out, "PAR", "se") == pytest.approx(se_par, rel=1e-12)
    assert value(out, "PAR", "ci_lb") == pytest.approx(17.5 - Z95 * se_par, rel=1e-12)
    # log(y3/μ): ∂/∂y3 = 1/90 - 0.25/72.5, ∂/∂y1 = -0.25/72.5, ∂/∂y2 = -0.5/72.5
    g = np.array([-0.25 / 72.5, -0.5 / 72.5, 1 / 90 - 0.25 / 72.5])
    se_log = math.sqrt(np.sum((g * [2, 1, 3]) ** 2))
    q = 90 / 72.5
    assert value(out, "PAF", "ci_lb") == pytest.approx(100 * (q * math.exp(-Z95 * se_log) - 1))
    assert value(out, "PAF", "ci_ub") == pytest.approx(100 * (q * math.exp(Z95 * se_log) - 1))


def test_adverse_non_ordered_uses_the_lowest_estimate():
    # μ = (30 + 10 + 20) / 3 = 20; best (lowest) = 10
    out = compute(series([30, 10, 20], favourable=0), measures=["PAR", "PAF"])
    assert value(out, "PAR") == pytest.approx(-10)
    assert value(out, "PAF") == pytest.approx(-50)


def test_reference_no_better_than_mean_gives_zero_and_clipped_limits():
    # ordered, favourable, but the most advantaged subgroup is below the mean: PAR = 0
    frame = series([90, 80, 40], se=[1, 1, 1], order=[1, 2, 3])
    out = compute(frame, measures=["PAR", "PAF"])
    assert value(out, "PAR") == 0
    assert value(out, "PAF") == 0
    assert value(out, "PAR", "ci_lb") == 0 and value(out, "PAR", "ci_ub") == 0


def test_setting_average_stands_in_for_a_missing_population():
    frame = series([60, 70, 90], se=[1, 1, 2], pop=[np.nan, 5, 5], order=[1, 2, 3])
    frame["setting_average"] = 75.0
    out = compute(frame, measures=["PAR", "PAF"])
    assert value(out, "PAR") == pytest.approx(15)
    assert value(out, "PAF") == pytest.approx(20)
    # μ is taken as known: only the reference subgroup's se counts
    assert value(out, "PAR", "se") == pytest.approx(2)


def test_without_population_or_setting_average_there_is_a_note():
    frame = series([60, 70, 90], pop=[np.nan, 5, 5], order=[1, 2, 3])
    out = compute(frame, measures=["PAR"])
    assert np.isnan(value(out, "PAR"))
    assert "population for every subgroup or a setting_average" in value(out, "PAR", "note")
