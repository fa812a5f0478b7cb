"""How each measure gets its confidence interval.

A family module may list `INTERVALS: dict[str, Analytic | Simulation]`; a measure without an
entry is simulated. Both kinds treat populations as fixed and the subgroup estimates as
independent, normally distributed around the truth with standard deviation `se`.

- `Analytic`: a standard error on a working scale (the measure itself, its logarithm, or its
  square), from an exact variance or the delta method; the interval is formed on that scale and
  carried back, so ratio intervals are asymmetric and never cross zero.
- `Simulation`: every subgroup estimate is redrawn `draws` times from Normal(y, se); the measure
  is recomputed on all draws of all series at once. The interval is the estimate ± z × the
  standard deviation of the draws, widened on one side by the bias the draws reveal: distance
  measures (MD*, IDIS*, COV) come out too large when the true gaps are small next to the
  sampling error, and the draws, centred on the estimate, are larger still by about as much; so
  the lower limit moves down by mean(draws) - estimate when that is positive (the upper limit
  up when it is negative). The estimate always stays inside its own interval, which WHO's
  percentile limits from 100 truncated draws often fail to do (see docs/measures.md for the
  coverage of both).

Draws are reproducible per series: draw d of subgroup k in a series is a fixed function of
(seed, the series' key, k, d), so a series gets the same interval whatever else is in the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
from scipy.special import ndtri

from jamlik.measures._batch import Batch, seg_sum


@dataclass(frozen=True)
class Link:
    """The working scale of an analytic interval: the interval is symmetric on that scale."""

    to_work: Callable[[np.ndarray], np.ndarray]
    from_work: Callable[[np.ndarray], np.ndarray]
    slope: Callable[
        [np.ndarray], np.ndarray
    ]  # d(work)/d(estimate), to report se on the estimate's scale


IDENTITY = Link(lambda x: x, lambda w: w, lambda x: np.ones_like(x))
LOG = Link(np.log, np.exp, lambda x: 1.0 / x)
# BGSD = sqrt(BGV): the interval of BGV, carried back through the square root.
SQUARE = Link(np.square, lambda w: np.sqrt(np.clip(w, 0.0, None)), lambda x: 2.0 * x)
# PAF = 100 (q - 1) with q = y_ref / mu: log q is the natural scale of a ratio.
PERCENT_CHANGE_LOG = Link(
    lambda x: np.log1p(x / 100.0), lambda w: 100.0 * np.expm1(w), lambda x: 1.0 / (100.0 + x)
)


@dataclass(frozen=True)
class Analytic:
    """`se(batch)` gives one standard error per series on the working scale of `link`.

    `center(batch)`, when given, is the value the interval is built around when it differs from
    the reported estimate (PAR and PAF are reported as 0 when the reference subgroup does worse
    than the mean, but their interval comes from the unclipped value); `bounds(batch)` gives
    per-series (lower, upper) limits the interval is clipped to afterwards."""

    se: Callable[[Batch], np.ndarray]
    link: Link = IDENTITY
    center: Callable[[Batch], np.ndarray] | None = None
    bounds: Callable[[Batch], tuple[np.ndarray, np.ndarray]] | None = None
    method: str = "analytic (delta method)"
    # `limits(batch, z)` -> (applies, lower, upper): other limits for some series, used where
    # `applies` (D and R of a data-selected pair: see _selection.py)
    limits: Callable[[Batch, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None


@dataclass(frozen=True)
class Simulation:
    """Parametric simulation; `lower`/`upper` clip the limits to the measure's range."""

    lower: float | None = None
    upper: float | None = None
    method: str = "parametric simulation"


def se_from_gradient(grad: np.ndarray, b: Batch) -> np.ndarray:
    """sqrt(Σ (∂m/∂y_i)² se_i²): the delta method for independent subgroup estimates.

    A subgroup the measure does not depend on (gradient exactly 0) needs no standard error.
    """
    with np.errstate(invalid="ignore"):
        terms = np.where(grad == 0.0, 0.0, grad * grad * b.se * b.se)
    return np.sqrt(seg_sum(terms, b))


def z_values(levels: np.ndarray) -> np.ndarray:
    """Two-sided normal quantiles, e.g. 1.959964 for 0.95."""
    return ndtri(1.0 - (1.0 - levels) / 2.0)


