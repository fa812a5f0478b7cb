"""Simple measures: the difference (D) and the ratio (R) between two subgroups.

Which two subgroups (WHO's rule; y1 is compared with y2):

- ordered dimension, favourable indicator: most advantaged (highest subgroup_order) vs least
  advantaged (lowest); adverse indicator: least advantaged vs most advantaged;
- non-ordered without a reference subgroup: highest vs lowest estimate (so D >= 0, R >= 1);
- non-ordered with a reference subgroup, favourable: the reference vs the lowest of the others;
  adverse: the highest of the others vs the reference.

Reference: Schlotheuber A, Hosseinpoor AR. Summary measures of health inequality: a review of
existing measures and their application. Int J Environ Res Public Health 2022;19(6):3697.

Example through the public API (three subgroups, no order and no reference: highest vs lowest, 95 - 70 and 95 / 70)::

    >>> import pandas as pd
    >>> from jamlik.measures import compute
    >>> frame = pd.DataFrame({"estimate": [70.0, 80.0, 95.0], "population": [1000, 3000, 1000],
    ...                       "favourable_indicator": 1, "ordered_dimension": 0})
    >>> out = compute(frame, measures=['D', 'R'], draws=0)
    >>> dict(zip(out["measure"], out["estimate"].round(3).tolist()))
    {'D': 25.0, 'R': 1.357}
"""

from __future__ import annotations

import numpy as np

from jamlik.measures._batch import Batch, Requirement, seg_argmax, seg_argmin, seg_sum
from jamlik.measures._entry import Entry
from jamlik.measures._interval import LOG, Analytic, se_from_gradient
from jamlik.measures._selection import range_limits

_REF = "Schlotheuber & Hosseinpoor 2022, IJERPH 19(6):3697; WHO healthequal d(), r()"


def pair(b: Batch) -> tuple[np.ndarray, np.ndarray]:
    """Row indices (y1, y2) of the two compared subgroups of each series."""

    def make() -> tuple[np.ndarray, np.ndarray]:
        first, last = b.starts[:-1], b.starts[1:] - 1  # lowest and highest subgroup_order
        hi, lo = seg_argmax(b.y, b), seg_argmin(b.y, b)
        has_ref = seg_sum(b.ref.astype(np.int64), b) == 1
        ref = seg_argmax(b.ref.astype(np.float64), b)
        hi_other = seg_argmax(np.where(b.ref, -np.inf, b.y), b)
        lo_other = seg_argmin(np.where(b.ref, np.inf, b.y), b)
        fav = b.favourable
        i1 = np.where(fav, ref, hi_other)
        i2 = np.where(fav, lo_other, ref)
        i1 = np.where(has_ref, i1, hi)
        i2 = np.where(has_ref, i2, lo)
        i1 = np.where(b.ordered, np.where(fav, last, first), i1)
        i2 = np.where(b.ordered, np.where(fav, first, last), i2)
        return i1, i2

    return b.memo("simple_pair", make)


def difference(b: Batch) -> np.ndarray:
    """D = y1 - y2, in the indicator's unit.

    >>> from jamlik.measures._batch import example_batch
    >>> difference(example_batch([70, 80, 95]))  # non-ordered, no reference: highest - lowest
    array([25.])
    """
    i1, i2 = pair(b)
    return b.y[i1] - b.y[i2]


def ratio(b: Batch) -> np.ndarray:
    """R = y1 / y2 (no unit); undefined when y2 <= 0 or y1 < 0.

    >>> from jamlik.measures._batch import example_batch
    >>> ratio(example_batch([80, 40], order=[1, 2], favourable=False))  # least / most advantaged
    array([2.])
    """
    i1, i2 = pair(b)
    y1, y2 = b.y[i1], b.y[i2]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((y2 > 0) & (y1 >= 0), y1 / y2, np.nan)


def _se_difference(b: Batch) -> np.ndarray:
    i1, i2 = pair(b)
    grad = np.zeros_like(b.y)
    np.add.at(grad, i1, 1.0)
    np.add.at(grad, i2, -1.0)
    return se_from_gradient(grad, b)


