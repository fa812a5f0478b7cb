"""Monte Carlo draws of the parameters, and the tornado of the ones that matter most.

Draws are reproducible: each parameter gets its own random stream, spawned from the seed by
numpy's SeedSequence, so changing one parameter's distribution leaves every other parameter's
draws unchanged (common random numbers when comparing scenarios).

The tornado is one-at-a-time: each uncertain parameter is set to its 10th and 90th percentile
while all others stay at their central values; bars are sorted by the swing in net present
value. Spearman rank correlations between each parameter's draws and the net present value are
given beside it, as a check that holds all parameters varying together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jamlik.invest.engine import evaluate
from jamlik.invest.plan import Plan

DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 2010  # the year Norrköping started Sweden's first social investment fund
TORNADO_QUANTILES = (0.10, 0.90)


def draw(plan: Plan, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> np.ndarray:
    """A (draws, K) matrix of parameter values, one column per parameter of the plan."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    streams = np.random.SeedSequence(seed).spawn(len(plan.params))
    x = np.empty((draws, len(plan.params)))
    for k, (p, stream) in enumerate(zip(plan.params, streams, strict=True)):
        x[:, k] = p.dist.sample(np.random.default_rng(stream), draws)
    return x


@dataclass(frozen=True)
class TornadoBar:
    """One parameter's effect on net present value (all perspectives: arrays of length P)."""

    index: int
    low_value: float
    high_value: float
    npv_low: np.ndarray
    npv_high: np.ndarray
    rank_correlation: np.ndarray | None


def tornado(
    plan: Plan,
    x: np.ndarray | None = None,
    npv: np.ndarray | None = None,
    quantiles: tuple[float, float] = TORNADO_QUANTILES,
) -> list[TornadoBar]:
    """One-at-a-time swings for every uncertain parameter (unsorted); with draws `x` (and their
    net present values `npv`, computed when not given), also each parameter's rank correlation
    with the net present value."""
    uncertain = [k for k, p in enumerate(plan.params) if p.uncertain]
    if not uncertain:
        return []
    central = plan.central()
    rows = np.repeat(central, 2 * len(uncertain), axis=0)
    lows, highs = [], []
    for j, k in enumerate(uncertain):
        lo, hi = (float(v) for v in plan.params[k].dist.quantile(np.array(quantiles)))
        rows[2 * j, k], rows[2 * j + 1, k] = lo, hi
        lows.append(lo)
        highs.append(hi)
    _, m = evaluate(plan, rows)
    corr = None
    if x is not None:
        corr = _rank_correlations(x[:, uncertain], evaluate(plan, x)[1].npv if npv is None else npv)
    return [
        TornadoBar(
            index=k,
            low_value=lows[j],
            high_value=highs[j],
            npv_low=m.npv[2 * j],
            npv_high=m.npv[2 * j + 1],
            rank_correlation=None if corr is None else corr[j],
        )
        for j, k in enumerate(uncertain)
    ]


def _ranks(a: np.ndarray) -> np.ndarray:
    """Ranks down each column (ties are broken by order: continuous draws have none)."""
    order = np.argsort(a, axis=0, kind="stable")
    ranks = np.empty_like(order, dtype=float)
    np.put_along_axis(ranks, order, np.arange(a.shape[0], dtype=float)[:, None], axis=0)
    return ranks


def _rank_correlations(params: np.ndarray, npv: np.ndarray) -> np.ndarray:
    """Spearman correlation of each parameter column with each perspective's NPV: (K, P)."""
    rp, rn = _ranks(params), _ranks(npv)
    rp -= rp.mean(axis=0)
    rn -= rn.mean(axis=0)
    denom = np.sqrt((rp**2).sum(axis=0))[:, None] * np.sqrt((rn**2).sum(axis=0))[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        return (rp.T @ rn) / denom
