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
from scipy import optimize
from scipy.optimize import nnls

from jamlik.errors import JamlikError
from jamlik.invest.effects import verdict as v
from jamlik.invest.effects.panel import balanced
from jamlik.invest.effects.power import PlaceboPower, smallest_detectable, synth_rate
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
    y: np.ndarray,
    target: int,
    donors: np.ndarray,
    n_pre: int,
    x: np.ndarray | None = None,
    importance: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Weights and gaps (all periods) of unit `target` against units `donors`: on all
    pre-period outcomes, or, given predictors x (k × units), V-weighted predictor matching
    (`v` fixed, or chosen by `predictor_importance`)."""
    if x is None:
        w = simplex_weights(y[target, :n_pre], y[donors, :n_pre].T)
    else:
        if importance is None:
            importance = predictor_importance(
                x[:, target], x[:, donors], y[target, :n_pre], y[donors, :n_pre]
            )
        w = _v_weights(x[:, target], x[:, donors], importance)
    return w, y[target] - w @ y[donors]


def _v_weights(x1: np.ndarray, x0: np.ndarray, v: np.ndarray) -> np.ndarray:
    """argmin (x1 − X0 w)ᵀ diag(v) (x1 − X0 w) over the simplex."""
    root = np.sqrt(v)[:, None]
    return simplex_weights(root[:, 0] * x1, root * x0)


def predictor_importance(
    x1: np.ndarray, x0: np.ndarray, y1_pre: np.ndarray, y0_pre: np.ndarray
) -> np.ndarray:
    """The data-driven V of Abadie, Diamond & Hainmueller (2010): the diagonal predictor
    importances (summing to 1) whose weights W(V) best reproduce the treated unit's pre-period
    outcomes (nested optimisation; Nelder–Mead over softmax-parametrised V, started from equal
    importance and from each predictor's inverse variance, the better kept)."""
    k = x1.size
    if k == 1:
        return np.ones(1)

    def v_of(theta: np.ndarray) -> np.ndarray:
        e = np.exp(theta - theta.max())
        return e / e.sum()

    def loss(theta: np.ndarray) -> float:
        w = _v_weights(x1, x0, v_of(theta))
        return float(np.mean((y1_pre - w @ y0_pre) ** 2))

    best = None
    for start in (np.zeros(k),):
        res = optimize.minimize(
            loss, start, method="Nelder-Mead",
            options={"maxiter": 80 * k, "xatol": 1e-3, "fatol": 1e-8 * max(loss(start), 1e-12)},
        )  # fmt: skip
        if best is None or res.fun < best.fun:
            best = res
    assert best is not None  # the loop above runs at least once
    return v_of(best.x)


def predictor_matrix(
    m_units: list[str],
    y: np.ndarray,
    periods: list[str],
    n_pre: int,
    covariates: pd.DataFrame | None,
    predictor_periods: list[str] | None,
) -> tuple[np.ndarray, list[str]]:
    """Predictors (k × units), each standardised by its spread across units (as Synth does):
    the covariates (one value per unit and name: e.g. pre-period averages) and the outcome in
    each of `predictor_periods`."""
    rows, names = [], []
    if covariates is not None:
        missing = {"unit", "name", "value"} - set(covariates.columns)
        if missing:
            raise JamlikError(f"covariates lack columns {sorted(missing)}")
        wide = covariates.pivot_table(index="name", columns="unit", values="value", aggfunc="mean")
        for name, row in wide.iterrows():
            values = row.reindex(m_units).to_numpy(dtype=float)
            if np.isnan(values).any():
                lacking = [u for u, x in zip(m_units, values, strict=True) if np.isnan(x)]
                raise JamlikError(
                    f"kovariaten {name} saknar värde för / covariate {name} has no value for: "
                    f"{', '.join(lacking)}"
                )
            rows.append(values)
            names.append(str(name))
    for per in predictor_periods or []:
        if per not in periods[:n_pre]:
            raise JamlikError(
                f"prediktorperioden {per} ligger inte före start / predictor period {per} is not a "
                f"period before the start (known: {', '.join(periods[:n_pre])})"
            )
        rows.append(y[:, periods.index(per)])
        names.append(f"outcome {per}")
    x = np.array(rows)
    spread = x.std(axis=1, ddof=1, keepdims=True)
    return x / np.where(spread > 0, spread, 1.0), names


def synthetic_control(
    panel: pd.DataFrame,
    treated: str,
    start: float,
    *,
    alpha: float = 0.05,
    unit: tuple[str, str] = ("", ""),
    power: bool = True,
    covariates: pd.DataFrame | None = None,
    predictor_periods: list[str] | None = None,
) -> EffectResult:
    """Synthetic-control estimate of the effect on `treated` from time `start`.

    Without `covariates` and `predictor_periods` the weights match every pre-period outcome
    with equal importance. With them (covariates: columns unit, name, value, e.g. pre-period
    averages; predictor_periods: outcome periods before the start) the weights match those
    predictors with the data-driven importance V of Abadie, Diamond & Hainmueller (2010), and
    every placebo unit gets its own V the same way. power=False skips the placebo runs that
    find the detectable effect."""
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
    x = None
    if covariates is not None or predictor_periods:
        x, names = predictor_matrix(m.units, y, m.periods, n_pre, covariates, predictor_periods)
        base["method"] = (
            "synthetic control with predictors (" + ", ".join(names) + "; importance V chosen to "
            "fit the pre-period outcomes, Abadie, Diamond & Hainmueller 2010), placebo-in-space "
            "inference on post/pre RMSPE ratios"
        )
    w, gaps = _fit(y, t, donors, n_pre, x)
    ratios, effects = [], []
    for j in donors:
        _, g = _fit(y, j, donors[donors != j], n_pre, x)
        ratios.append(_rmspe(g[n_pre:]) / max(_rmspe(g[:n_pre]), 1e-12))
        effects.append(float(g[n_pre:].mean()))
    pre0 = _rmspe(gaps[:n_pre])
    ratio0 = _rmspe(gaps[n_pre:]) / max(pre0, 1e-12)
    placebo = np.array(ratios)
    p = float((1 + np.sum(placebo >= ratio0 - 1e-12)) / (len(donors) + 1))
    estimate = float(gaps[n_pre:].mean())
    se = float(np.std(effects, ddof=1))
    placebo_runs = placebo_power(y, t, donors, n_pre, estimate, alpha, se, x) if power else None
    mde = placebo_runs.detectable if placebo_runs is not None else None
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
        verdict = v.decide(estimate, lo, hi, p, alpha, mde, unit, placebo_runs)
    return EffectResult(
        inference="permutation", estimate=estimate, se=se, ci_lb=lo, ci_ub=hi, p_value=p, mde=mde,
        weights=weights, pre_rmspe=pre0, series=series, notes=notes, verdict=verdict, **base,
    )  # fmt: skip


def placebo_power(
    y: np.ndarray,
    t: int,
    donors: np.ndarray,
    n_pre: int,
    estimate: float,
    alpha: float,
    scale: float,
    x: np.ndarray | None = None,
) -> PlaceboPower:
    """The effect the placebo test detects in 80 % of placebo runs (see power.py).

    The treated unit's estimated effect is taken out of its post-period and it joins the pool.
    Each donor j in turn is the treated unit: its gaps come from all other units; every other
    unit's RMSPE ratio from a fit without j (the real test never uses the treated unit as a
    donor). Weights depend on the pre-period only, so adding δ to j's post-period moves only
    j's own gaps, by δ."""
    y = y.copy()
    y[t, n_pre:] -= estimate
    units = np.append(donors, t)
    # Each unit's fit on all others; without j it changes only when j has weight in it (the
    # optimum over the smaller pool is then the same point), so few refits are needed.
    full = {}
    for i in units:
        rest = units[units != i]
        vi = None
        if x is not None:  # each unit's importance V once; refits below keep it
            vi = predictor_importance(x[:, i], x[:, rest], y[i, :n_pre], y[rest, :n_pre])
        w, g = _fit(y, i, rest, n_pre, x, vi)
        full[i] = (dict(zip(rest.tolist(), w, strict=True)), g, vi)

    def ratio(g: np.ndarray) -> float:
        return _rmspe(g[n_pre:]) / max(_rmspe(g[:n_pre]), 1e-12)

    post_gaps, pre_rmspe, others = [], [], []
    for j in donors:
        g = full[j][1]
        post_gaps.append(g[n_pre:])
        pre_rmspe.append(_rmspe(g[:n_pre]))
        ratios = []
        for i in units[units != j]:
            weights, gi, vi = full[i]
            if weights[j] > 1e-10:
                _, gi = _fit(y, i, units[(units != i) & (units != j)], n_pre, x, vi)
            ratios.append(ratio(gi))
        others.append(np.array(ratios))
    rate = synth_rate(np.array(post_gaps), np.array(pre_rmspe), others, alpha)
    return smallest_detectable(rate, scale, len(donors))


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
