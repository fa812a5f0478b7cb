"""WHO's disproportionality measures for non-ordered dimensions: the Theil index (TI) and the
mean log deviation (MLD), both multiplied by 1000 as WHO reports them.

With population shares p_i and r_i = y_i / μ (μ = Σ p_i y_i):

    TI  = 1000 Σ p_i r_i ln r_i        (generalised entropy GE(1), Theil's T)
    MLD = 1000 Σ p_i (-ln r_i)          (GE(0), Theil's L)

An estimate of exactly 0 is taken as 1e-6 before anything else (WHO's rule, so the logarithm
exists); negative estimates have no logarithm and get a note. These are the grouped-data
versions; `jamlik.measures.distribution` has THEIL_T and THEIL_L for individual values with a
between/within decomposition.

Reference: Ahn et al. 2018, JCO Clin Cancer Inform 2:1-19 (standard errors); Schlotheuber &
Hosseinpoor 2022, IJERPH 19(6):3697.

Example through the public API (× 1000, as WHO reports them)::

    >>> import pandas as pd
    >>> from jamlik.measures import compute
    >>> frame = pd.DataFrame({"estimate": [70.0, 80.0, 95.0], "population": [1000, 3000, 1000],
    ...                       "favourable_indicator": 1, "ordered_dimension": 0})
    >>> out = compute(frame, measures=['TI', 'MLD'], draws=0)
    >>> dict(zip(out["measure"], out["estimate"].round(3).tolist()))
    {'TI': 4.809, 'MLD': 4.759}
"""

from __future__ import annotations

import numpy as np

from jamlik.measures._batch import Batch, Requirement, per_row, seg_sum, shares
from jamlik.measures._entry import Entry
from jamlik.measures._interval import Analytic, se_from_gradient

_REF = "Ahn et al. 2018, JCO Clin Cancer Inform 2:1-19; WHO healthequal ti(), mld()"


def _relative(b: Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(p_i, r_i, μ) with WHO's 0 -> 1e-6 substitution."""

    def make() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        y = np.where(b.y == 0.0, 1e-6, b.y)
        p = shares(b)
        mu = seg_sum(p * y, b)
        return p, y / per_row(mu, b), mu

    return b.memo("entropy_relative", make)


def theil_index(b: Batch) -> np.ndarray:
    """TI = 1000 Σ p_i r_i ln r_i.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([10, 20, 40], [1, 2, 1])  # r = (4/9, 8/9, 16/9)
    >>> theil_index(b).round(3)
    array([113.266])
    """
    p, r, _ = _relative(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1000.0 * seg_sum(p * r * np.log(r), b)


def mean_log_deviation(b: Batch) -> np.ndarray:
    """MLD = 1000 Σ p_i (-ln r_i).

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([10, 20, 40], [1, 2, 1])  # r = (4/9, 8/9, 16/9)
    >>> mean_log_deviation(b).round(3)
    array([117.783])
    """
    p, r, _ = _relative(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -1000.0 * seg_sum(p * np.log(r), b)


def _se_ti(b: Batch) -> np.ndarray:
    # ∂TI/∂y_i = 1000 (p_i / μ) (ln r_i - T), T = Σ p r ln r: WHO's formula, times 1000.
    p, r, mu = _relative(b)
    t = theil_index(b) / 1000.0
    with np.errstate(divide="ignore", invalid="ignore"):
        grad = 1000.0 * p / per_row(mu, b) * (np.log(r) - per_row(t, b))
    return se_from_gradient(grad, b)


def _se_mld(b: Batch) -> np.ndarray:
    # ∂MLD/∂y_i = 1000 (p_i / μ) (1 - 1 / r_i).
    p, r, mu = _relative(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        grad = 1000.0 * p / per_row(mu, b) * (1.0 - 1.0 / r)
    return se_from_gradient(grad, b)


_REQ = Requirement(
    min_subgroups=3, ordered=False, weighted=True, nonnegative=True, positive_mean=True
)

MEASURES = {"TI": theil_index, "MLD": mean_log_deviation}
REQUIRES = {"TI": _REQ, "MLD": _REQ}
INTERVALS = {
    "TI": Analytic(_se_ti, method="analytic (delta method; se × 1000 like the estimate)"),
    "MLD": Analytic(_se_mld, method="analytic (delta method; se × 1000 like the estimate)"),
}

_APPLIES = (
    "non-ordered dimensions with more than 2 subgroups; population needed; no negative values"
)

ENTRIES = [
    Entry(
        code="TI",
        name_sv="Theils index",
        name_en="Theil index",
        kind="relative",
        weighted=True,
        applies_to=_APPLIES,
        formula="TI = 1000 Σ p_i r_i ln r_i, r_i = y_i / μ",
        interpretation_sv=(
            "Hur ojämnt indikatorn är fördelad mellan grupperna jämfört med hur befolkningen "
            "är fördelad. 0 betyder helt jämn fördelning. Större värde betyder större "
            "ojämlikhet; grupper långt över snittet väger tyngst."
        ),
        interpretation_en=(
            "How unevenly the indicator is spread over the subgroups compared with the "
            "population. 0 means an even spread; larger means more inequality, driven most by "
            "subgroups far above the average."
        ),
        interval="analytic (delta method; standard error on the same ×1000 scale)",
        interval_sv=(
            "Räknas ur gruppernas medelfel med deltametoden (en närmevärdesformel); medelfelet "
            "anges på samma skala som måttet (gånger 1 000)."
        ),
        reference=_REF,
        family="entropy",
    ),
    Entry(
        code="MLD",
        name_sv="Medellogaritmisk avvikelse",
        name_en="Mean log deviation",
        kind="relative",
        weighted=True,
        applies_to=_APPLIES,
        formula="MLD = 1000 Σ p_i (-ln r_i), r_i = y_i / μ",
        interpretation_sv=(
            "Hur ojämnt indikatorn är fördelad mellan grupperna, vägt efter gruppernas "
            "storlek. 0 betyder helt jämn fördelning. Större värde betyder större "
            "ojämlikhet; grupper långt under snittet väger tyngst."
        ),
        interpretation_en=(
            "How unevenly the indicator is spread over the subgroups, weighted by size. 0 "
            "means an even spread; larger means more inequality, driven most by subgroups far "
            "below the average."
        ),
        interval="analytic (delta method; standard error on the same ×1000 scale)",
        interval_sv=(
            "Räknas ur gruppernas medelfel med deltametoden (en närmevärdesformel); medelfelet "
            "anges på samma skala som måttet (gånger 1 000)."
        ),
        reference=_REF,
        family="entropy",
    ),
]
