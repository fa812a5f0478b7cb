"""Placebo-based power: the effect size the design's own test detects in 80 % of placebo runs.

A normal-approximation MDE (2.8 × the spread of the placebo estimates) promises too much with
one treated unit: a 5 % permutation test over 39 units rejects only when the treated unit ranks
first, and placebo estimates have heavy tails. Instead each placebo case (every other unit, or
set of units, as if it had been treated) gets an effect δ added to its post-period outcomes, the
same test is run again with that case as the treated one, and the detection rate is the share
of cases in which it rejects at α. The detectable effect is the smallest |δ| whose rate reaches
80 % for +δ and for −δ alike (grid, then bisection).

The panel for the placebo runs is the observed one with the treated units' estimated effect
taken out of their post-period (a constant-effect counterfactual), so the runs have as many
units, and the same smallest possible p-value, as the real test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

POWER = 0.80
GRID = 241  # grid points over 0 … GRID_SPAN × scale, before bisection
GRID_SPAN = 30.0


@dataclass(frozen=True)
class PlaceboPower:
    """The detectable effect (None when no δ up to `searched` reaches the target rate), the
    number of placebo cases, and the largest |δ| tried."""

    detectable: float | None
    cases: int
    searched: float
    power: float = POWER


def smallest_detectable(
    rate: Callable[[float], float], scale: float, cases: int, power: float = POWER
) -> PlaceboPower:
    """Smallest δ ≥ 0 with min(rate(δ), rate(−δ)) ≥ power, to 1e-4 of `scale`."""
    top = GRID_SPAN * scale
    if scale <= 0 or not np.isfinite(scale):
        return PlaceboPower(None, cases, 0.0, power)

    def both(d: float) -> float:
        return min(rate(d), rate(-d))

    grid = np.linspace(0.0, top, GRID)
    hit = next((i for i, d in enumerate(grid) if both(d) >= power), None)
    if hit is None:
        return PlaceboPower(None, cases, float(top), power)
    if hit == 0:
        return PlaceboPower(0.0, cases, float(top), power)
    lo, hi = grid[hit - 1], grid[hit]
    while hi - lo > 1e-4 * scale:
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if both(mid) >= power else (mid, hi)
    return PlaceboPower(float(hi), cases, float(top), power)


def did_rate(
    beta0: np.ndarray, assign: np.ndarray, cases: np.ndarray, alpha: float
) -> Callable[[float], float]:
    """Detection rate of the DiD permutation test for an effect δ added to placebo sets.

    beta0: the estimate for every assignment (rows of `assign`) on the counterfactual panel;
    cases: the rows of `assign` used as placebo treated sets. Adding δ to the post-period of set
    S moves the estimate of assignment A by δ·g(A, S), g = (a − ā)·(s − s̄)/|a − ā|² (the
    estimate computed on S's own treatment indicator; g(S, S) = 1), so no refit is needed.
    """
    centred = assign - assign.mean(axis=1, keepdims=True)
    g = (centred[cases] @ centred.T) / (centred**2).sum(axis=1)[None, :]  # (cases, assignments)
    own = np.arange(cases.size)

    def rate(delta: float) -> float:
        stat = np.abs(beta0[None, :] + delta * g)
        observed = stat[own, cases]
        p = (stat >= observed[:, None] - 1e-12 * np.maximum(observed[:, None], 1.0)).mean(axis=1)
        return float(np.mean(p <= alpha))

    return rate


def synth_rate(
    post_gaps: np.ndarray, pre_rmspe: np.ndarray, others: list[np.ndarray], alpha: float
) -> Callable[[float], float]:
    """Detection rate of the synthetic-control placebo test for an effect δ added to case j.

    post_gaps[j], pre_rmspe[j]: case j's gaps against its synthetic control from all other units;
    others[j]: the post/pre RMSPE ratios of the other units, each fitted without j among its
    donors (as the real test never uses the treated unit as a donor), so δ moves only j's own
    ratio. p = (1 + #{others ≥ ratio_j}) / (units)."""
    n_units = others[0].size + 1  # the case itself and every other unit

    def rate(delta: float) -> float:
        hits = 0
        for j, ratios in enumerate(others):
            r = np.sqrt(np.mean((post_gaps[j] + delta) ** 2)) / max(pre_rmspe[j], 1e-12)
            p = (1 + np.sum(ratios >= r - 1e-12)) / n_units
            hits += p <= alpha
        return hits / len(others)

    return rate
