"""Properties every summary measure must have, on random series (hypothesis)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from measures_helpers import series

from jamlik.measures import compute

RELATIVE = ["R", "RCI", "RII_LIN", "PAF", "COV", "IDISU", "IDISW", "TI", "MLD"]
ABSOLUTE = ["D", "ACI", "SII_LIN", "PAR", "BGSD", "MDMU", "MDMW", "MDBU", "MDBW", "MDRU", "MDRW"]
NON_ORDERED = [
    "D", "R", "PAR", "PAF", "BGV", "BGSD", "COV", "MDMU", "MDMW", "MDBU", "MDBW", "MDRU", "MDRW",
    "IDISU", "IDISW", "TI", "MLD",
]  # fmt: skip
NO_GAP = {"R": 1.0, "RII_LIN": 1.0}

# per test, not a global profile: other test modules keep their own settings
FEW = settings(max_examples=40, deadline=None)


@st.composite
def subgroups(draw, min_size=3, max_size=7):
    n = draw(st.integers(min_size, max_size))
    floats = st.floats(1.0, 99.0, allow_nan=False)
    y = draw(st.lists(floats, min_size=n, max_size=n))
    pop = draw(st.lists(st.floats(100.0, 5000.0), min_size=n, max_size=n))
    se = draw(st.lists(st.floats(0.1, 5.0), min_size=n, max_size=n))
    favourable = draw(st.sampled_from([0, 1]))
    return np.array(y), np.array(pop), np.array(se), favourable


def table(y, pop, se, favourable, ordered_y=None):
    """One ordered and one non-ordered series (with a reference subgroup) from the same draw."""
    n = y.size
    ref = np.zeros(n, dtype=int)
    ref[0] = 1
    oy = y if ordered_y is None else ordered_y
    return pd.concat(
        [
            series(oy, se=se, pop=pop, order=np.arange(1, n + 1), favourable=favourable, name="o"),
            series(y, se=se, pop=pop, ref=ref, favourable=favourable, name="n"),
        ]
    )


def estimates(frame) -> pd.Series:
    out = compute(frame, draws=0)
    return out.set_index(["indicator", "measure"])["estimate"]


@FEW
@given(subgroups(), st.floats(0.1, 10.0))
def test_relative_measures_ignore_and_absolute_measures_follow_the_unit(data, c):
    y, pop, se, fav = data
    base = estimates(table(y, pop, se, fav))
    scaled = estimates(table(c * y, pop, c * se, fav))
    for (name, code), v in base.items():
        if code in RELATIVE:
            assert scaled[(name, code)] == pytest.approx(v, rel=1e-9, abs=1e-12, nan_ok=True), code
        elif code in ABSOLUTE:
            assert scaled[(name, code)] == pytest.approx(c * v, rel=1e-9, abs=1e-12), code
        elif code == "BGV":
            assert scaled[(name, code)] == pytest.approx(c * c * v, rel=1e-9, abs=1e-12)


@FEW
@given(subgroups(), st.randoms(use_true_random=False))
def test_non_ordered_measures_ignore_the_order_of_the_rows(data, rnd):
    y, pop, se, fav = data
    frame = table(y, pop, se, fav)
    non_ordered = frame[frame.indicator == "n"]
    shuffled = non_ordered.iloc[rnd.sample(range(len(non_ordered)), len(non_ordered))]
    a, b = estimates(non_ordered), estimates(shuffled)
    for (name, code), v in a.items():
        if code in NON_ORDERED:
            assert b[(name, code)] == pytest.approx(v, rel=1e-12, abs=1e-12), code


@FEW
@given(subgroups(), st.floats(1.0, 99.0))
def test_no_gap_when_every_subgroup_has_the_same_value(data, level):
    _, pop, se, fav = data
    y = np.full(pop.size, level)
    # Not SII and RII: WHO's fit rounds cases = y/scale·n to whole numbers, so equal percentages
    # in subgroups of different size are not exactly equal proportions (see test_slope.py).
    for (_, code), v in estimates(table(y, pop, se, fav)).items():
        if code in NO_GAP or code in RELATIVE or code in ABSOLUTE or code == "BGV":
            assert v == pytest.approx(NO_GAP.get(code, 0.0), abs=1e-9), code


@FEW
@given(subgroups())
def test_reversing_the_order_flips_the_sign_of_slope_and_concentration(data):
    y, pop, se, fav = data
    n = y.size
    forward = series(y, se=se, pop=pop, order=np.arange(1, n + 1), favourable=fav)
    backward = forward.assign(subgroup_order=n + 1 - forward["subgroup_order"])
    codes = ["ACI", "RCI", "SII", "SII_LIN", "RII"]
    a = compute(forward, measures=codes).set_index("measure")["estimate"]
    b = compute(backward, measures=codes).set_index("measure")["estimate"]
    for code in ("ACI", "RCI", "SII", "SII_LIN"):
        assert b[code] == pytest.approx(-a[code], rel=1e-8, abs=1e-9, nan_ok=True), code
    assert b["RII"] == pytest.approx(1 / a["RII"], rel=1e-8, nan_ok=True)
