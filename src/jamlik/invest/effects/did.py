"""Difference-in-differences against comparison units, with a pre-trend check.

Model (two-way fixed effects, one common start): y_it = α_i + λ_t + β·D_it + ε_it, with
D_it = 1 for treated units from `start` on, estimated by OLS with unit and period dummies.

Inference depends on the number of clusters:
- many clusters (≥ 30 units, ≥ 10 treated and ≥ 10 comparison): statsmodels OLS with
  cluster-robust (CR1) standard errors by unit and a t distribution on G − 1 degrees of freedom;
- otherwise, permutation (randomisation) inference: the treatment is reassigned to every
  possible set of units of the same size (or 4,999 random sets when there are more), β is
  re-estimated for each, and p is the share with |β| at least as large as the observed one.
  Cluster-robust errors and the wild cluster bootstrap both fail with one or a few treated
  units (MacKinnon & Webb 2017); placebo-in-space permutation stays exact when units are
  exchangeable. The confidence interval inverts the same test (constant-effect shift); the
  standard error reported is the spread of the placebo estimates.

For a balanced panel, β for any treated set a equals (a − ā)ᵀ Ỹ (post − p̄) / (|a − ā|² |post −
p̄|²) with Ỹ the double-demeaned outcomes, so all placebo estimates come from one product.
The pre-trend check estimates a differential linear trend of the treated units before
`start` with the same inference.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from jamlik.invest.effects import verdict as v
from jamlik.invest.effects.panel import Matrix, balanced
from jamlik.invest.effects.power import PlaceboPower, did_rate, smallest_detectable
from jamlik.invest.effects.result import EffectResult, SeriesPoint

MAX_ASSIGNMENTS = 5_000
MIN_PRE = 2
MIN_PRE_TREND = 3
CLUSTER_RULE = (30, 10)  # units, and treated and comparison units each, for cluster inference


def _demean(y: np.ndarray) -> np.ndarray:
    return y - y.mean(axis=1, keepdims=True) - y.mean(axis=0, keepdims=True) + y.mean()


def rank_one_coefficients(y: np.ndarray, assignments: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Two-way fixed-effects coefficient of the regressor a·sᵀ for each row a of `assignments`
    (balanced panel y: units × periods). With s = post it is the DiD estimate."""
    a_bar = assignments.mean(axis=1, keepdims=True)
    centred = assignments - a_bar
    sc = s - s.mean()
    z = _demean(y) @ sc
    return (centred @ z) / ((centred**2).sum(axis=1) * (sc @ sc))


def _assignments(n_units: int, treated: np.ndarray, seed: int) -> tuple[np.ndarray, bool]:
    """Treatment sets of the same size as the observed one: the observed first, then all
    others (exact) or a random sample of them."""
    k = len(treated)
    observed = np.zeros(n_units)
    observed[treated] = 1
    total = math.comb(n_units, k)
    if total <= MAX_ASSIGNMENTS:
        rows = [observed]
        for combo in itertools.combinations(range(n_units), k):
            a = np.zeros(n_units)
            a[list(combo)] = 1
            if not np.array_equal(a, observed):
                rows.append(a)
        return np.array(rows), True
    rng = np.random.default_rng(seed)
    rows = [observed]
    for _ in range(MAX_ASSIGNMENTS - 1):
        a = np.zeros(n_units)
        a[rng.choice(n_units, k, replace=False)] = 1
        rows.append(a)
    return np.array(rows), False


def _permutation_p(stats_: np.ndarray) -> float:
    """Share of assignments whose |statistic| is at least the observed (row 0) one."""
    observed = abs(stats_[0])
    return float(np.mean(np.abs(stats_) >= observed - 1e-12 * max(observed, 1.0)))


def _inverted_interval(
    beta: np.ndarray, g: np.ndarray, alpha: float, scale: float
) -> tuple[float, float] | None:
    """{τ: the permutation test of 'effect = τ' does not reject}, as its hull on a fine grid.

    Shifting the treated outcomes by τ changes each assignment's estimate by τ·g (g = the
    estimate computed on the treatment indicator itself; g[0] = 1)."""
    if scale <= 0:
        return None
    grid = beta[0] + np.linspace(-12, 12, 4801) * scale
    stat = np.abs(beta[None, :] - grid[:, None] * g[None, :])
    p = (stat >= stat[:, :1] - 1e-12).mean(axis=1)
    kept = grid[p > alpha]
    if kept.size == 0 or kept[0] == grid[0] or kept[-1] == grid[-1]:
        return None
    return float(kept[0]), float(kept[-1])


