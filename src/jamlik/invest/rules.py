"""Rules that need a whole investment: references inside it, years within the horizon,
distributions that fit the parameter they describe, unit values and price years that exist.

`investment_issues` returns every problem as (location inside the investment, message) so the
file reader can attach lines; nothing here raises.
"""

from __future__ import annotations

from jamlik.data import normalize_period
from jamlik.invest.distributions import Normal
from jamlik.invest.model import Investment, Outcome
from jamlik.invest.values import PriceIndex, UnitValue

Loc = tuple[str | int, ...]
Issue = tuple[Loc, str]
RATES = ("link", "deadweight", "attribution", "displacement", "drop_off")


def unit_values_for(inv: Investment, library: dict[str, UnitValue]) -> dict[str, UnitValue]:
    """The library with the investment's own unit values added (they win on equal ids)."""
    return {**library, **{uv.id: uv for uv in inv.unit_values}}


def investment_issues(
    inv: Investment, library: dict[str, UnitValue], cpi: PriceIndex
) -> list[Issue]:
    """Every problem with one investment that the models alone cannot see."""
    issues: list[Issue] = []
    first, last = inv.first_year, inv.first_year + inv.horizon - 1
    span = f"{first}–{last}"

    if inv.price_year not in cpi.values:
        issues.append(
            (("price_year",), f"KPI saknas för {inv.price_year} / no price index for that year")
        )
    lo, _ = inv.optimism_bias.support()
    if lo < 0:
        issues.append(
            (("optimism_bias",), "optimism bias is an uplift ≥ 0: use uniform, triangular or pert")
        )
    for i, cost in enumerate(inv.costs):
        if not first <= cost.year <= last:
            issues.append((("costs", i, "year"), f"year {cost.year} is outside the horizon {span}"))
        if cost.amount.mean() < 0:
            issues.append((("costs", i, "amount"), "a cost must not be negative"))

    issues += _logic_issues(inv)
    issues += _evaluation_issues(inv)

    values = unit_values_for(inv, library)
    seen: set[str] = set()
    for i, uv in enumerate(inv.unit_values):
        if uv.price_year not in cpi.values:
            issues.append((("unit_values", i, "price_year"), f"no price index for {uv.price_year}"))
        if uv.id in seen:
            issues.append((("unit_values", i, "id"), f"id '{uv.id}' is used twice"))
        seen.add(uv.id)
    outcome_ids: set[str] = set()
    for i, outcome in enumerate(inv.outcomes):
        loc: Loc = ("outcomes", i)
        if outcome.id in outcome_ids:
            issues.append(((*loc, "id"), f"outcome id '{outcome.id}' is used twice"))
        outcome_ids.add(outcome.id)
        issues += [
            ((*loc, *sub), msg) for sub, msg in _outcome_issues(inv, outcome, values, (first, last))
        ]

    years = [f.year for f in inv.followup]
    for i, f in enumerate(inv.followup):
        if years.count(f.year) > 1 and years.index(f.year) != i:
            issues.append((("followup", i, "year"), f"more than one follow-up note for {f.year}"))
    return issues


def _logic_issues(inv: Investment) -> list[Issue]:
    if inv.logic_model is None:
        return []
    issues: list[Issue] = []
    items = inv.logic_model.items()
    level_of: dict[str, int] = {}
    levels = inv.logic_model.LEVELS
    for level, i, item in items:
        if item.id in level_of:
            issues.append(
                (
                    ("logic_model", level, i, "id"),
                    f"id '{item.id}' is used twice in the logic model",
                )
            )
        level_of.setdefault(item.id, levels.index(level))
    for level, i, item in items:
        for j, target in enumerate(item.leads_to):
            where = ("logic_model", level, i, "leads_to", j)
            if target not in level_of:
                issues.append((where, f"'{target}' is not a box of the logic model"))
            elif level_of[target] <= levels.index(level):
                issues.append((where, f"'{target}' must be on a later level than {level}"))
    return issues


def _evaluation_issues(inv: Investment) -> list[Issue]:
    ev = inv.evaluation
    if ev is None or ev.design == "none":
        return []
    issues: list[Issue] = []
    name = {"did": "difference-in-differences", "synthetic_control": "synthetic control",
            "sdid": "synthetic difference-in-differences",
            "its": "interrupted time series"}[ev.design]  # fmt: skip
    if ev.indicator is None:
        issues.append((("evaluation", "indicator"), f"{name} needs the indicator it follows"))
    if ev.start is None:
        issues.append((("evaluation", "start"), f"{name} needs the first period in effect (start)"))
    elif normalize_period(ev.start) is None:
        issues.append(
            (("evaluation", "start"), f"'{ev.start}' is not a period (e.g. 2023, 2022-12)")
        )
    if not ev.treated:
        issues.append((("evaluation", "treated"), f"{name} needs the treated unit(s)"))
    elif ev.design in ("synthetic_control", "its") and len(ev.treated) != 1:
        issues.append((("evaluation", "treated"), f"{name} takes exactly one treated unit"))
    if ev.design in ("did", "synthetic_control", "sdid") and not ev.comparison:
        issues.append((("evaluation", "comparison"), f"{name} needs comparison units"))
    if ev.design != "synthetic_control" and (ev.covariates or ev.predictor_periods):
        issues.append(
            (
                ("evaluation", "covariates"),
                "covariates and predictor_periods are for synthetic_control",
            )
        )
    clash = sorted(set(ev.treated) & set(ev.comparison))
    if clash:
        issues.append((("evaluation", "comparison"), f"units both treated and comparison: {clash}"))
    return issues


def _outcome_issues(
    inv: Investment, o: Outcome, values: dict[str, UnitValue], span: tuple[int, int]
) -> list[Issue]:
    issues: list[Issue] = []
    if (o.quantity is None) == (o.from_evaluation is None):
        issues.append((("quantity",), "give either quantity or from_evaluation (exactly one)"))
    if o.from_evaluation is not None and (
        inv.evaluation is None or inv.evaluation.design == "none"
    ):
        issues.append((("from_evaluation",), "from_evaluation needs an evaluation design"))
    uv = values.get(o.unit_value)
    if uv is None:
        issues.append(
            (("unit_value",), f"no unit value '{o.unit_value}' in the library or the file")
        )
    elif uv.kind != "benefit":
        issues.append((("unit_value",), f"'{o.unit_value}' is a {uv.kind}, not a benefit value"))
    if o.logic is not None and inv.logic_model is not None:
        outcomes = {it.id for it in inv.logic_model.short_term + inv.logic_model.long_term}
        if o.logic not in outcomes:
            issues.append(
                (("logic",), f"'{o.logic}' is not a short- or long-term outcome of the logic model")
            )
    for j, year in enumerate(o.years):
        if not span[0] <= year <= span[1]:
            issues.append((("years", j), f"year {year} is outside the horizon {span[0]}–{span[1]}"))
    for name in RATES:
        dist = getattr(o, name)
        lo, hi = dist.support()
        if lo < 0 or hi > 1:
            hint = (
                " (a normal distribution is unbounded: use beta, pert, triangular or uniform)"
                if isinstance(dist, Normal)
                else ""
            )
            issues.append(((name,), f"{name} is a share between 0 and 1{hint}"))
    return issues
