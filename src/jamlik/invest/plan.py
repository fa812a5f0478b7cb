"""An investment compiled to arrays: its uncertain parameters as columns, its timing as matrices.

The engine (`jamlik.invest.engine`) evaluates the model for a matrix of parameter values, one
row per Monte Carlo draw; the deterministic result is the row of central values (means).
Every number that a file may make uncertain is a parameter here, fixed ones included, so the
same code computes the deterministic result, the draws and the tornado.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from jamlik.invest.discount import GREEN_BOOK, factors
from jamlik.invest.distributions import _Dist
from jamlik.invest.model import PAYERS, Investment, Outcome
from jamlik.invest.rules import unit_values_for
from jamlik.invest.values import BEARERS, PriceIndex, UnitValue

RATE_LABELS = {
    "link": ("andel som når det värderade utfallet", "share reaching the valued outcome"),
    "deadweight": ("dödvikt", "deadweight"),
    "attribution": ("attribution (andras bidrag)", "attribution (others' contribution)"),
    "displacement": ("undanträngning", "displacement"),
    "drop_off": ("avtagande per år", "drop-off per year"),
}


@dataclass(frozen=True)
class Parameter:
    """One column of the parameter matrix."""

    name: str
    label_sv: str
    label_en: str
    dist: _Dist

    @property
    def uncertain(self) -> bool:
        return not self.dist.is_fixed


@dataclass(frozen=True)
class OutcomePlan:
    """Where an outcome's parameters are, and how its value is spread over the years."""

    id: str
    title: str
    title_en: str
    unit: str
    quantity: int
    link: int
    deadweight: int
    attribution: int
    displacement: int
    drop_off: int
    value: int
    price_factor: float  # unit value's price year → the investment's price year
    spread_years: int
    occurrences: np.ndarray  # (D, T): how many occurrence years are k years into their flow
    shares: np.ndarray  # (bearers,)
    transfer_share: float
    n_years: int


@dataclass
class Plan:
    """Everything the engine needs, as arrays."""

    initiative: str
    years: np.ndarray  # calendar years, (T,)
    discount: np.ndarray  # discount factors, (T,)
    params: list[Parameter] = field(default_factory=list)
    cost_year: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    cost_payer: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    cost_param: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    optimism_bias: int = -1
    outcomes: list[OutcomePlan] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, label_sv: str, label_en: str, dist: _Dist) -> int:
        for i, p in enumerate(self.params):
            if p.name == name:
                return i
        self.params.append(Parameter(name, label_sv, label_en, dist))
        return len(self.params) - 1

    def central(self) -> np.ndarray:
        """One row of central values (each distribution's mean)."""
        return np.array([[p.dist.mean() for p in self.params]])


def discount_factors(
    inv: Investment, rate: float | None = None, schedule: str | None = None
) -> np.ndarray:
    """The investment's discount factors; `rate`/`schedule` override the file's choice."""
    d = inv.discount
    chosen = schedule if schedule is not None else d.schedule
    if rate is not None and schedule is None:
        chosen = "constant"
    if chosen == "green_book":
        return factors(inv.horizon, schedule=GREEN_BOOK)
    if isinstance(chosen, list):
        return factors(inv.horizon, schedule=[(s.from_year, s.rate) for s in chosen])
    return factors(inv.horizon, rate=d.rate if rate is None else rate)


def build_plan(
    inv: Investment,
    library: dict[str, UnitValue],
    cpi: PriceIndex,
    *,
    rate: float | None = None,
    schedule: str | None = None,
    quantities: dict[str, _Dist] | None = None,
) -> Plan:
    """Compile an investment. `quantities` supplies outcome quantities taken from an evaluation
    (outcome id → distribution) for outcomes that declare `from_evaluation`."""
    years = np.array(inv.years)
    plan = Plan(inv.initiative, years, discount_factors(inv, rate, schedule))
    first = inv.first_year
    plan.optimism_bias = plan.add(
        "optimism_bias",
        "optimismtillägg på kostnader",
        "optimism bias (cost uplift)",
        inv.optimism_bias,
    )
    cy, cp, ck = [], [], []
    for i, cost in enumerate(inv.costs):
        what = cost.item or cost.committee or cost.payer
        k = plan.add(
            f"costs[{i}].amount",
            f"kostnad {cost.year} ({what})",
            f"cost {cost.year} ({what})",
            cost.amount,
        )
        cy.append(cost.year - first)
        cp.append(PAYERS.index(cost.payer))
        ck.append(k)
    plan.cost_year, plan.cost_payer, plan.cost_param = np.array(cy), np.array(cp), np.array(ck)

    values = unit_values_for(inv, library)
    for o in inv.outcomes:
        plan.outcomes.append(
            _outcome_plan(plan, inv, o, values[o.unit_value], cpi, quantities or {})
        )
    used_years = [inv.price_year, *(values[o.unit_value].price_year for o in inv.outcomes)]
    plan.notes += cpi.notes(*used_years)
    return plan


def _outcome_plan(
    plan: Plan,
    inv: Investment,
    o: Outcome,
    uv: UnitValue,
    cpi: PriceIndex,
    quantities: dict[str, _Dist],
) -> OutcomePlan:
    if o.quantity is not None:
        q_dist = o.quantity
    elif o.id in quantities:
        q_dist = quantities[o.id]
    else:
        raise KeyError(f"outcome '{o.id}' takes its quantity from the evaluation, which gave none")
    title_en = o.title_en or o.title
    idx = {
        "quantity": plan.add(
            f"{o.id}.quantity", f"antal per år: {o.title}", f"units per year: {title_en}", q_dist
        ),
        "value": plan.add(
            f"value:{uv.id}",
            f"enhetsvärde: {uv.title}",
            f"unit value: {uv.title_en or uv.title}",
            uv.value,
        ),
    }
    for name, (sv, en) in RATE_LABELS.items():
        idx[name] = plan.add(
            f"{o.id}.{name}", f"{sv}: {o.title}", f"{en}: {title_en}", getattr(o, name)
        )
    duration = o.duration or uv.spread_years
    horizon = len(plan.years)
    occurrences = np.zeros((duration, horizon))
    for year in o.years:
        start = year - inv.first_year + o.lag
        for k in range(duration):
            if 0 <= start + k < horizon:
                occurrences[k, start + k] += 1
    return OutcomePlan(
        id=o.id,
        title=o.title,
        title_en=title_en,
        unit=uv.unit,
        price_factor=cpi.factor(uv.price_year, inv.price_year),
        spread_years=uv.spread_years,
        occurrences=occurrences,
        shares=np.array([uv.share(b) for b in BEARERS]),
        transfer_share=uv.transfer_share,
        n_years=len(o.years),
        **idx,
    )
