"""Impact measures: population attributable risk (PAR) and fraction (PAF).

How much the average would improve if every subgroup reached the reference subgroup's level.
The reference is the most advantaged subgroup (highest subgroup_order) of an ordered dimension,
and the best-performing subgroup (highest estimate if favourable, lowest if adverse) of a
non-ordered one. μ is the population-weighted mean, or the setting average when a population
is missing. When the reference does no better than the mean, both are set to 0 (WHO's rule).

Reference: Walter SD. Calculation of attributable risks from epidemiological data. Int J
Epidemiol 1978;7(2):175-82. Schlotheuber & Hosseinpoor 2022, IJERPH 19(6):3697.

Example through the public API (best 95 vs the mean 81: 14, and 14 / 81 in percent)::

    >>> import pandas as pd
    >>> from jamlik.measures import compute
    >>> frame = pd.DataFrame({"estimate": [70.0, 80.0, 95.0], "population": [1000, 3000, 1000],
    ...                       "favourable_indicator": 1, "ordered_dimension": 0})
    >>> out = compute(frame, measures=['PAR', 'PAF'], draws=0)
    >>> dict(zip(out["measure"], out["estimate"].round(3).tolist()))
    {'PAR': 14.0, 'PAF': 17.284}
"""

from __future__ import annotations

import numpy as np

from jamlik.measures._batch import (
    Batch,
    Requirement,
    per_row,
    population_or_setting_mean,
    seg_argmax,
    seg_argmin,
    seg_sum,
    shares,
)
from jamlik.measures._entry import Entry
from jamlik.measures._interval import PERCENT_CHANGE_LOG, Analytic, se_from_gradient

_REF = "Walter 1978, Int J Epidemiol 7(2):175-82; WHO healthequal parisk(), paf()"


def reference_row(b: Batch) -> np.ndarray:
    """Row index of the reference subgroup of each series."""

    def make() -> np.ndarray:
        best = np.where(b.favourable, seg_argmax(b.y, b), seg_argmin(b.y, b))
        return np.where(b.ordered, b.starts[1:] - 1, best)

    return b.memo("attributable_reference", make)


def _raw_par(b: Batch) -> np.ndarray:
    return b.y[reference_row(b)] - population_or_setting_mean(b)


def _clip_to_zero(value: np.ndarray, b: Batch) -> np.ndarray:
    wrong_side = np.where(b.favourable, value < 0, value > 0)
    return np.where(wrong_side, 0.0, value)


def par(b: Batch) -> np.ndarray:
    """PAR = y_ref - μ, set to 0 when the reference does no better than μ.

    >>> from jamlik.measures._batch import example_batch
    >>> par(example_batch([60, 70, 90], [1, 2, 1], order=[1, 2, 3]))  # 90 - 72.5
    array([17.5])
    """
    return _clip_to_zero(_raw_par(b), b)


def _raw_paf(b: Batch) -> np.ndarray:
    mu = population_or_setting_mean(b)
    return 100.0 * (b.y[reference_row(b)] - mu) / mu


def paf(b: Batch) -> np.ndarray:
    """PAF = 100 (y_ref - μ) / μ, in percent of the mean, 0 on the wrong side.

    >>> from jamlik.measures._batch import example_batch
    >>> paf(example_batch([60, 70, 90], [1, 2, 1], order=[1, 2, 3])).round(6)  # 100 · 17.5 / 72.5
    array([24.137931])
    """
    return _clip_to_zero(_raw_paf(b), b)


def _mean_gradient(b: Batch) -> np.ndarray:
    """∂μ/∂y_i: p_i when μ comes from the population; 0 when it is the given setting average."""
    from_population = per_row(seg_sum(np.isnan(b.w).astype(np.int64), b) == 0, b)
    return np.where(from_population, shares(b), 0.0)


def _se_par(b: Batch) -> np.ndarray:
    grad = -_mean_gradient(b)
    grad[reference_row(b)] += 1.0
    return se_from_gradient(grad, b)


def _se_log_paf(b: Batch) -> np.ndarray:
    # log q = log y_ref - log μ: ∂/∂y_ref = 1/y_ref, ∂/∂y_i -= p_i/μ.
    mu = population_or_setting_mean(b)
    ref = reference_row(b)
    grad = -_mean_gradient(b) / per_row(mu, b)
    with np.errstate(divide="ignore"):
        grad[ref] += 1.0 / b.y[ref]
    return se_from_gradient(grad, b)


def _bounds(b: Batch) -> tuple[np.ndarray, np.ndarray]:
    return np.where(b.favourable, 0.0, -np.inf), np.where(b.favourable, np.inf, 0.0)


MEASURES = {"PAR": par, "PAF": paf}

REQUIRES = {
    "PAR": Requirement(min_subgroups=2, mean="population_or_setting", favourable=True),
    "PAF": Requirement(
        min_subgroups=2, mean="population_or_setting", favourable=True, positive_mean=True
    ),
}

INTERVALS = {
    "PAR": Analytic(
        _se_par, center=_raw_par, bounds=_bounds, method="analytic (exact for a linear measure)"
    ),
    "PAF": Analytic(
        _se_log_paf,
        link=PERCENT_CHANGE_LOG,
        center=_raw_paf,
        bounds=_bounds,
        method="analytic (delta method on log(y_ref / μ))",
    ),
}

UNDEFINED = {"PAF": "PAF undefined: the reference subgroup's estimate is 0 or negative"}

ENTRIES = [
    Entry(
        code="PAR",
        name_sv="Befolkningsattributabel risk",
        name_en="Population attributable risk",
        kind="absolute",
        weighted=True,
        applies_to="any dimension with at least 2 subgroups; population or setting average",
        formula="PAR = y_ref - μ (0 when the reference does no better than μ)",
        interpretation_sv=(
            "Hur mycket genomsnittet skulle förbättras, i indikatorns enhet, om alla grupper "
            "nådde samma nivå som den bästa (eller mest gynnade) gruppen. 0 betyder att ingen "
            "förbättring är möjlig på det sättet."
        ),
        interpretation_en=(
            "How much the average would improve, in the indicator's unit, if every subgroup "
            "reached the level of the best-performing (or most advantaged) subgroup. 0 means "
            "no such improvement is possible."
        ),
        interval="analytic (exact for a linear measure; limits clipped at 0)",
        interval_sv=(
            "Räknas exakt ur gruppernas medelfel, eftersom måttet är linjärt i gruppernas "
            "värden; gränserna stannar vid 0."
        ),
        reference=_REF,
        family="attributable",
    ),
    Entry(
        code="PAF",
        name_sv="Befolkningsattributabel andel",
        name_en="Population attributable fraction",
        kind="relative",
        weighted=True,
        applies_to="any dimension with at least 2 subgroups; population or setting average",
        formula="PAF = 100 (y_ref - μ) / μ (0 when the reference does no better than μ)",
        interpretation_sv=(
            "Samma möjliga förbättring som PAR, men i procent av genomsnittet. 0 betyder att "
            "ingen förbättring är möjlig på det sättet."
        ),
        interpretation_en=(
            "The same possible improvement as PAR, as a percentage of the average. 0 means no "
            "such improvement is possible."
        ),
        interval="analytic (delta method on log(y_ref / μ), in percent; limits clipped at 0)",
        interval_sv=(
            "Räknas ur gruppernas medelfel med deltametoden på logaritmen av kvoten mellan "
            "referensgruppens värde och snittet, i procent; gränserna stannar vid 0."
        ),
        reference=_REF,
        family="attributable",
    ),
]
