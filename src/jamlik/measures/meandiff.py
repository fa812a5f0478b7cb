"""Mean-difference measures for non-ordered dimensions: MDM, MDB, MDR (unweighted U and
population-weighted W) and the index of disparity IDIS.

Each is the average absolute distance of the subgroups from a reference point: the mean (MDM),
the best-performing subgroup (MDB: highest estimate if favourable, lowest if adverse) or the
declared reference subgroup (MDR). The unweighted versions divide by the number of subgroups n
(the reference point's own subgroup included, as WHO does). IDIS expresses MDM in percent of
the mean.

μ follows WHO's healthequal: MDMU and IDISU use the setting average when one is given (else the
population-weighted mean); MDMW and IDISW always use the population-weighted mean.

Reference: Schlotheuber & Hosseinpoor 2022, IJERPH 19(6):3697; Ahn J et al. Improved Monte Carlo
methods for estimating confidence intervals for eleven commonly used health disparity measures.
PLoS One 2019;14(7).

Example through the public API (μ = 81: (11 + 1 + 14) / 3; best 95: (25 + 15 + 0) / 3)::

    >>> import pandas as pd
    >>> from jamlik.measures import compute
    >>> frame = pd.DataFrame({"estimate": [70.0, 80.0, 95.0], "population": [1000, 3000, 1000],
    ...                       "favourable_indicator": 1, "ordered_dimension": 0})
    >>> out = compute(frame, measures=['MDMU', 'MDBU'], draws=0)
    >>> dict(zip(out["measure"], out["estimate"].round(3).tolist()))
    {'MDMU': 8.667, 'MDBU': 13.333}
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jamlik.measures._batch import (
    Batch,
    Requirement,
    per_row,
    seg_max,
    seg_min,
    seg_sum,
    setting_or_population_mean,
    shares,
    weighted_mean,
)
from jamlik.measures._entry import SIMULATION_SV, Entry
from jamlik.measures._interval import Simulation

_REF = "Schlotheuber & Hosseinpoor 2022, IJERPH 19(6):3697; WHO healthequal md*(), idis*()"


def _unweighted(dist: np.ndarray, b: Batch) -> np.ndarray:
    return seg_sum(dist, b) / b.counts


def _best(b: Batch) -> np.ndarray:
    return np.where(b.favourable, seg_max(b.y, b), seg_min(b.y, b))


def _reference_value(b: Batch) -> np.ndarray:
    return seg_sum(np.where(b.ref, b.y, 0.0), b)


def mdmu(b: Batch) -> np.ndarray:
    """MDMU = Σ |y_i - μ| / n.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([10, 20, 40], [1, 2, 1], ref=[0, 1, 0])  # μ = 22.5, reference 20
    >>> mdmu(b).round(6)  # (12.5 + 2.5 + 17.5) / 3
    array([10.833333])
    """
    mu = setting_or_population_mean(b)
    return _unweighted(np.abs(b.y - per_row(mu, b)), b)


def mdmw(b: Batch) -> np.ndarray:
    """MDMW = Σ p_i |y_i - μ|.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([10, 20, 40], [1, 2, 1], ref=[0, 1, 0])  # μ = 22.5, reference 20
    >>> mdmw(b).round(6)  # 0.25 · 12.5 + 0.5 · 2.5 + 0.25 · 17.5
    array([8.75])
    """
    return seg_sum(shares(b) * np.abs(b.y - per_row(weighted_mean(b), b)), b)


def mdbu(b: Batch) -> np.ndarray:
    """MDBU = Σ |y_i - y_best| / n.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([10, 20, 40], [1, 2, 1], ref=[0, 1, 0])  # μ = 22.5, reference 20
    >>> mdbu(b).round(6)  # favourable, best 40: (30 + 20 + 0) / 3
    array([16.666667])
    """
    return _unweighted(np.abs(b.y - per_row(_best(b), b)), b)


def mdbw(b: Batch) -> np.ndarray:
    """MDBW = Σ p_i |y_i - y_best|.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([10, 20, 40], [1, 2, 1], ref=[0, 1, 0])  # μ = 22.5, reference 20
    >>> mdbw(b).round(6)  # 0.25 · 30 + 0.5 · 20
    array([17.5])
    """
    return seg_sum(shares(b) * np.abs(b.y - per_row(_best(b), b)), b)


def mdru(b: Batch) -> np.ndarray:
    """MDRU = Σ |y_i - y_ref| / n.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([10, 20, 40], [1, 2, 1], ref=[0, 1, 0])  # μ = 22.5, reference 20
    >>> mdru(b).round(6)  # (10 + 0 + 20) / 3
    array([10.])
    """
    return _unweighted(np.abs(b.y - per_row(_reference_value(b), b)), b)


def mdrw(b: Batch) -> np.ndarray:
    """MDRW = Σ p_i |y_i - y_ref|.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([10, 20, 40], [1, 2, 1], ref=[0, 1, 0])  # μ = 22.5, reference 20
    >>> mdrw(b).round(6)  # 0.25 · 10 + 0.25 · 20
    array([7.5])
    """
    return seg_sum(shares(b) * np.abs(b.y - per_row(_reference_value(b), b)), b)


def idisu(b: Batch) -> np.ndarray:
    """IDISU = 100 MDMU / μ.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([10, 20, 40], [1, 2, 1], ref=[0, 1, 0])  # μ = 22.5, reference 20
    >>> idisu(b).round(6)  # 100 · 10.833333 / 22.5
    array([48.148148])
    """
    return 100.0 * mdmu(b) / setting_or_population_mean(b)


def idisw(b: Batch) -> np.ndarray:
    """IDISW = 100 MDMW / μ.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([10, 20, 40], [1, 2, 1], ref=[0, 1, 0])  # μ = 22.5, reference 20
    >>> idisw(b).round(6)  # 100 · 8.75 / 22.5
    array([38.888889])
    """
    return 100.0 * mdmw(b) / weighted_mean(b)


_BASE: dict[str, Any] = dict(min_subgroups=3, ordered=False)

MEASURES = {
    "MDMU": mdmu,
    "MDMW": mdmw,
    "MDBU": mdbu,
    "MDBW": mdbw,
    "MDRU": mdru,
    "MDRW": mdrw,
    "IDISU": idisu,
    "IDISW": idisw,
}

REQUIRES = {
    "MDMU": Requirement(**_BASE, mean="setting_or_population"),
    "MDMW": Requirement(**_BASE, weighted=True),
    "MDBU": Requirement(**_BASE, favourable=True),
    "MDBW": Requirement(**_BASE, weighted=True, favourable=True),
    "MDRU": Requirement(**_BASE, reference=True),
    "MDRW": Requirement(**_BASE, weighted=True, reference=True),
    "IDISU": Requirement(**_BASE, mean="setting_or_population", positive_mean=True),
    "IDISW": Requirement(**_BASE, weighted=True, positive_mean=True),
}

INTERVALS = {code: Simulation(lower=0.0) for code in MEASURES}

_SIM = "parametric simulation (estimate ± z × sd of the draws; lower limit 0)"
_NO = "non-ordered dimensions with more than 2 subgroups"
_POP = "; population needed"

# What the distance is measured from, in plain Swedish and English, for the interpretations.
_FROM = {
    "M": (
        "snittet",
        "the average",
        "alla grupper har samma värde",
        "every subgroup has the same value",
    ),
    "B": (
        "den grupp som har det bästa värdet",
        "the best-performing subgroup",
        "alla grupper har nått den bästa gruppens nivå",
        "every subgroup has reached the best level",
    ),
    "R": (
        "referensgruppen",
        "the reference subgroup",
        "alla grupper har samma värde som referensgruppen",
        "every subgroup equals the reference",
    ),
}

# code: (name_sv, name_en, applies_to, formula)
_NAMES = {
    "MDMU": ("Medelavvikelse från snittet (ovägd)", "Mean difference from mean (unweighted)",
             _NO + "; population or setting average", "MDMU = Σ |y_i - μ| / n"),
    "MDMW": ("Medelavvikelse från snittet (vägd)", "Mean difference from mean (weighted)",
             _NO + _POP, "MDMW = Σ p_i |y_i - μ|"),
    "MDBU": ("Medelavvikelse från bästa gruppen (ovägd)",
             "Mean difference from best-performing subgroup (unweighted)",
             _NO, "MDBU = Σ |y_i - y_best| / n"),
    "MDBW": ("Medelavvikelse från bästa gruppen (vägd)",
             "Mean difference from best-performing subgroup (weighted)",
             _NO + _POP, "MDBW = Σ p_i |y_i - y_best|"),
    "MDRU": ("Medelavvikelse från referensgruppen (ovägd)",
             "Mean difference from reference subgroup (unweighted)",
             _NO + "; exactly one reference subgroup", "MDRU = Σ |y_i - y_ref| / n"),
    "MDRW": ("Medelavvikelse från referensgruppen (vägd)",
             "Mean difference from reference subgroup (weighted)",
             _NO + "; exactly one reference subgroup" + _POP, "MDRW = Σ p_i |y_i - y_ref|"),
    "IDISU": ("Skillnadsindex (ovägt)", "Index of disparity (unweighted)",
              _NO + "; population or setting average; positive mean", "IDISU = 100 MDMU / μ"),
    "IDISW": ("Skillnadsindex (vägt)", "Index of disparity (weighted)",
              _NO + _POP + "; positive mean", "IDISW = 100 MDMW / μ"),
}  # fmt: skip


def _entry(code: str) -> Entry:
    name_sv, name_en, applies, formula = _NAMES[code]
    weighted = code.endswith("W")
    relative = code.startswith("IDIS")
    sv_from, en_from, sv_zero, en_zero = _FROM["M" if relative else code[2]]
    sv_w = ", vägt efter gruppernas storlek" if weighted else ""
    en_w = ", weighted by subgroup size" if weighted else ""
    sv_unit = "i procent av snittet" if relative else "i indikatorns enhet"
    en_unit = "as a percentage of the average" if relative else "in the indicator's unit"
    return Entry(
        code=code,
        name_sv=name_sv,
        name_en=name_en,
        kind="relative" if relative else "absolute",
        weighted=weighted,
        applies_to=applies,
        formula=formula,
        interpretation_sv=(
            f"Hur långt grupperna i genomsnitt ligger från {sv_from}, {sv_unit}{sv_w}. "
            f"0 betyder att {sv_zero}."
        ),
        interpretation_en=(
            f"How far the subgroups lie, on average, from {en_from}, {en_unit}{en_w}. "
            f"0 means {en_zero}."
        ),
        interval=_SIM,
        interval_sv=SIMULATION_SV,
        reference=_REF,
        family="meandiff",
    )


ENTRIES = [_entry(code) for code in MEASURES]
