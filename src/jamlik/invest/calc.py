"""Calculate an investment: deterministic figures, Monte Carlo intervals, tornado, break-even.

`calculate` is pure (an `Investment` in, an `InvestmentResult` out). `calculate_in_workspace`
reads the investment and its evaluation data from a workspace, runs the effect estimate,
calculates, and stores the result so the report and the web page can show it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from jamlik.errors import JamlikError
from jamlik.invest.distributions import Normal
from jamlik.invest.effects.result import EffectResult
from jamlik.invest.effects.verdict import number_en, number_sv
from jamlik.invest.engine import Flows, Metrics, evaluate, expected_units, unit_present_value
from jamlik.invest.model import PAYERS, PERSPECTIVES, Investment
from jamlik.invest.montecarlo import DEFAULT_DRAWS, DEFAULT_SEED, TORNADO_QUANTILES, draw, tornado
from jamlik.invest.plan import Plan, build_plan
from jamlik.invest.results import (
    FICTITIOUS_EN,
    FICTITIOUS_SV,
    PARTY_LABELS,
    PERSPECTIVE_LABELS,
    BreakEven,
    CumulativeRow,
    FlowRow,
    Histogram,
    Interval,
    InvestmentResult,
    PerspectiveResult,
    Settings,
    TornadoRow,
)
from jamlik.invest.values import BEARERS, PriceIndex, UnitValue, load_cpi, load_library
from jamlik.workspace import Workspace

SOCIETY = PERSPECTIVES.index("society")
BINS = 40


def evaluation_quantities(inv: Investment, effect: EffectResult | None) -> dict[str, Normal]:
    """Quantities of outcomes declared `from_evaluation`: effect × per_unit, normal with the
    effect's standard error."""
    out: dict[str, Normal] = {}
    for o in inv.outcomes:
        if o.from_evaluation is None:
            continue
        if effect is None or effect.estimate is None or effect.se is None:
            why = effect.verdict.text_en if effect is not None else "no evaluation was run"
            raise JamlikError(
                f"utfallet '{o.id}' ska ta sin mängd från utvärderingen, men den gav ingen skattning / "
                f"outcome '{o.id}' takes its quantity from the evaluation, which gave no estimate "
                f"({why}); give `quantity` instead"
            )
        k = o.from_evaluation.per_unit
        out[o.id] = Normal(dist="normal", mean=effect.estimate * k, sd=effect.se * k)
    return out


def discount_text(inv: Investment, rate: float | None, schedule: str | None) -> str:
    """The discounting used, in words (Swedish, with the English key word)."""
    chosen = schedule or ("constant" if rate is not None else inv.discount.schedule)
    if chosen == "green_book":
        return "Green Book: 3,5 % år 0–30, 3,0 % år 31–75, 2,5 % år 76–125 / declining"
    if isinstance(chosen, list):
        steps = "; ".join(f"{number_sv(s.rate * 100)} % från år {s.from_year}" for s in chosen)
        return f"{steps} / schedule"
    r = inv.discount.rate if rate is None else rate
    return f"{number_sv(r * 100)} % real, konstant / constant"


def discount_texts(inv: Investment, rate: float | None, schedule: str | None) -> tuple[str, str]:
    """The discounting used, in plain Swedish and in English (for the report and the web)."""
    chosen = schedule or ("constant" if rate is not None else inv.discount.schedule)
    if chosen == "green_book":
        return (
            "Green Book: 3,5 % år 0–30, 3,0 % år 31–75, 2,5 % år 76–125",
            "Green Book: 3.5% in years 0–30, 3.0% in 31–75, 2.5% in 76–125",
        )
    if isinstance(chosen, list):
        sv = "; ".join(f"{number_sv(s.rate * 100)} % från år {s.from_year}" for s in chosen)
        en = "; ".join(f"{number_en(s.rate * 100)}% from year {s.from_year}" for s in chosen)
        return sv, en
    r = inv.discount.rate if rate is None else rate
    return f"{number_sv(r * 100)} % real, konstant", f"{number_en(r * 100)}% real, constant"


