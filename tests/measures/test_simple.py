"""D and R: WHO's choice of the two subgroups, worked out by hand for every case."""

import math

import numpy as np
import pandas as pd
import pytest
from measures_helpers import series, value

from jamlik.measures import compute

Z95 = 1.959963984540054


@pytest.mark.parametrize(
    ("case", "frame", "d", "r"),
    [
        # ordered, favourable: most advantaged (order 3) - least advantaged (order 1)
        ("ord-fav", series([60, 70, 90], order=[1, 2, 3]), 90 - 60, 90 / 60),
        # rows given out of order: the subgroup_order decides, not the row order
        ("ord-shuffled", series([90, 60, 70], order=[3, 1, 2]), 30, 1.5),
        # ordered, adverse: least advantaged - most advantaged
        ("ord-adv", series([50, 30, 20], order=[1, 2, 3], favourable=0), 50 - 20, 50 / 20),
        # non-ordered without reference: highest - lowest
        ("non-ord", series([12, 30, 18]), 30 - 12, 30 / 12),
        # non-ordered with a reference, favourable: reference - lowest of the others
        ("ref-fav", series([80, 60, 95, 70], ref=[1, 0, 0, 0]), 80 - 60, 80 / 60),
        # ... also when the reference itself is the lowest (the gap is then negative)
        ("ref-fav-low", series([50, 60, 95], ref=[1, 0, 0]), 50 - 60, 50 / 60),
        # non-ordered with a reference, adverse: highest of the others - reference
        ("ref-adv", series([20, 35, 25, 10], ref=[0, 0, 0, 1], favourable=0), 35 - 10, 3.5),
        # two subgroups are enough
        ("two", series([40, 44]), 4, 1.1),
    ],
)
def test_difference_and_ratio_pick_whos_subgroups(case, frame, d, r):
    out = compute(frame, measures=["D", "R"])
    assert value(out, "D") == pytest.approx(d, rel=1e-14)
    assert value(out, "R") == pytest.approx(r, rel=1e-14)


def test_intervals_of_d_and_r_by_hand():
    frame = series([60, 70, 90], se=[1.5, 9.0, 2.0], order=[1, 2, 3])
    out = compute(frame, measures=["D", "R"], conf_level=[0.95, 0.998])
    se_d = math.sqrt(1.5**2 + 2.0**2)  # the middle subgroup does not enter D
    se_log_r = math.sqrt((1.5 / 60) ** 2 + (2.0 / 90) ** 2)
    z998 = 3.090232306167813
    d = out[out.measure == "D"].set_index("conf_level")
    assert d.loc[0.95, "se"] == pytest.approx(se_d, rel=1e-12)
    assert d.loc[0.95, "ci_lb"] == pytest.approx(30 - Z95 * se_d, rel=1e-12)
    assert d.loc[0.998, "ci_ub"] == pytest.approx(30 + z998 * se_d, rel=1e-12)
    r = out[out.measure == "R"].set_index("conf_level")
    assert r.loc[0.95, "ci_lb"] == pytest.approx(1.5 * math.exp(-Z95 * se_log_r), rel=1e-12)
    assert r.loc[0.95, "ci_ub"] == pytest.approx(1.5 * math.exp(Z95 * se_log_r), rel=1e-12)
    assert r.loc[0.95, "se"] == pytest.approx(1.5 * se_log_r, rel=1e-12)


def test_missing_se_of_an_unused_subgroup_does_not_block_the_interval():
    frame = series([60, 70, 90], se=[1.0, np.nan, 1.0], order=[1, 2, 3])
    out = compute(frame, measures=["D"])
    assert value(out, "D", "se") == pytest.approx(math.sqrt(2))
    assert value(out, "D", "note") == ""


def test_missing_se_of_a_compared_subgroup_gives_a_note_not_an_interval():
    frame = series([60, 70, 90], se=[np.nan, 1.0, 1.0], order=[1, 2, 3])
    out = compute(frame, measures=["D"])
    assert value(out, "D") == 30
    assert np.isnan(value(out, "D", "ci_lb"))
    assert "standard error missing" in value(out, "D", "note")


def test_bad_series_get_notes_and_do_not_stop_the_others():
    frames = [
        series([50, 60, 70], name="good"),
        series([50], name="one"),
        series([50, 60, 70], ref=[1, 1, 0], name="two-refs"),
        series([50, np.nan, 70], name="nan"),
        series([50, np.inf, 70], name="inf"),
        series([0, 5, 3], name="zero"),
    ]
    out = compute(pd.concat(frames), measures=["D", "R"])
    assert value(out, "D", name="good") == 20
    assert "at least 2 subgroups" in value(out, "D", "note", name="one")
    assert "more than one reference subgroup" in value(out, "R", "note", name="two-refs")
    assert "estimate missing or not finite" in value(out, "D", "note", name="nan")
    assert "estimate missing or not finite" in value(out, "D", "note", name="inf")
    assert np.isnan(value(out, "D", name="inf"))
    assert value(out, "D", name="zero") == 5
    assert np.isnan(value(out, "R", name="zero"))
    assert "ratio undefined" in value(out, "R", "note", name="zero")
