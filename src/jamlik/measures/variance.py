"""Variance measures for non-ordered dimensions: BGV, BGSD and COV.

All three weight each subgroup by its population share p_i and compare it with the
population-weighted mean μ = Σ p_i y_i.

Reference: Ahn J, Harper S, Yu M, Feuer EJ, Liu B, Luta G. Variance estimation and confidence
intervals for 11 commonly used health disparity measures. JCO Clin Cancer Inform 2018;2:1-19.

Example through the public API (μ = 81; BGV = 0.2·11² + 0.6·1² + 0.2·14² = 64)::

    >>> import pandas as pd
    >>> from jamlik.measures import compute
    >>> frame = pd.DataFrame({"estimate": [70.0, 80.0, 95.0], "population": [1000, 3000, 1000],
    ...                       "favourable_indicator": 1, "ordered_dimension": 0})
    >>> out = compute(frame, measures=['BGV', 'BGSD', 'COV'], draws=0)
    >>> dict(zip(out["measure"], out["estimate"].round(3).tolist()))
    {'BGV': 64.0, 'BGSD': 8.0, 'COV': 9.877}
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jamlik.measures._batch import Batch, Requirement, per_row, seg_sum, shares, weighted_mean
from jamlik.measures._entry import SIMULATION_SV, Entry
from jamlik.measures._interval import SQUARE, Analytic, Simulation

_REF = "Ahn et al. 2018, JCO Clin Cancer Inform 2:1-19; WHO healthequal bgv(), bgsd(), covar()"


def bgv(b: Batch) -> np.ndarray:
    """BGV = Σ p_i (y_i - μ)², in the squared unit of the indicator.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([10, 20, 40], [1, 2, 1])  # μ = 22.5
    >>> bgv(b)  # (156.25 + 2 · 6.25 + 306.25) / 4
    array([118.75])
    """
    return b.memo("bgv", lambda: seg_sum(shares(b) * (b.y - per_row(weighted_mean(b), b)) ** 2, b))


def bgsd(b: Batch) -> np.ndarray:
    """BGSD = sqrt(BGV), in the indicator's unit.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([10, 20, 40], [1, 2, 1])  # μ = 22.5
    >>> bgsd(b).round(6)
    array([10.897247])
    """
    return np.sqrt(bgv(b))


def cov(b: Batch) -> np.ndarray:
    """COV = 100 BGSD / μ, in percent of the mean.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([10, 20, 40], [1, 2, 1])  # μ = 22.5
    >>> cov(b).round(5)  # 100 · 10.897247 / 22.5
    array([48.43221])
    """
    return 100.0 * bgsd(b) / weighted_mean(b)


def _se_bgv(b: Batch) -> np.ndarray:
    """Exact standard deviation of the plug-in BGV for normal estimates (Ahn et al. 2018):
    var = 4 Σ p² se² (y - μ)² + 2 [(Σ p² se²)² - Σ p⁴ se⁴ + Σ p² (1 - p)² se⁴]."""
    p = shares(b)
    s2 = b.se * b.se
    dev = b.y - per_row(weighted_mean(b), b)
    first = seg_sum(p * p * s2 * dev * dev, b)
    a = seg_sum(p * p * s2, b)
    c = seg_sum(p**4 * s2 * s2, b)
    d = seg_sum(p * p * (1 - p) ** 2 * s2 * s2, b)
    return np.sqrt(4.0 * first + 2.0 * (a * a - c + d))


def _non_negative(b: Batch) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(b.n_series), np.full(b.n_series, np.inf)


_NON_ORDERED: dict[str, Any] = dict(min_subgroups=3, ordered=False, weighted=True)

MEASURES = {"BGV": bgv, "BGSD": bgsd, "COV": cov}

REQUIRES = {
    "BGV": Requirement(**_NON_ORDERED),
    "BGSD": Requirement(**_NON_ORDERED),
    "COV": Requirement(**_NON_ORDERED, positive_mean=True),
}

INTERVALS = {
    "BGV": Analytic(_se_bgv, bounds=_non_negative, method="analytic (exact variance)"),
    "BGSD": Analytic(_se_bgv, link=SQUARE, method="analytic (square root of the BGV interval)"),
    "COV": Simulation(lower=0.0),
}

_APPLIES = "non-ordered dimensions with more than 2 subgroups; population needed"

ENTRIES = [
    Entry(
        code="BGV",
        name_sv="Varians mellan grupper",
        name_en="Between-group variance",
        kind="absolute",
        weighted=True,
        applies_to=_APPLIES,
        formula="BGV = Σ p_i (y_i - μ)²",
        interpretation_sv=(
            "Hur mycket grupperna i genomsnitt avviker från snittet, i kvadrat och vägt efter "
            "gruppernas storlek. 0 betyder att alla grupper har samma värde. Stora avvikelser "
            "väger extra tungt."
        ),
        interpretation_en=(
            "How far the subgroups lie from the average, squared and weighted by size. 0 means "
            "every subgroup has the same value; large deviations weigh extra."
        ),
        interval="analytic (exact variance under normality; lower limit at least 0)",
        interval_sv=(
            "Räknas exakt ur gruppernas medelfel, under antagandet att skattningarna är "
            "normalfördelade; den nedre gränsen är minst 0."
        ),
        reference=_REF,
        family="variance",
    ),
    Entry(
        code="BGSD",
        name_sv="Standardavvikelse mellan grupper",
        name_en="Between-group standard deviation",
        kind="absolute",
        weighted=True,
        applies_to=_APPLIES,
        formula="BGSD = sqrt(BGV)",
        interpretation_sv=(
            "Den typiska avvikelsen mellan en grupp och snittet, i indikatorns enhet och vägd "
            "efter gruppernas storlek. 0 betyder att alla grupper har samma värde."
        ),
        interpretation_en=(
            "The typical distance between a subgroup and the average, in the indicator's "
            "unit, weighted by size. 0 means every subgroup has the same value."
        ),
        interval="analytic (square root of the BGV interval)",
        interval_sv="Roten ur gränserna i intervallet för variansen mellan grupper (BGV).",
        reference=_REF,
        family="variance",
    ),
    Entry(
        code="COV",
        name_sv="Variationskoefficient",
        name_en="Coefficient of variation",
        kind="relative",
        weighted=True,
        applies_to=_APPLIES + "; positive mean",
        formula="COV = 100 BGSD / μ",
        interpretation_sv=(
            "Den typiska avvikelsen från snittet i procent av snittet. 0 betyder att alla "
            "grupper har samma värde."
        ),
        interpretation_en=(
            "The typical distance from the average as a percentage of the average. 0 means "
            "every subgroup has the same value."
        ),
        interval="parametric simulation (estimate ± z × sd of the draws; lower limit 0)",
        interval_sv=SIMULATION_SV,
        reference=_REF,
        family="variance",
    ),
]
