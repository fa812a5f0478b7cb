"""Effect follow-up for social investments: difference-in-differences, synthetic control and
interrupted time series, with verdicts that never claim more than the design supports.

The estimators work on plain frames (`did`, `synthetic_control`, `its`); `estimate_effect`
reads the panel an investment's evaluation names from a workspace and runs its design.
"""

from __future__ import annotations

import pandas as pd

from jamlik.errors import JamlikError
from jamlik.invest.effects.result import EffectResult, SeriesPoint, Verdict
from jamlik.invest.model import Evaluation
from jamlik.workspace import Workspace

__all__ = [
    "EffectResult",
    "SeriesPoint",
    "Verdict",
    "estimate_effect",
    "load_panel",
    "resolve_units",
]
# The estimators live in jamlik.invest.effects.did / .synth / .its; they import statsmodels,
# which only effect estimation needs, so they are imported where they are used.


def resolve_units(workspace: Workspace, refs: list[str]) -> list[str]:
    """Area ids for references that are area ids or official codes (e.g. municipality codes)."""
    from jamlik.data import read_definitions

    areas = read_definitions(workspace).areas
    ids = {a.id for a in areas}
    by_code = {a.code: a.id for a in areas if a.code}
    out, unknown = [], []
    for ref in refs:
        if ref in ids:
            out.append(ref)
        elif ref in by_code:
            out.append(by_code[ref])
        else:
            unknown.append(ref)
    if unknown:
        raise JamlikError(
            f"okända områden / unknown areas (neither area id nor code): {', '.join(unknown)}; "
            "import their definitions first"
        )
    return out


def load_panel(workspace: Workspace, indicator: str, units: list[str]) -> pd.DataFrame:
    """The area totals of `indicator` for `units` as a panel (unit, period, time, value).

    Small cells are suppressed first, so a suppressed value is missing here as everywhere.
    """
    from jamlik.data import TOTAL, period_midpoint
    from jamlik.data.publish import published_observations

    frame = published_observations(workspace, [indicator])
    frame = frame[
        frame["area"].isin(units) & (frame["dimension"] == TOTAL) & (frame["subgroup"] == TOTAL)
    ]
    return pd.DataFrame(
        {
            "unit": frame["area"].astype(str),
            "period": frame["period"].astype(str),
            "time": frame["period"].map(period_midpoint).astype(float),
            "value": frame["estimate"].astype(float),
        }
    )


def unit_words(unit: str | None) -> tuple[str, str]:
    """How an indicator's unit reads in an effect text: a difference of percentages is in
    percentage points."""
    u = (unit or "").strip().lower()
    if u in ("procent", "%", "percent", "andel (%)"):
        return "procentenheter", "percentage points"
    return unit or "", unit or ""


# Which estimator the verdict rests on and why: the evaluation names the design; this says
# what that design assumes, so a reader can judge whether it fits.
WHY = {
    "did": "Skattaren är skillnad i skillnader: den förutsätter att insats- och jämförelseenheterna "
    "hade följt parallella trender utan insatsen / The estimator is difference-in-differences: it "
    "assumes treated and comparison units would have followed parallel trends without the initiative.",
    "synthetic_control": "Skattaren är syntetisk kontroll: en viktad blandning av jämförelseenheter "
    "som följer insatsenheten före start; den förutsätter att blandningen hade fortsatt följa den / "
    "The estimator is synthetic control: a weighted mix of comparison units that tracks the treated "
    "unit before the start; it assumes the mix would have kept tracking it.",
    "sdid": "Skattaren är syntetisk skillnad i skillnader: jämförelseenheter och år före start viktas "
    "så att trenderna blir parallella, och nivåskillnader tillåts; den kräver varken DiD:s "
    "parallella trender för alla enheter eller syntetisk kontrolls exakta nivåpassning / The "
    "estimator is synthetic difference-in-differences: comparison units and pre-start years are "
    "weighted so the trends run parallel, and level differences are allowed; it needs neither DiD's "
    "parallel trends for every unit nor synthetic control's exact level fit.",
    "its": "Skattaren är avbruten tidsserie: den förutsätter att trenden före start hade fortsatt / "
    "The estimator is an interrupted time series: it assumes the pre-start trend would have "
    "continued.",
}


def _covariates(
    workspace: Workspace, indicators: list[str], units: list[str], start: float
) -> pd.DataFrame | None:
    """Each covariate indicator's average before `start`, per unit (unit, name, value)."""
    if not indicators:
        return None
    frames = []
    for ind in indicators:
        p = load_panel(workspace, ind, units)
        p = p[p["time"] < start].dropna(subset=["value"])
        means = p.groupby("unit", as_index=False)["value"].mean()
        frames.append(means.assign(name=ind))
    return pd.concat(frames, ignore_index=True)


def estimate_effect(
    workspace: Workspace, evaluation: Evaluation | None, *, seed: int = 0
) -> EffectResult | None:
    """Run the evaluation's design on the workspace's observations (None for design 'none')."""
    if evaluation is None or evaluation.design == "none":
        return None
    from jamlik.data import period_midpoint, read_definitions
    from jamlik.invest.effects.did import did
    from jamlik.invest.effects.its import its
    from jamlik.invest.effects.synth import synthetic_control

    assert evaluation.indicator is not None and evaluation.start is not None
    treated = resolve_units(workspace, evaluation.treated)
    comparison = resolve_units(workspace, evaluation.comparison)
    panel = load_panel(workspace, evaluation.indicator, treated + comparison)
    indicator = next(
        (i for i in read_definitions(workspace).indicators if i.id == evaluation.indicator), None
    )
    words = unit_words(indicator.unit if indicator else None)
    start = period_midpoint(evaluation.start)
    if panel["value"].notna().sum() == 0:
        from jamlik.invest.effects.verdict import too_little_data

        return EffectResult(
            design=evaluation.design,
            method=evaluation.design,
            inference="none",
            indicator=evaluation.indicator,
            treated=treated,
            comparison=comparison,
            verdict=too_little_data(
                f"arbetsytan har inga värden för {evaluation.indicator} i dessa områden",
                f"the workspace holds no values of {evaluation.indicator} for these areas",
            ),
        )
    if evaluation.design == "did":
        result = did(panel, treated, start, alpha=evaluation.alpha, unit=words, seed=seed)
    elif evaluation.design == "synthetic_control":
        covariates = _covariates(workspace, evaluation.covariates, treated + comparison, start)
        result = synthetic_control(
            panel, treated[0], start, alpha=evaluation.alpha, unit=words,
            covariates=covariates, predictor_periods=list(evaluation.predictor_periods) or None,
        )  # fmt: skip
    elif evaluation.design == "sdid":
        from jamlik.invest.effects.sdid import synthetic_did

        result = synthetic_did(panel, treated, start, alpha=evaluation.alpha, unit=words)
    else:
        series = panel[panel["unit"] == treated[0]]
        result = its(series, start, alpha=evaluation.alpha, unit=words, seed=seed)
    result.notes.append(WHY[evaluation.design])
    result.indicator = evaluation.indicator
    result.indicator_title = indicator.title if indicator else None
    result.indicator_title_en = (indicator.title_en or indicator.title) if indicator else None
    return result