@dataclass(frozen=True)
class ClusterFit:
    """Coefficient, CR1 standard error, p-value and interval of one two-way FE regressor."""

    beta: float
    se: float
    p: float
    ci: tuple[float, float]


def cluster_fit(y: np.ndarray, regressor: np.ndarray, alpha: float) -> ClusterFit:
    """OLS of y on `regressor` with unit and period fixed effects, CR1 errors clustered by unit.

    For a balanced panel the fixed effects are absorbed by two-way demeaning (Frisch–Waugh–
    Lovell: same coefficient and residuals as the regression with dummies), and statsmodels
    fits the demeaned data with cluster-robust errors. Its small-sample factor
    G/(G − 1)·(n − 1)/(n − K) then counts K = 1 regressor; the absorbed effects make K = units +
    periods, so the variance is scaled by (n − 1)/(n − K). Inference uses t on G − 1 degrees of
    freedom. A test checks all of this against statsmodels with the dummies written out.
    """
    n_units, n_t = y.shape
    groups = np.repeat(np.arange(n_units), n_t)
    fit = sm.OLS(_demean(y).ravel(), _demean(regressor).ravel()[:, None]).fit(
        cov_type="cluster", cov_kwds={"groups": groups}
    )
    n, k = n_units * n_t, n_units + n_t
    beta = float(fit.params[0])
    se = float(fit.bse[0]) * float(np.sqrt((n - 1) / (n - k)))
    df = n_units - 1
    half = float(stats.t.ppf(1 - alpha / 2, df)) * se
    p = float(2 * stats.t.sf(abs(beta / se), df)) if se > 0 else 1.0
    return ClusterFit(beta, se, p, (beta - half, beta + half))


def did(
    panel: pd.DataFrame,
    treated: list[str],
    start: float,
    *,
    alpha: float = 0.05,
    inference: str = "auto",
    unit: tuple[str, str] = ("", ""),
    seed: int = 0,
    power: bool = True,
) -> EffectResult:
    """Difference-in-differences estimate of the effect on `treated` units from time `start`.

    power=False skips the placebo runs that find the detectable effect (for simulations that
    only need the estimate and the test)."""
    m = balanced(panel)
    rows = m.rows(treated)
    post = (m.times >= start).astype(float)
    n_pre, n_post = int((post == 0).sum()), int(post.sum())
    n_units, n_t = len(m.units), len(rows)
    base = dict(
        design="did", unit_sv=unit[0] or None, unit_en=unit[1] or None, alpha=alpha, n_units=n_units, n_pre=n_pre,
        n_post=n_post, treated=[m.units[i] for i in rows],
        comparison=[u for i, u in enumerate(m.units) if i not in set(rows)], notes=m.notes(),
    )  # fmt: skip
    rule = _too_little(n_t, n_units - n_t, n_pre, n_post)
    if rule is not None:
        return EffectResult(
            method="difference-in-differences",
            inference="none",
            verdict=v.too_little_data(*rule),
            **base,
        )

    if inference == "auto":
        many, each = CLUSTER_RULE
        inference = (
            "cluster" if n_units >= many and min(n_t, n_units - n_t) >= each else "permutation"
        )
    a_obs = np.zeros(n_units)
    a_obs[rows] = 1
    series = _series(m, rows, post)
    pre = slice(0, n_pre)
    trend = np.outer(a_obs, m.times - m.times[:n_pre].mean())

    placebo = None
    if inference == "cluster":
        fit = cluster_fit(m.values, np.outer(a_obs, post), alpha)
        beta_ols, se, p, (lo, hi) = fit.beta, fit.se, fit.p, fit.ci
        mde = v.mde_multiplier(alpha, df=n_units - 1) * se
        pretrend_p = None
        if n_pre >= MIN_PRE_TREND:
            pretrend_p = cluster_fit(m.values[:, pre], trend[:, pre], alpha).p
        method = "difference-in-differences (two-way fixed effects), cluster-robust CR1 standard errors by unit, t on G − 1 df"
    else:
        assign, exact = _assignments(n_units, rows, seed)
        if 1 / len(assign) > alpha:
            rule_sv = (
                f"med {n_units} enheter finns bara {len(assign)} sätt att fördela insatsen, så det minsta "
                f"möjliga p-värdet är 1/{len(assign)} > {v.number_sv(alpha, 2)}; det behövs fler jämförelseenheter"
            )
            rule_en = (f"with {n_units} units there are only {len(assign)} ways to assign the treatment, so the smallest "
                       f"possible p-value is 1/{len(assign)} > {alpha:g}; more comparison units are needed")  # fmt: skip
            estimate = float(rank_one_coefficients(m.values, assign[:1], post)[0])
            return EffectResult(method="difference-in-differences", inference="permutation", estimate=estimate,
                                series=series, verdict=v.too_little_data(rule_sv, rule_en), **base)  # fmt: skip
        beta = rank_one_coefficients(m.values, assign, post)
        beta_ols = float(beta[0])  # equals the OLS estimate with unit and period dummies
        p = _permutation_p(beta)
        se = float(np.std(beta[1:], ddof=1))
        g = (
            (assign - assign.mean(axis=1, keepdims=True))
            @ (a_obs - a_obs.mean())
            / ((a_obs - a_obs.mean()) ** 2).sum()
        )
        ci = _inverted_interval(beta, g, alpha, se)
        lo, hi = ci if ci is not None else (None, None)
        if power:
            placebo = placebo_power(m.values, rows, post, beta_ols, assign, alpha, se)
        mde = placebo.detectable if placebo is not None else None
        pretrend_p = None
        if n_pre >= MIN_PRE_TREND:
            pretrend_p = _permutation_p(
                rank_one_coefficients(m.values[:, pre], assign, m.times[:n_pre])
            )
        kind = "all" if exact else f"{len(assign)} random"
        method = (f"difference-in-differences (two-way fixed effects), permutation inference over {kind} "
                  "placebo assignments of the treatment to units")  # fmt: skip

    notes = list(base.pop("notes"))
    if pretrend_p is None:
        notes.append(
            f"Förtrender kunde inte prövas (färre än {MIN_PRE_TREND} perioder före start) / "
            f"pre-trends could not be checked (fewer than {MIN_PRE_TREND} periods before the start)"
        )
    if pretrend_p is not None and pretrend_p <= alpha:
        verdict = v.inconclusive(
            f"trenderna före start skiljer sig mellan insats- och jämförelseenheter (p = {v.number_sv(pretrend_p, 3)})",
            f"pre-start trends differ between treated and comparison units (p = {pretrend_p:.3f})",
        )
    else:
        verdict = v.decide(beta_ols, lo, hi, p, alpha, mde, unit, placebo)
    return EffectResult(
        method=method, inference=inference, estimate=beta_ols, se=se, ci_lb=lo, ci_ub=hi, p_value=p,
        mde=mde, pretrend_p=pretrend_p, series=series, notes=notes, verdict=verdict, **base,
    )  # fmt: skip