def calculate(
    inv: Investment,
    *,
    library: dict[str, UnitValue] | None = None,
    cpi: PriceIndex | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    rate: float | None = None,
    schedule: str | None = None,
    effect: EffectResult | None = None,
    title: str | None = None,
    title_en: str | None = None,
    interval: float = 0.95,
) -> InvestmentResult:
    """Every figure for one investment (see docs/invest.md for the formulas)."""
    library = load_library() if library is None else library
    cpi = load_cpi() if cpi is None else cpi
    quantities = evaluation_quantities(inv, effect)
    plan = build_plan(inv, library, cpi, rate=rate, schedule=schedule, quantities=quantities)
    central = plan.central()
    f0, m0 = evaluate(plan, central)
    x = draw(plan, draws, seed)
    _, mx = evaluate(plan, x)
    tail = (1 - interval) / 2
    words = discount_texts(inv, rate, schedule)

    notes = list(plan.notes)
    if inv.fictitious:
        notes.insert(0, f"{FICTITIOUS_SV} / {FICTITIOUS_EN}")
    for o in inv.outcomes:
        if o.id in quantities:
            q = quantities[o.id]
            notes.append(
                f"{o.id}: mängd från utvärderingen / quantity from the evaluation: "
                f"{q.mean_:.2f} ± {q.sd:.2f} per år ({o.from_evaluation.per_unit:g} per enhet av effekten)"
            )
    return InvestmentResult(
        initiative=inv.initiative,
        title=title,
        title_en=title_en,
        fictitious=inv.fictitious,
        settings=Settings(
            draws=draws,
            seed=seed,
            discount=discount_text(inv, rate, schedule),
            discount_sv=words[0],
            discount_en=words[1],
            horizon=inv.horizon,
            base_year=inv.first_year,
            price_year=inv.price_year,
            interval_level=interval,
            tornado_quantiles=TORNADO_QUANTILES,
        ),  # fmt: skip
        perspectives=_perspectives(plan, central, m0, mx, tail),
        cash_flows=_cash_flows(plan, f0),
        cumulative=_cumulative(plan, m0, mx, tail),
        tornado=_tornado(plan, x, mx.npv),
        histograms=[_histogram(p, mx.npv[:, i]) for i, p in enumerate(PERSPECTIVES)],
        effect=effect,
        notes=notes,
    )


def _interval(values: np.ndarray, tail: float, level: float) -> Interval:
    lo, hi = np.quantile(values, [tail, 1 - tail])
    return Interval(lo=float(lo), hi=float(hi), level=level)


def _perspectives(
    plan: Plan, central: np.ndarray, m0: Metrics, mx: Metrics, tail: float
) -> list[PerspectiveResult]:
    unit_pv = {o.id: unit_present_value(plan, o, central) for o in plan.outcomes}
    out = []
    for i, name in enumerate(PERSPECTIVES):
        pv_c = float(m0.pv_costs[0, i])
        npv = mx.npv[:, i]
        bcr = mx.bcr[:, i]
        payback = int(m0.payback[0, i])
        breaks = []
        for o in plan.outcomes:
            per_unit = float(unit_pv[o.id][i])
            needed = pv_c / per_unit if per_unit > 0 and pv_c > 0 else None
            breaks.append(BreakEven(outcome=o.id, title=o.title, title_en=o.title_en, unit=o.unit, units_needed=needed,
                                    units_expected=expected_units(o, central)))  # fmt: skip
        sv, en = PERSPECTIVE_LABELS[name]
        out.append(
            PerspectiveResult(
                perspective=name,
                label_sv=sv,
                label_en=en,
                pv_costs=pv_c,
                pv_benefits=float(m0.pv_benefits[0, i]),
                npv=float(m0.npv[0, i]),
                bcr=None if np.isnan(m0.bcr[0, i]) else float(m0.bcr[0, i]),
                payback_year=int(plan.years[payback]) if payback >= 0 else None,
                npv_mean=float(npv.mean()),
                npv_se=float(npv.std(ddof=1) / np.sqrt(len(npv))) if len(npv) > 1 else 0.0,
                npv_interval=_interval(npv, tail, 1 - 2 * tail),
                bcr_interval=None if np.isnan(bcr).any() else _interval(bcr, tail, 1 - 2 * tail),
                p_benefits_exceed_costs=float(np.mean(npv > 0)),
                p_payback_within_horizon=float(np.mean(mx.payback[:, i] >= 0)),
                break_even=breaks,
            )  # fmt: skip
        )
    return out


