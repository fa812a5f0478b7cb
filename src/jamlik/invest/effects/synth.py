"""Synthetic control for one treated unit, with placebo-in-space inference.

Weights (Abadie, Diamond & Hainmueller 2010): non-negative donor weights that sum to one and
minimise the squared distance between the treated unit's pre-period outcomes and the weighted
donors' (every pre-period outcome is a predictor, with equal importance). They are found with
scipy.optimize.nnls (Lawson–Hanson non-negative least squares) on the system augmented by one
heavily weighted equation Σw = 1; the remaining deviation (< 1e-8) is removed by rescaling.
A test checks the result against scipy's SLSQP with the constraints stated exactly.

Inference: every donor in turn is treated as if it had been treated, with the other donors as
its donors (the real treated unit is never a donor). The p-value is the share of units whose
ratio of post- to pre-period root mean squared prediction error (RMSPE) is at least the
treated unit's; with J donors the smallest possible p-value is 1/(J + 1). The estimate is the
mean post-period gap; the interval inverts the same test for a constant effect; the standard
error reported is the spread of the placebos' mean gaps, from which the minimum detectable
effect is computed (an approximation: the test itself uses RMSPE ratios).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import nnls

from jamlik.invest.effects import verdict as v
from jamlik.invest.effects.panel import balanced
from jamlik.invest.effects.result import EffectResult, SeriesPoint

MIN_PRE = 5
# Poor fit: the synthetic control lies systematically above or below the treated unit before
# the start (|mean pre-gap| > POOR_FIT standard errors of that mean), as when the treated unit
# is outside the donors' range. Noise alone (a small unit's) is not poor fit: the RMSPE ratios
# of the inference already allow for it.
POOR_FIT = 3.0
_PENALTY = 1e4


def simplex_weights(target: np.ndarray, donors: np.ndarray) -> np.ndarray:
    """argmin |target − donors·w|² subject to w ≥ 0, Σw = 1. donors: (periods, J)."""
    scale = float(np.abs(donors).mean()) or 1.0
    a = np.vstack([donors / scale, np.full(donors.shape[1], _PENALTY)])
    b = np.append(target / scale, _PENALTY)
    w, _ = nnls(a, b, maxiter=50 * donors.shape[1])
    total = w.sum()
    return w / total if total > 0 else np.full(donors.shape[1], 1 / donors.shape[1])


def _rmspe(gaps: np.ndarray) -> float:
    return float(np.sqrt(np.mean(gaps**2)))


def _fit(
    y: np.ndarray, target: int, donors: np.ndarray, n_pre: int
) -> tuple[np.ndarray, np.ndarray]:
    """Weights and gaps (all periods) of unit `target` against units `donors`."""
    w = simplex_weights(y[target, :n_pre], y[donors, :n_pre].T)
    return w, y[target] - w @ y[donors]


def synthetic_control(
    panel: pd.DataFrame,
    treated: str,
    start: float,
    *,
    alpha: float = 0.05,
    unit: tuple[str, str] = ("", ""),
) -> EffectResult:
    """Synthetic-control estimate of the effect on `treated` from time `start`."""
    m = balanced(panel)
    post = m.times >= start
    n_pre, n_post = int((~post).sum()), int(post.sum())
    rows = m.rows([treated])
    donors = np.array([i for i in range(len(m.units)) if i not in set(rows)], dtype=int)
    base = dict(
        design="synthetic_control", unit_sv=unit[0] or None, unit_en=unit[1] or None, alpha=alpha,
        n_units=len(m.units), n_pre=n_pre, n_post=n_post, treated=[treated],
        comparison=[m.units[i] for i in donors],
        method="synthetic control (non-negative weights summing to one, fitted on all pre-period "
        "outcomes), placebo-in-space inference on post/pre RMSPE ratios",
    )  # fmt: skip
    notes = m.notes()
    rule = _too_little(len(rows), len(donors), n_pre, n_post, alpha)
    if rule is not None:
        return EffectResult(inference="none", notes=notes, verdict=v.too_little_data(*rule), **base)

    t = rows[0]
    y = m.values
    w, gaps = _fit(y, t, donors, n_pre)
    ratios, effects = [], []
    for j in donors:
        _, g = _fit(y, j, donors[donors != j], n_pre)
        ratios.append(_rmspe(g[n_pre:]) / max(_rmspe(g[:n_pre]), 1e-12))
        effects.append(float(g[n_pre:].mean()))
    pre0 = _rmspe(gaps[:n_pre])
    ratio0 = _rmspe(gaps[n_pre:]) / max(pre0, 1e-12)
    placebo = np.array(ratios)
    p = float((1 + np.sum(placebo >= ratio0 - 1e-12)) / (len(donors) + 1))
    estimate = float(gaps[n_pre:].mean())
    se = float(np.std(effects, ddof=1))
    mde = v.mde_multiplier(alpha) * se
    ci = _inverted_interval(gaps[n_pre:], pre0, placebo, alpha, se)
    lo, hi = ci if ci is not None else (None, None)

    series = [
        SeriesPoint(period=per, time=float(tm), treated=float(y[t, k]), counterfactual=float(y[t, k] - gaps[k]), post=bool(post[k]))
        for k, (per, tm) in enumerate(zip(m.periods, m.times, strict=True))
    ]  # fmt: skip
    weights = {
        m.units[j]: round(float(wj), 4) for j, wj in zip(donors, w, strict=True) if wj > 5e-4
    }
    pre_gaps = gaps[:n_pre]
    bias = abs(pre_gaps.mean()) / max(pre_gaps.std(ddof=1) / np.sqrt(n_pre), 1e-12)
    if ci is None and p <= alpha:
        verdict = v.inconclusive(
            "skillnaderna efter start varierar för mycket för att stämma med någon jämn effekt",
            "the post-start gaps vary too much to agree with any constant effect",
        )
    elif bias > POOR_FIT:
        verdict = v.inconclusive(
            f"den syntetiska kontrollen ligger systematiskt över eller under insatsenheten före start "
            f"(medelavvikelse {v.number_sv(float(pre_gaps.mean()), 2)})",
            f"the synthetic control lies systematically above or below the treated unit before the start "
            f"(mean gap {pre_gaps.mean():.2f})",
        )  # fmt: skip
    else:
        verdict = v.decide(estimate, lo, hi, p, alpha, mde, unit)
    return EffectResult(
        inference="permutation", estimate=estimate, se=se, ci_lb=lo, ci_ub=hi, p_value=p, mde=mde,
        weights=weights, pre_rmspe=pre0, series=series, notes=notes, verdict=verdict, **base,
    )  # fmt: skip


def _inverted_interval(
    post_gaps: np.ndarray, pre0: float, placebo: np.ndarray, alpha: float, scale: float
) -> tuple[float, float] | None:
    """{τ: the placebo test of 'effect = τ' does not reject}. Shifting the treated unit's
    post-period outcomes by τ shifts its gaps by τ; the placebos do not involve it."""
    if scale <= 0:
        return None
    grid = post_gaps.mean() + np.linspace(-12, 12, 4801) * scale
    ratio = np.sqrt(((post_gaps[None, :] - grid[:, None]) ** 2).mean(axis=1)) / max(pre0, 1e-12)
    p = (1 + (placebo[None, :] >= ratio[:, None] - 1e-12).sum(axis=1)) / (len(placebo) + 1)
    kept = grid[p > alpha]
    if kept.size == 0 or kept[0] == grid[0] or kept[-1] == grid[-1]:
        return None
    return float(kept[0]), float(kept[-1])


def _too_little(
    n_t: int, n_donors: int, n_pre: int, n_post: int, alpha: float
) -> tuple[str, str] | None:
    if n_t != 1:
        return (
            "insatsenheten saknar värden för några perioder",
            "the treated unit lacks values for some periods",
        )
    if n_pre < MIN_PRE or n_post < 1:
        return (
            f"det behövs minst {MIN_PRE} perioder före start och 1 efter (nu {n_pre} före, {n_post} efter)",
            f"needs at least {MIN_PRE} periods before the start and 1 after ({n_pre} before, {n_post} after)",
        )
    if 1 / (n_donors + 1) > alpha:
        need = int(np.ceil(1 / alpha)) - 1
        return (
            f"med {n_donors} givarenheter är det minsta möjliga p-värdet 1/{n_donors + 1}; det behövs minst {need}",
            f"with {n_donors} donor units the smallest possible p-value is 1/{n_donors + 1}; at least {need} are needed",
        )
    return None