def analytic_limits(
    spec: Analytic, b: Batch, est: np.ndarray, z: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(se on the estimate's scale, lower, upper); lower/upper have shape (levels, series)."""
    s = spec.se(b)
    center = est if spec.center is None else spec.center(b)
    zz = z[:, None]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        work = spec.link.to_work(center)
        lo = spec.link.from_work(work - zz * s)
        hi = spec.link.from_work(work + zz * s)
        se_est = s / np.abs(spec.link.slope(center))
    if spec.bounds is not None:
        lower, upper = spec.bounds(b)
        lo, hi = np.clip(lo, lower, upper), np.clip(hi, lower, upper)
    if spec.limits is not None:
        applies, lo_other, hi_other = spec.limits(b, z)
        lo = np.where(applies, lo_other, lo)
        hi = np.where(applies, hi_other, hi)
    return se_est, lo, hi


# --- simulation -----------------------------------------------------------------------------

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_DRAW = np.uint64(0xD1B54A32D192ED03)
_ROW = np.uint64(0xCA5A826395121157)


def _splitmix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: turns consecutive integers into independent-looking 64 bits."""
    x = x + _GOLDEN
    x = (x ^ (x >> np.uint64(30))) * _MIX1
    x = (x ^ (x >> np.uint64(27))) * _MIX2
    return x ^ (x >> np.uint64(31))


def standard_normal_draws(
    keys: np.ndarray, position: np.ndarray, draws: int, seed: int
) -> np.ndarray:
    """(draws, rows) standard normals; row i's draws depend only on (seed, keys[i], position[i])."""
    base = _splitmix(keys.astype(np.uint64) ^ _splitmix(np.array([seed], dtype=np.uint64)))
    base = base + position.astype(np.uint64) * _ROW
    d = np.arange(draws, dtype=np.uint64)[:, None] * _DRAW
    bits = _splitmix(base[None, :] + d)
    u = ((bits >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53
    return ndtri(u)


class Draws(NamedTuple):
    """Per series: mean and standard deviation of a measure over the draws, and the share of
    draws where it is finite."""

    mean: np.ndarray
    sd: np.ndarray
    finite: np.ndarray


def simulate(
    measures: dict[str, Callable[[Batch], np.ndarray]],
    b: Batch,
    keys: np.ndarray,
    draws: int,
    seed: int,
    max_cells: int = 4_000_000,
) -> dict[str, Draws]:
    """Each measure over `draws` redraws of every series of `b`, all measures on the same draws.

    Draws of one chunk of series are laid end to end as extra series, so any measure function
    runs on them unchanged, and measures sharing a quantity (the mean, the shares) compute it
    once per chunk; chunks keep memory near `max_cells` values per array.
    """
    counts = b.counts
    out = {
        code: Draws(np.full(b.n_series, np.nan), np.full(b.n_series, np.nan), np.zeros(b.n_series))
        for code in measures
    }
    position = np.arange(b.y.size) - np.repeat(b.starts[:-1], counts)
    per_chunk = max(1, int(max_cells // max(1, draws * max(1, counts.max(initial=1)))))
    for first in range(0, b.n_series, per_chunk):
        last = min(first + per_chunk, b.n_series)
        r0, r1 = b.starts[first], b.starts[last]
        z = standard_normal_draws(keys[b.sid[r0:r1]], position[r0:r1], draws, seed)
        stacked = _stack(b, first, last, draws).with_estimates(
            (b.y[r0:r1] + b.se[r0:r1] * z).ravel()
        )
        for code, measure in measures.items():
            with np.errstate(all="ignore"):
                values = measure(stacked).reshape(draws, last - first)
                ok = np.isfinite(values)
                n_ok = ok.sum(axis=0)
                m = np.where(ok, values, 0.0).sum(axis=0) / n_ok
                var = np.where(ok, (values - m) ** 2, 0.0).sum(axis=0) / (n_ok - 1)
            out[code].mean[first:last] = m
            out[code].sd[first:last] = np.sqrt(var)
            out[code].finite[first:last] = ok.mean(axis=0)
    return out


def _stack(b: Batch, first: int, last: int, draws: int) -> Batch:
    """Series first..last-1 repeated `draws` times, draw by draw."""
    r0, r1 = b.starts[first], b.starts[last]
    counts = b.counts[first:last]
    starts = np.concatenate(([0], np.cumsum(np.tile(counts, draws)))).astype(np.int64)

    def rows(a: np.ndarray) -> np.ndarray:
        return np.tile(a[r0:r1], draws)

    def series(a: np.ndarray) -> np.ndarray:
        return np.tile(a[first:last], draws)

    return replace(
        b,
        y=rows(b.y),
        se=rows(b.se),
        w=rows(b.w),
        order=rows(b.order),
        ref=rows(b.ref),
        starts=starts,
        favourable=series(b.favourable),
        ordered=series(b.ordered),
        scale=series(b.scale),
        setting_average=series(b.setting_average),
        lmin=series(b.lmin),
        lmax=series(b.lmax),
    )


def simulation_limits(
    spec: Simulation, est: np.ndarray, mean: np.ndarray, sd: np.ndarray, z: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """estimate ± z·sd, the side the estimate is biased away from moved out by the bias."""
    zz = z[:, None]
    bias = mean - est
    lo = est - zz * sd - np.maximum(bias, 0.0)
    hi = est + zz * sd + np.maximum(-bias, 0.0)
    if spec.lower is not None or spec.upper is not None:
        lo = np.clip(lo, spec.lower, spec.upper)
        hi = np.clip(hi, spec.lower, spec.upper)
    return lo, hi