def _cash_flows(plan: Plan, f0: Flows) -> list[FlowRow]:
    rows = []
    for kind, parties, values in (
        ("cost", PAYERS, f0.by_payer[0]),
        ("benefit", BEARERS, f0.by_bearer[0]),
    ):
        for t, year in enumerate(plan.years):
            for j, party in enumerate(parties):
                amount = float(values[t, j])
                if amount == 0:
                    continue
                sv, en = PARTY_LABELS[party]
                rows.append(FlowRow(year=int(year), party=party, label_sv=sv, label_en=en, kind=kind,
                                    amount=amount, discounted=amount * float(plan.discount[t])))  # fmt: skip
    return rows


def _cumulative(plan: Plan, m0: Metrics, mx: Metrics, tail: float) -> list[CumulativeRow]:
    lo, hi = np.quantile(mx.cumulative, [tail, 1 - tail], axis=0)  # (T, P) each
    return [
        CumulativeRow(
            perspective=name,
            year=int(year),
            central=float(m0.cumulative[0, t, i]),
            lo=float(lo[t, i]),
            hi=float(hi[t, i]),
        )  # fmt: skip
        for i, name in enumerate(PERSPECTIVES)
        for t, year in enumerate(plan.years)
    ]


def _tornado(plan: Plan, x: np.ndarray, npv: np.ndarray) -> list[TornadoRow]:
    rows = []
    for bar in tornado(plan, x, npv):
        p = plan.params[bar.index]
        lo, hi = float(bar.npv_low[SOCIETY]), float(bar.npv_high[SOCIETY])
        corr = None if bar.rank_correlation is None else float(bar.rank_correlation[SOCIETY])
        rows.append(TornadoRow(parameter=p.name, label_sv=p.label_sv, label_en=p.label_en,
                               low_value=bar.low_value, high_value=bar.high_value, npv_low=lo,
                               npv_high=hi, swing=abs(hi - lo),
                               rank_correlation=None if corr is None or np.isnan(corr) else corr))  # fmt: skip
    rows.sort(key=lambda r: -r.swing)
    return rows


def _histogram(perspective: str, values: np.ndarray) -> Histogram:
    counts, edges = np.histogram(values, bins=BINS)
    return Histogram(
        perspective=perspective, edges=[float(e) for e in edges], counts=[int(c) for c in counts]
    )


def calculate_in_workspace(
    workspace: Workspace,
    initiative: str,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    rate: float | None = None,
    schedule: str | None = None,
    store: bool = True,
) -> InvestmentResult:
    """Calculate a stored investment with its effect estimate from the workspace's data, and
    (by default) store the result for the report and the web page."""
    from jamlik.invest.effects import estimate_effect
    from jamlik.invest.store import initiative_titles, read_investment, save_result

    inv = read_investment(workspace, initiative)
    effect = estimate_effect(workspace, inv.evaluation, seed=seed)
    title, title_en = initiative_titles(workspace, initiative)
    result = calculate(inv, draws=draws, seed=seed, rate=rate, schedule=schedule, effect=effect,
                       title=title, title_en=title_en)  # fmt: skip
    result.computed_at = datetime.now(UTC).isoformat(timespec="seconds")
    if store:
        save_result(workspace, result)
    return result