def _se_log_ratio(b: Batch) -> np.ndarray:
    i1, i2 = pair(b)
    grad = np.zeros_like(b.y)
    with np.errstate(divide="ignore"):
        np.add.at(grad, i1, 1.0 / b.y[i1])
        np.add.at(grad, i2, -1.0 / b.y[i2])
    return se_from_gradient(grad, b)


MEASURES = {"D": difference, "R": ratio}

REQUIRES = {
    "D": Requirement(min_subgroups=2, uses_reference=True, favourable=True),
    "R": Requirement(min_subgroups=2, uses_reference=True, favourable=True),
}


def _selected_d(b: Batch, z: np.ndarray):
    return range_limits(b, z, log=False)


def _selected_r(b: Batch, z: np.ndarray):
    return range_limits(b, z, log=True)


_SELECTED = (
    "; unordered, no reference: simultaneous Tukey–Kramer limits of the highest − lowest "
    "gap, which allow for the pair being chosen from the data"
)
INTERVALS = {
    "D": Analytic(
        _se_difference,
        method="analytic (exact: sqrt(se1² + se2²))" + _SELECTED,
        limits=_selected_d,
    ),
    "R": Analytic(
        _se_log_ratio,
        link=LOG,
        method="analytic (delta method, log scale)" + _SELECTED,
        limits=_selected_r,
    ),
}

UNDEFINED = {"R": "ratio undefined: the compared subgroup's estimate is 0 or negative"}

ENTRIES = [
    Entry(
        code="D",
        name_sv="Differens",
        name_en="Difference",
        kind="absolute",
        weighted=False,
        applies_to="any dimension with at least 2 subgroups",
        formula="D = y1 - y2 (the two subgroups chosen by WHO's rule)",
        interpretation_sv=(
            "Skillnaden mellan två grupper, i indikatorns egen enhet (till exempel "
            "procentenheter). 0 betyder ingen skillnad. Ju längre från 0, desto större skillnad."
        ),
        interpretation_en=(
            "The gap between two subgroups in the indicator's own unit (e.g. percentage "
            "points). 0 means no gap; the further from 0, the larger the inequality."
        ),
        interval=(
            "analytic (exact: sqrt(se1² + se2²)); for an unordered dimension without a reference "
            "subgroup, where the data choose the highest and lowest subgroup, simultaneous "
            "Tukey–Kramer limits over all pairs of subgroups, which allow for that choice"
        ),
        interval_sv=(
            "Räknas exakt ur de två gruppernas medelfel: roten ur summan av medelfelen i kvadrat. "
            "När grupperna saknar ordning och referensgrupp jämförs den högsta med den lägsta, och "
            "det är data som väljer dem; då blir intervallet bredare (Tukey–Kramers gränser för "
            "alla par av grupper på en gång) så att det ändå håller 95 %."
        ),
        reference=_REF,
        family="simple",
    ),
    Entry(
        code="R",
        name_sv="Kvot",
        name_en="Ratio",
        kind="relative",
        weighted=False,
        applies_to="any dimension with at least 2 subgroups",
        formula="R = y1 / y2",
        interpretation_sv=(
            "Hur många gånger större värdet är i den ena gruppen än i den andra. 1 betyder "
            "ingen skillnad. Ju längre från 1, desto större skillnad."
        ),
        interpretation_en=(
            "How many times larger the value is in one subgroup than in the other. 1 means "
            "no gap; the further from 1, the larger the inequality."
        ),
        interval=(
            "analytic (delta method on the log scale); for an unordered dimension without a "
            "reference subgroup, simultaneous Tukey–Kramer limits of the highest/lowest ratio over "
            "all pairs of subgroups on the log scale, which allow for the data choosing the pair"
        ),
        interval_sv=(
            "Räknas ur gruppernas medelfel med deltametoden (en närmevärdesformel) på "
            "logaritmisk skala, så att intervallet aldrig går under noll. När grupperna saknar "
            "ordning och referensgrupp väljer data vilka två som jämförs; då blir intervallet "
            "bredare (gränser för alla par av grupper på en gång) så att det ändå håller 95 %."
        ),
        reference=_REF,
        family="simple",
    ),
]
