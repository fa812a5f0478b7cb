"""The vectorised cost–benefit model: parameter rows in, cash flows and summary figures out.

For parameter row x (one Monte Carlo draw, or the central values), year t and perspective p:

    cost_p(t)    = Σ_lines amount × (1 + optimism_bias)        over cost lines paid by p in t
    benefit_o(t) = Q × link × V × F / S × (1 − dw)(1 − attr)(1 − disp)
                   × Σ_years-of-occurrence (1 − drop_off)^k    (k = years into the flow, < duration)
    benefit_p(t) = Σ_o benefit_o(t) × share_p(o)               (society: × (1 − transfer share))

with Q the quantity per occurrence year, V the unit value, F its re-pricing factor (KPI), S its
spread over years. Then NPV_p = Σ_t DF(t) (benefit_p(t) − cost_p(t)), BCR_p = PV benefits / PV
costs, payback = the first year, from the perspective's first cost on, from which the cumulative
discounted net stays ≥ 0.
All arrays carry the draws in their first axis, so 10,000 draws cost one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jamlik.invest.model import PAYERS, PERSPECTIVES
from jamlik.invest.plan import OutcomePlan, Plan
from jamlik.invest.values import BEARERS

# Which payers' costs and which bearers' benefits each perspective counts.
_COST_MAP = np.zeros((len(PAYERS), len(PERSPECTIVES)))
_BENEFIT_MAP = np.zeros((len(BEARERS), len(PERSPECTIVES)))
for _p, _name in enumerate(PERSPECTIVES):
    if _name == "society":
        _COST_MAP[:, _p] = 1.0  # everyone's money, civil society's included
    else:
        _COST_MAP[PAYERS.index(_name), _p] = 1.0
        _BENEFIT_MAP[BEARERS.index(_name), _p] = 1.0
SOCIETY = PERSPECTIVES.index("society")


@dataclass
class Flows:
    """Undiscounted cash flows by draw × year × perspective, plus costs by payer and benefits
    by bearer (for the cash-flow chart)."""

    costs: np.ndarray  # (n, T, P)
    benefits: np.ndarray  # (n, T, P)
    by_payer: np.ndarray  # (n, T, payers)
    by_bearer: np.ndarray  # (n, T, bearers)


@dataclass
class Metrics:
    """Summary figures by draw × perspective."""

    pv_costs: np.ndarray  # (n, P)
    pv_benefits: np.ndarray
    npv: np.ndarray
    bcr: np.ndarray  # NaN where there are no costs
    payback: np.ndarray  # index of the payback year, −1 when never (or no costs)
    cumulative: np.ndarray  # (n, T, P) cumulative discounted net


def outcome_benefit(plan: Plan, o: OutcomePlan, x: np.ndarray) -> np.ndarray:
    """Benefit of one outcome by draw × year, before splitting over bearers: (n, T)."""
    keep = (1 - x[:, o.deadweight]) * (1 - x[:, o.attribution]) * (1 - x[:, o.displacement])
    per_year = x[:, o.quantity] * x[:, o.link] * x[:, o.value] * o.price_factor / o.spread_years
    # (1 − drop_off)^k for k = 0 … D−1, then summed over the occurrence years active in each t.
    k = np.arange(o.occurrences.shape[0])
    decay = (1 - x[:, o.drop_off])[:, None] ** k[None, :]
    return (per_year * keep)[:, None] * (decay @ o.occurrences)


def flows(plan: Plan, x: np.ndarray) -> Flows:
    """Cash flows for parameter rows x: (n, K)."""
    n, horizon = x.shape[0], len(plan.years)
    by_payer = np.zeros((n, horizon, len(PAYERS)))
    uplift = 1 + x[:, plan.optimism_bias]
    amounts = x[:, plan.cost_param] * uplift[:, None]  # (n, lines)
    np.add.at(by_payer, (slice(None), plan.cost_year, plan.cost_payer), amounts)
    by_bearer = np.zeros((n, horizon, len(BEARERS)))
    society_benefit = np.zeros((n, horizon))
    for o in plan.outcomes:
        b = outcome_benefit(plan, o, x)
        by_bearer += b[:, :, None] * o.shares[None, None, :]
        society_benefit += b * (1 - o.transfer_share)
    # One 2-D product instead of a batched one: numpy's batched matmul is slow for tiny matrices.
    costs = (by_payer.reshape(n * horizon, -1) @ _COST_MAP).reshape(n, horizon, -1)
    benefits = (by_bearer.reshape(n * horizon, -1) @ _BENEFIT_MAP).reshape(n, horizon, -1)
    benefits[:, :, SOCIETY] = society_benefit
    return Flows(costs, benefits, by_payer, by_bearer)


def metrics(plan: Plan, f: Flows) -> Metrics:
    """NPV, BCR and payback for every draw and perspective."""
    df = plan.discount[None, :, None]
    pv_c = (f.costs * df).sum(axis=1)
    pv_b = (f.benefits * df).sum(axis=1)
    cumulative = np.cumsum((f.benefits - f.costs) * df, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(pv_c > 0, pv_b / np.where(pv_c > 0, pv_c, 1), np.nan)
    # Payback: the first year, from the perspective's first cost on, from which the cumulative
    # net never again falls below zero (a perspective without costs has no payback year).
    tol = 1e-9 * np.maximum(pv_c, 1.0)[:, None, :]
    stays = np.minimum.accumulate(cumulative[:, ::-1, :], axis=1)[:, ::-1, :] >= -tol
    first_cost = (f.costs > 0).argmax(axis=1)  # (n, P)
    stays &= np.arange(stays.shape[1])[None, :, None] >= first_cost[:, None, :]
    payback = np.where(stays.any(axis=1), stays.argmax(axis=1), -1)
    payback = np.where(pv_c > 0, payback, -1)
    return Metrics(pv_c, pv_b, pv_b - pv_c, bcr, payback, cumulative)


def evaluate(plan: Plan, x: np.ndarray) -> tuple[Flows, Metrics]:
    """Flows and metrics for parameter rows x."""
    f = flows(plan, x)
    return f, metrics(plan, f)


def unit_present_value(plan: Plan, o: OutcomePlan, central: np.ndarray) -> np.ndarray:
    """Present value, by perspective, of ONE unit of outcome o caused by the initiative,
    spread over the outcome's occurrence years as planned (so units × this = its PV benefit).

    Deadweight, attribution and displacement are left out: the unit counted here is one the
    initiative itself caused. Link probability, lag, duration and drop-off stay in.
    """
    x = central.copy()
    x[:, o.quantity] = 1.0 / o.n_years
    for k in (o.deadweight, o.attribution, o.displacement):
        x[:, k] = 0.0
    b = outcome_benefit(plan, o, x)[0]  # (T,)
    pv = float(b @ plan.discount)
    per_bearer = pv * (o.shares @ _BENEFIT_MAP)
    per_bearer[SOCIETY] = pv * (1 - o.transfer_share)
    return per_bearer


def expected_units(o: OutcomePlan, central: np.ndarray) -> float:
    """Units the plan expects the initiative itself to cause (after the adjustments)."""
    c = central[0]
    keep = (1 - c[o.deadweight]) * (1 - c[o.attribution]) * (1 - c[o.displacement])
    return float(c[o.quantity] * o.n_years * keep)
