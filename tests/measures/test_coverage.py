"""Coverage: the share of intervals that contain the true value, from simulated data.

Few replicates keep this fast; the bands are about three binomial standard deviations wide
around 0.95 and still reject the wrong methods shown at the end (WHO's unscaled Theil standard
error, and a simulation interval that ignores the bias of distance measures). The full table
with 2,000 replicates per scenario comes from benchmarks/interval_coverage.py and is in docs/measures.md.
"""

import numpy as np
import pytest

from jamlik.measures._coverage import NON_ORDERED, NON_ORDERED_SMALL, ORDERED, coverage

Z95 = 1.959963984540054
ANALYTIC_ORDERED = [
    "D",
    "R",
    "ACI",
    "RCI",
    "ACI_B",
    "RCI_B",
    "RCI_W",
    "RCI_E",
    "SII",
    "RII",
    "SII_LIN",
    "RII_LIN",
    "PAR",
    "PAF",
]
ANALYTIC_NON_ORDERED = ["D", "R", "BGV", "BGSD", "TI", "MLD", "PAR", "PAF"]
SIMULATED = ["COV", "MDMU", "MDMW", "MDBU", "MDBW", "MDRU", "MDRW", "IDISU", "IDISW"]


@pytest.mark.parametrize(
    ("scenario", "codes"), [(ORDERED, ANALYTIC_ORDERED), (NON_ORDERED, ANALYTIC_NON_ORDERED)]
)
def test_analytic_intervals_cover_at_the_nominal_rate(scenario, codes):
    table = coverage(scenario, measures=codes, replicates=500, seed=11).set_index("measure")
    assert set(table.index) == set(codes)
    assert (table["replicates"] == 500).all()
    for code, row in table.iterrows():
        assert 0.925 <= row["coverage"] <= 0.975, (code, row["coverage"])


def test_simulation_intervals_cover_even_when_gaps_are_small():
    table = coverage(
        NON_ORDERED_SMALL, measures=SIMULATED, replicates=300, draws=200, seed=12
    ).set_index("measure")
    for code, row in table.iterrows():
        assert 0.88 <= row["coverage"] <= 0.99, (code, row["coverage"])


def test_the_bands_reject_wrong_methods():
    from jamlik.measures import compute

    # WHO's TI standard error lacks the factor 1000 the estimate has
    truth = compute(
        NON_ORDERED.frame(np.asarray(NON_ORDERED.y)[None, :]), measures=["TI"], by="replicate"
    )
    rng = np.random.default_rng(13)
    y = np.asarray(NON_ORDERED.y) + rng.standard_normal((300, 10)) * np.asarray(NON_ORDERED.se)
    out = compute(NON_ORDERED.frame(y), measures=["TI"], by="replicate")
    theta = truth["estimate"].iloc[0]
    who_se = out["se"] / 1000
    share = np.mean(np.abs(out["estimate"] - theta) <= Z95 * who_se)
    assert share < 0.5
    # estimate ± z·sd without the bias allowance, for a distance measure with small gaps
    truth = compute(
        NON_ORDERED_SMALL.frame(np.asarray(NON_ORDERED_SMALL.y)[None, :]),
        measures=["MDMU"],
        by="replicate",
        draws=0,
    )["estimate"].iloc[0]
    y = np.asarray(NON_ORDERED_SMALL.y) + rng.standard_normal((300, 10)) * np.asarray(
        NON_ORDERED_SMALL.se
    )
    out = compute(NON_ORDERED_SMALL.frame(y), measures=["MDMU"], by="replicate", draws=200)
    share = np.mean(np.abs(out["estimate"] - truth) <= Z95 * out["se"])
    assert share < 0.88