MAX_PLACEBO_CASES = 500


def placebo_power(
    y: np.ndarray,
    rows: np.ndarray,
    post: np.ndarray,
    beta: float,
    assign: np.ndarray,
    alpha: float,
    scale: float,
) -> PlaceboPower:
    """The effect the permutation test detects in 80 % of placebo runs (see power.py): the
    treated units' estimated effect is taken out of their post-period, then every other
    assignment (up to MAX_PLACEBO_CASES) in turn gets an effect δ and the same test is run."""
    counterfactual = y.copy()
    counterfactual[np.ix_(rows, post == 1)] -= beta
    beta0 = rank_one_coefficients(counterfactual, assign, post)
    cases = np.arange(1, min(len(assign), MAX_PLACEBO_CASES + 1))
    rate = did_rate(beta0, assign, cases, alpha)
    return smallest_detectable(rate, scale, cases.size)


def _too_little(n_t: int, n_c: int, n_pre: int, n_post: int) -> tuple[str, str] | None:
    if n_t < 1:
        return (
            "ingen insatsenhet har värden för alla perioder",
            "no treated unit has values for every period",
        )
    if n_c < 1:
        return (
            "ingen jämförelseenhet har värden för alla perioder",
            "no comparison unit has values for every period",
        )
    if n_pre < MIN_PRE or n_post < 1:
        return (
            f"det behövs minst {MIN_PRE} perioder före start och 1 efter (nu {n_pre} före, {n_post} efter)",
            f"needs at least {MIN_PRE} periods before the start and 1 after ({n_pre} before, {n_post} after)",
        )
    return None


def _series(m: Matrix, rows: np.ndarray, post: np.ndarray) -> list[SeriesPoint]:
    """Treated mean and the DiD counterfactual: comparison mean shifted to the treated pre-level."""
    mask = np.zeros(len(m.units), bool)
    mask[rows] = True
    treated = m.values[mask].mean(axis=0)
    comparison = m.values[~mask].mean(axis=0)
    pre = post == 0
    shift = treated[pre].mean() - comparison[pre].mean()
    return [
        SeriesPoint(
            period=p, time=float(t), treated=float(a), counterfactual=float(b + shift), post=bool(q)
        )
        for p, t, a, b, q in zip(m.periods, m.times, treated, comparison, post, strict=True)
    ]
