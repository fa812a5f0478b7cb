"""Distribution measures: Gini, Atkinson, Palma, Hoover, Theil T and Theil L, weighted.

Each value y_i is held by w_i people (a subgroup's estimate and its population, or one person's or
one area's value with weight 1). With W = Σw, p_i = w_i/W and μ = Σ p_i y_i:

- Gini        G = Σ_i Σ_j p_i p_j |y_i − y_j| / (2μ), computed as Σ p_i y_i (2F_i − 1) / μ with
              F_i the mid-point population rank after sorting by y (the two are equal, ties too).
- Atkinson    A(ε) = 1 − (Σ p_i (y_i/μ)^(1−ε))^(1/(1−ε)); A(1) = 1 − exp(Σ p_i ln y_i) / μ.
- Palma       share of the total held by the richest 10 % of people / share held by the poorest 40 %.
- Hoover      H = ½ Σ p_i |y_i/μ − 1|: the share of the total that would have to move to reach
              equality (the largest vertical gap between the Lorenz curve and the diagonal).
- Theil T     GE(1) = Σ p_i (y_i/μ) ln(y_i/μ)   (0·ln 0 = 0)
- Theil L     GE(0) = Σ p_i ln(μ/y_i)           (mean log deviation; needs every y_i > 0)

Palma convention: the population is a continuum in which each of subgroup i's w_i people holds y_i,
so the Lorenz curve is piecewise linear and its value at 40 % and 90 % is read by linear
interpolation. A subgroup that straddles a cut-off is split at it: with 5 equal people, the poorest
40 % are people 1–2 and the richest 10 % is half of person 5.

These are the standard scale-free versions: jamlik's THEIL_T and THEIL_L are WHO's TI and MLD
divided by 1000 (and WHO replaces an estimate of 0 by 1e-6 where THEIL_T uses 0·ln 0 = 0).

Two ways in: `MEASURES` for `compute()` (all series at once, through `Batch`; delta-method
intervals in `INTERVALS`, gradients in `_distribution_se.py`), and plain functions
`gini(values, weights)`, … on one set of values (point values only). The exact between/within decomposition of Theil's
indices (`theil_decomposition`, `theil_decomposition_frame`) lives in `theil.py` and is re-exported here.

References: Cowell FA. Measuring Inequality, 3rd ed. Oxford University Press 2011 (Gini, Atkinson,
Theil); Palma JG. Homogeneous middles vs. heterogeneous tails. Development and Change
2011;42(1):87-153; Hoover EM. The measurement of industrial localization. Review of Economics and
Statistics 1936;18(4):162-171.

Example through the public API (μ = 81; G = 8 / (2 · 81))::

    >>> import pandas as pd
    >>> from jamlik.measures import compute
    >>> frame = pd.DataFrame({"estimate": [70.0, 80.0, 95.0], "population": [1000, 3000, 1000],
    ...                       "favourable_indicator": 1, "ordered_dimension": 0})
    >>> out = compute(frame, measures=["GINI"], draws=0)
    >>> dict(zip(out["measure"], out["estimate"].round(4).tolist()))
    {'GINI': 0.0494}
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import xlogy

from ._batch import Batch, Requirement
from ._distribution_se import intervals
from ._entry import Entry
from ._segments import Sorted, one_segment, people_below, seg_min, seg_sum, sort_within
from .theil import TheilDecomposition, theil_decomposition, theil_decomposition_frame

__all__ = [
    "ENTRIES",
    "INTERVALS",
    "MEASURES",
    "REQUIRES",
    "UNDEFINED",
    "TheilDecomposition",
    "atkinson",
    "gini",
    "hoover",
    "palma",
    "theil_decomposition",
    "theil_decomposition_frame",
    "theil_l",
    "theil_t",
]

# ---------------------------------------------------------------- kernels (many series at once)
# Every kernel takes per-row y, w and the segment layout (and, where it sorts, an already sorted
# view to share), and returns one value per series: NaN where the measure is undefined.


def _mean_parts(y, w, starts):
    W = seg_sum(w, starts)
    total = seg_sum(w * y, starts)
    bad = (seg_min(y, starts) < 0) | ~(total > 0)
    return W, total, bad


def gini_kernel(y, w, sid, starts, srt: Sorted | None = None) -> np.ndarray:
    W, total, bad = _mean_parts(y, w, starts)
    srt = srt or sort_within(y, w, sid, starts)
    g = seg_sum(srt.w * srt.y * (2 * srt.rank - 1), starts) / np.where(bad, 1.0, total)
    return np.where(bad, np.nan, g)


def palma_kernel(y, w, sid, starts, srt: Sorted | None = None) -> np.ndarray:
    W, total, bad = _mean_parts(y, w, starts)
    srt = srt or sort_within(y, w, sid, starts)
    top = seg_sum(srt.y * (srt.w - people_below(srt, sid, starts, 0.9)), starts)
    bottom = seg_sum(srt.y * people_below(srt, sid, starts, 0.4), starts)
    bad = bad | ~(bottom > 0)
    return np.where(bad, np.nan, top / np.where(bad, 1.0, bottom))


def hoover_kernel(y, w, sid, starts) -> np.ndarray:
    W, total, bad = _mean_parts(y, w, starts)
    mu = total / W
    h = seg_sum(w * np.abs(y - mu[sid]), starts) / (2 * np.where(bad, 1.0, total))
    return np.where(bad, np.nan, h)


def theil_t_kernel(y, w, sid, starts) -> np.ndarray:
    W, total, bad = _mean_parts(y, w, starts)
    mu = np.where(bad, 1.0, total / W)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = seg_sum(w * xlogy(y, y / mu[sid]), starts) / np.where(bad, 1.0, total)
    return np.where(bad, np.nan, t)


def theil_l_kernel(y, w, sid, starts) -> np.ndarray:
    W, total, bad = _mean_parts(y, w, starts)
    bad = bad | ~(seg_min(y, starts) > 0)
    mu = np.where(bad, 1.0, total / W)
    with np.errstate(divide="ignore", invalid="ignore"):
        ell = seg_sum(w * np.log(mu[sid] / y), starts) / W
    return np.where(bad, np.nan, ell)


def atkinson_kernel(y, w, sid, starts, epsilon: float) -> np.ndarray:
    W, total, bad = _mean_parts(y, w, starts)
    mu = np.where(bad, 1.0, total / W)
    r = y / mu[sid]
    # A zero value drives the equally-distributed equivalent to 0 for ε ≥ 1, so A = 1: the limit,
    # which numpy reaches on its own through log(0) = −inf and 0^(negative) = inf.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if epsilon == 1:
            ede = np.exp(seg_sum(w * np.log(r), starts) / W)
        else:
            ede = (seg_sum(w * r ** (1 - epsilon), starts) / W) ** (1 / (1 - epsilon))
    return np.where(bad, np.nan, 1 - ede)


# ---------------------------------------------------------------- Batch API for compute()


def _sorted(b: Batch) -> Sorted:
    """The batch sorted by estimate within series, once per batch (Gini, Palma and their se)."""
    return b.memo("distribution:sorted", lambda: sort_within(b.y, b.w, b.sid, b.starts))


def _gini(b: Batch) -> np.ndarray:
    return b.memo("distribution:GINI", lambda: gini_kernel(b.y, b.w, b.sid, b.starts, _sorted(b)))


def _palma(b: Batch) -> np.ndarray:
    return b.memo("distribution:PALMA", lambda: palma_kernel(b.y, b.w, b.sid, b.starts, _sorted(b)))


def _hoover(b: Batch) -> np.ndarray:
    return b.memo("distribution:HOOVER", lambda: hoover_kernel(b.y, b.w, b.sid, b.starts))


def _theil_t(b: Batch) -> np.ndarray:
    return b.memo("distribution:THEIL_T", lambda: theil_t_kernel(b.y, b.w, b.sid, b.starts))


def _theil_l(b: Batch) -> np.ndarray:
    return b.memo("distribution:THEIL_L", lambda: theil_l_kernel(b.y, b.w, b.sid, b.starts))


def _atkinson(epsilon: float) -> Callable[[Batch], np.ndarray]:
    def measure(b: Batch) -> np.ndarray:
        return b.memo(
            f"distribution:ATK{epsilon:g}",
            lambda: atkinson_kernel(b.y, b.w, b.sid, b.starts, epsilon),
        )

    measure.__name__ = f"atkinson_{epsilon:g}"
    return measure


ATKINSON_EPSILONS = {"ATK05": 0.5, "ATK1": 1.0, "ATK2": 2.0}

MEASURES: dict[str, Callable[[Batch], np.ndarray]] = {
    "GINI": _gini,
    **{code: _atkinson(eps) for code, eps in ATKINSON_EPSILONS.items()},
    "PALMA": _palma,
    "HOOVER": _hoover,
    "THEIL_T": _theil_t,
    "THEIL_L": _theil_l,
}

# Subgroup estimates are weighted by population, and every one of these divides by the mean.
REQUIRES: dict[str, Requirement] = {
    code: Requirement(min_subgroups=2, weighted=True, positive_mean=True, nonnegative=True)
    for code in MEASURES
}

INTERVALS = intervals(MEASURES, _sorted, ATKINSON_EPSILONS)

UNDEFINED = {
    "PALMA": "the poorest 40 % hold nothing, so the Palma ratio is undefined",
    "THEIL_L": "an estimate is 0, so Theil L (ln 0) is undefined; use THEIL_T",
}

# ---------------------------------------------------------------- plain functions on arrays


def _prepare(
    values: ArrayLike, weights: ArrayLike | None, name: str, strictly_positive: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    y = np.asarray(values, dtype=float)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"{name}: values must be a non-empty one-dimensional array")
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    problems = []
    if w.shape != y.shape:
        problems.append(f"weights has {w.size} elements but values has {y.size}")
    else:
        if not np.all(np.isfinite(y)):
            problems.append("values contain NaN or infinity; drop or fill them first")
        if not np.all(np.isfinite(w)) or np.any(w < 0) or not w.sum() > 0:
            problems.append("weights must be finite, non-negative and not all zero")
        if np.any(y < 0):
            problems.append("values must be non-negative")
        elif strictly_positive and np.any(y[w > 0] == 0):
            problems.append("every value must be positive (ln 0 is undefined)")
        elif not np.dot(w, y) > 0:
            problems.append("the mean must be positive")
    if problems:
        raise ValueError(f"{name}: " + "; ".join(problems))
    keep = w > 0
    y, w = y[keep], w[keep]
    sid, starts = one_segment(y.size)
    return y, w, sid, starts


def gini(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """Weighted Gini coefficient (0 = equality; near 1 when one small group holds everything).

    Population (not sample) version: the values [1, 2, 3, 4] give 0.25. Integer weights give the
    same result as repeating each value that many times.

    >>> from jamlik.measures.distribution import gini
    >>> gini([1, 2, 3, 4])  # Σ_i Σ_j |y_i − y_j| / (2 n² μ) = 20 / (2 · 16 · 2.5)
    0.25
    >>> round(gini([1, 2, 3, 4], weights=[2, 1, 1, 1]) - gini([1, 1, 2, 3, 4]), 12)
    0.0
    """
    return float(gini_kernel(*_prepare(values, weights, "gini"))[0])


def atkinson(values: ArrayLike, epsilon: float, weights: ArrayLike | None = None) -> float:
    """Atkinson index with inequality aversion ε ≥ 0 (0 = equality; larger ε weighs the bottom more).

    With ε ≥ 1 a value of 0 gives A = 1 (the limit).

    >>> from jamlik.measures.distribution import atkinson
    >>> round(atkinson([1, 4], epsilon=1), 6)  # 1 − geometric mean 2 / mean 2.5
    0.2
    """
    if not (np.isfinite(epsilon) and epsilon >= 0):
        raise ValueError(f"atkinson: epsilon must be a finite number ≥ 0, got {epsilon!r}")
    return float(atkinson_kernel(*_prepare(values, weights, "atkinson"), float(epsilon))[0])


def palma(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """Palma ratio: share held by the top 10 % of people over the share held by the bottom 40 %.

    Equality gives 0.25 (10 % / 40 %). Holders straddling a cut-off are split at it (linear
    interpolation of the Lorenz curve; see the module docstring).

    >>> from jamlik.measures.distribution import palma
    >>> palma([5, 5, 5, 5, 5])  # equality: 10 % / 40 %
    0.25
    """
    return float(palma_kernel(*_prepare(values, weights, "palma"))[0])


def hoover(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """Hoover index: the share of the total that would have to be moved to reach equality.

    >>> from jamlik.measures.distribution import hoover
    >>> round(hoover([1, 1, 2]), 6)  # μ = 4/3: ½ · ⅓ · (¼ + ¼ + ½)
    0.166667
    """
    return float(hoover_kernel(*_prepare(values, weights, "hoover"))[0])


def theil_t(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """Theil's T index, GE(1) (0 = equality; at most ln of the number of holders).

    >>> from jamlik.measures.distribution import theil_t
    >>> theil_t([3, 3, 3])
    0.0
    """
    return float(theil_t_kernel(*_prepare(values, weights, "theil_t"))[0])


def theil_l(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """Theil's L index, GE(0), the mean log deviation. Every value must be positive.

    >>> from jamlik.measures.distribution import theil_l
    >>> round(theil_l([1, 4]), 6)  # ln(μ / geometric mean) = ln(2.5 / 2)
    0.223144
    """
    return float(theil_l_kernel(*_prepare(values, weights, "theil_l", strictly_positive=True))[0])


# ---------------------------------------------------------------- catalogue

_APPLIES = (
    "any dimension, 2 or more subgroups, population for every subgroup, non-negative estimates"
)
_INTERVAL = (
    "analytic (delta method from the subgroups' standard errors, population held fixed; "
    "clipped to the measure's range; the Palma ratio on the log scale)"
)


_INTERVAL_SV = (
    "Räknas ur gruppernas medelfel med deltametoden (en närmevärdesformel), med "
    "befolkningen som fast; gränserna hålls inom måttets möjliga värden och Palmakvoten "
    "räknas på logaritmisk skala."
)


def _entry(code, sv, en, formula, isv, ien, ref, applies=_APPLIES) -> Entry:
    return Entry(
        code=code,
        name_sv=sv,
        name_en=en,
        kind="relative",
        weighted=True,
        applies_to=applies,
        formula=formula,
        interpretation_sv=isv,
        interpretation_en=ien,
        interval=_INTERVAL,
        interval_sv=_INTERVAL_SV,
        reference=ref,
        family="distribution",
    )


_ATK_SV = (
    "Andelen av medelvärdet som samhället skulle kunna avstå om resten fördelades helt jämnt, "
    "utan att välfärden minskar; 0 betyder jämlikhet. Ett högre ε lägger mer vikt vid dem som har minst."
)
_ATK_EN = (
    "The share of the mean that could be given up, if the rest were shared equally, without lowering "
    "welfare; 0 means equality. A higher ε gives more weight to those with least."
)
_ATK_REF = "Atkinson AB (1970). On the measurement of inequality. J Econ Theory 2:244-263."

ENTRIES: list[Entry] = [
    _entry(
        "GINI",
        "Ginikoefficient",
        "Gini coefficient",
        "G = Σ_i Σ_j p_i p_j |y_i − y_j| / (2μ) = Σ_i p_i y_i (2F_i − 1)/μ, F_i = mid-point rank",
        "Hur ojämnt värdena är fördelade mellan människor: 0 när alla har lika mycket, nära 1 när "
        "en liten grupp har nästan allt. Halva den genomsnittliga skillnaden mellan två slumpvis "
        "valda personer, i förhållande till medelvärdet.",
        "How unevenly the values are spread across people: 0 when everyone has the same, near 1 "
        "when a small group holds almost all. Half the mean difference between two people picked at "
        "random, relative to the mean.",
        "Gini C (1912). Variabilità e mutabilità; Cowell FA (2011). Measuring Inequality, 3rd ed.",
    ),
    *[
        _entry(
            code,
            f"Atkinsonindex (ε = {eps:g})".replace(".", ","),
            f"Atkinson index (ε = {eps:g})",
            "A(1) = 1 − exp(Σ p_i ln y_i)/μ"
            if eps == 1
            else f"A = 1 − (Σ p_i (y_i/μ)^(1−{eps:g}))^(1/(1−{eps:g}))",
            _ATK_SV,
            _ATK_EN,
            _ATK_REF,
        )
        for code, eps in ATKINSON_EPSILONS.items()
    ],
    _entry(
        "PALMA",
        "Palmakvot",
        "Palma ratio",
        "share of the total held by the top 10 % / share held by the bottom 40 % "
        "(Lorenz curve interpolated linearly; a subgroup straddling a cut-off is split)",
        "Hur mycket de 10 procent som har mest har, jämfört med de 40 procent som har minst. "
        "Vid jämlikhet är kvoten 0,25; 1 betyder att toppens tiondel har lika mycket som de "
        "fyra lägsta tiondelarna tillsammans.",
        "How much the top 10 per cent hold compared with the bottom 40 per cent. Equality gives "
        "0.25; 1 means the top tenth holds as much as the bottom four tenths together.",
        "Palma JG (2011). Homogeneous middles vs. heterogeneous tails. Dev Change 42:87-153; "
        "Cobham A, Sumner A (2013). Is it all about the tails? CGD WP 343.",
    ),
    _entry(
        "HOOVER",
        "Hooverindex",
        "Hoover index",
        "H = ½ Σ p_i |y_i/μ − 1| = max over the Lorenz curve of (population share − value share)",
        "Den andel av det totala som skulle behöva flyttas mellan grupper för att alla ska ha lika "
        "mycket; 0 betyder jämlikhet.",
        "The share of the total that would have to be moved between groups for everyone to have "
        "the same; 0 means equality.",
        "Hoover EM (1936). The measurement of industrial localization. Rev Econ Stat 18:162-171.",
    ),
    _entry(
        "THEIL_T",
        "Theils T-index",
        "Theil T index",
        "T = GE(1) = Σ p_i (y_i/μ) ln(y_i/μ)  (= WHO's TI / 1000); decomposes exactly into between "
        "and within groups with value-share weights",
        "Ojämlikhet mätt som avvikelse från en jämn fördelning, mest känslig för skillnader i "
        "toppen. 0 betyder jämlikhet. Kan delas upp exakt i ojämlikhet mellan och inom grupper.",
        "Inequality as departure from an even spread, most sensitive at the top. 0 means equality. "
        "Splits exactly into inequality between and within groups.",
        "Theil H (1967). Economics and Information Theory; Shorrocks AF (1980). Econometrica 48:613-625.",
    ),
    _entry(
        "THEIL_L",
        "Theils L-index (medellogaritmisk avvikelse)",
        "Theil L index (mean log deviation)",
        "L = GE(0) = Σ p_i ln(μ/y_i)  (= WHO's MLD / 1000); decomposes exactly into between and "
        "within groups with population-share weights",
        "Ojämlikhet mätt som avvikelse från en jämn fördelning, mest känslig för skillnader i "
        "botten. 0 betyder jämlikhet. Kan delas upp exakt i ojämlikhet mellan och inom grupper.",
        "Inequality as departure from an even spread, most sensitive at the bottom. 0 means "
        "equality. Splits exactly into inequality between and within groups.",
        "Theil H (1967). Economics and Information Theory; Shorrocks AF (1980). Econometrica 48:613-625.",
        applies="any dimension, 2 or more subgroups, population for every subgroup, positive estimates",
    ),
]
