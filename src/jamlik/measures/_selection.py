"""Intervals for a gap between two subgroups that the data chose: the highest and the lowest.

In a non-ordered dimension without a reference subgroup, D and R compare the subgroup with the
highest estimate and the one with the lowest. The analytic interval √(se1² + se2²) treats that
pair as fixed; but the pair was picked because its gap came out largest, so the interval is too
narrow and sits too high when the true gaps are small next to the sampling error (coverage of
the true highest − lowest gap 0.71 when all subgroups are equal, ten subgroups).

The interval here holds whichever pair the data pick. Every pairwise difference gets a
simultaneous interval (y_i − y_j) ± c·√(se_i² + se_j²) with c the Tukey–Kramer critical value
q(1 − α; k, ∞)/√2 of the studentized range of k normal means with known variances; Hayter
(1984, Annals of Statistics 12:61–75) proved these intervals cover all pairwise differences at
once with probability at least 1 − α whatever the variances. When they do, the true range
θ = max μ − min μ lies in

    [max(0, max_ij (y_i − y_j − c s_ij)),  max_ij (y_i − y_j + c s_ij)],

because θ is one of the pairwise differences (upper limit) and at least each of them (lower
limit). So the coverage of θ is at least 1 − α; it is exactly 1 − α when all subgroups are
equal with equal standard errors (the lower limit is then 0 exactly when all pairs are within
c·s), and grows towards P(|Z| < c) when the gaps are clear. R uses the same construction on the
log scale (delta method for log y).
"""

from __future__ import annotations

from functools import cache

import numpy as np
from scipy import integrate, optimize, stats
from scipy.special import ndtr, ndtri

from jamlik.measures._batch import Batch, seg_sum

_MAX_CELLS = 4_000_000  # pairwise cells per chunk: bounds the memory of the k × k blocks


def range_cdf(q: float, k: int) -> float:
    """P(max − min of k independent standard normals ≤ q): the studentized range with
    infinite degrees of freedom, k ∫ φ(z) (Φ(z) − Φ(z − q))^(k − 1) dz (Simpson's rule on a
    fine grid; the integrand is smooth and negligible beyond ±9)."""
    if q <= 0:
        return 0.0
    z = np.linspace(-9.0, 9.0 + q, 6001)
    f = k * np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi) * (ndtr(z) - ndtr(z - q)) ** (k - 1)
    return float(integrate.simpson(f, x=z))


@cache
def tukey_critical(k: int, level: float) -> float:
    """c = q(level; k, ∞)/√2: the multiplier of √(se_i² + se_j²) for simultaneous intervals
    of all pairwise differences of k means (1.96 for k = 2 at 95 %)."""
    if k < 2:
        return float("nan")
    q = optimize.brentq(lambda x: range_cdf(x, k) - level, 1e-6, 40.0, xtol=1e-12)
    return float(q / np.sqrt(2.0))


def selection_applies(b: Batch) -> np.ndarray:
    """Series whose D and R compare a data-selected pair: non-ordered, no reference subgroup."""
    has_ref = seg_sum(b.ref.astype(np.int64), b) == 1
    return ~b.ordered & ~has_ref


PRETEST = 0.1  # share of α spent on finding the candidate extremes (Romano, Shaikh & Wolf 2014)


def range_limits(b: Batch, z: np.ndarray, log: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(applies, lower, upper): the selection-adjusted limits of max − min (log: of the ratio
    max/min) for the series where `selection_applies`; lower/upper are (levels, series)."""
    applies = selection_applies(b)
    levels = 1.0 - 2.0 * stats.norm.sf(z)
    lo = np.full((z.size, b.n_series), np.nan)
    hi = np.full((z.size, b.n_series), np.nan)
    if not applies.any():
        return applies, lo, hi
    with np.errstate(divide="ignore", invalid="ignore"):
        if log:
            y = np.where(b.y > 0, np.log(b.y), np.nan)
            v = (b.se / b.y) ** 2
        else:
            y, v = b.y, b.se**2
    counts = b.counts
    first = b.starts[:-1]
    for k in np.unique(counts[applies]):
        k = int(k)
        series = np.flatnonzero(applies & (counts == k))
        off = ~np.eye(k, dtype=bool)
        per_chunk = max(1, _MAX_CELLS // (k * k))
        for c0 in range(0, series.size, per_chunk):
            s = series[c0 : c0 + per_chunk]
            rows = first[s][:, None] + np.arange(k)
            yy, vv = y[rows], v[rows]
            diff = yy[:, :, None] - yy[:, None, :]  # diff[:, i, j] = y_i − y_j
            sd = np.sqrt(vv[:, :, None] + vv[:, None, :])
            bad = ~np.isfinite(yy).all(axis=1) | ~np.isfinite(vv).all(axis=1)
            for li, level in enumerate(levels):
                lower, upper = _limits(diff, sd, off, k, float(level))
                lower[bad] = upper[bad] = np.nan
                lo[li, s], hi[li, s] = lower, upper
    if log:
        lo, hi = np.exp(lo), np.exp(hi)
    return applies, lo, hi


def _limits(
    diff: np.ndarray, sd: np.ndarray, off: np.ndarray, k: int, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Two steps. First the subgroups that may truly be the highest (not significantly below any
    other, simultaneous Tukey–Kramer at level 1 − β, β = PRETEST·α) and those that may be the
    lowest. Then limits over the candidate pairs only, with the smaller of the Tukey–Kramer and
    the Bonferroni multiplier (over the candidate pairs) at level 1 − (α − β). With clear gaps a
    single pair remains and the interval is about the pair's own; with equal subgroups all pairs
    remain and it is the Tukey–Kramer interval. The pre-test makes coverage at least
    1 − β − (α − β) = 1 − α up to the Bonferroni step over a data-chosen set of pairs, which the
    simulation study (benchmarks/selected_pair_coverage.py) checks."""
    alpha = 1.0 - level
    if k == 2:  # one pair either way: the folded interval of |y1 − y2| ± z·s, no pre-test
        c = tukey_critical(2, level)
        return np.maximum((diff - c * sd)[:, off].max(axis=1), 0.0), (diff + c * sd)[:, off].max(
            axis=1
        )
    beta = PRETEST * alpha
    c_pre = tukey_critical(k, 1.0 - beta)
    with np.errstate(invalid="ignore"):
        below = (diff < -c_pre * sd) & off  # [:, i, j]: i significantly below j
    may_max = ~below.any(axis=2)  # (series, k)
    may_min = ~below.any(axis=1)  # j: nobody significantly below j
    pairs = may_max[:, :, None] & may_min[:, None, :] & off
    m = pairs.sum(axis=(1, 2))
    bonferroni = ndtri(1.0 - (alpha - beta) / (2.0 * np.maximum(m, 1)))
    c = np.minimum(bonferroni, tukey_critical(k, 1.0 - (alpha - beta)))[:, None, None]
    with np.errstate(invalid="ignore"):
        lower = np.where(pairs, diff - c * sd, -np.inf).max(axis=(1, 2))
        upper = np.where(pairs, diff + c * sd, -np.inf).max(axis=(1, 2))
    return np.maximum(lower, 0.0), upper
