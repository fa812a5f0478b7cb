"""Which social investments a yearly report shows, read from the workspace.

The rule (`InvestmentScope`):

- "programme": the investments whose initiative belongs to the programme reported on. A
  programme's yearly report answers for that programme; an investment of another programme in
  the same workspace belongs to that programme's report. The chapter says how many it leaves
  out.
- "workspace": every investment in the workspace, the programme's own first, each of the others
  labelled with the programme it belongs to (for a workspace that keeps its social-investment
  fund's projects as a programme of their own beside its equity programme).
- "auto" (the default): "programme" for real data; "workspace" when the follow-up rests on
  invented example data (`FollowUp.fictitious`). A demo workspace is one showcase that holds
  several example programmes, and its report should show every part of jamlik; real data never
  pull in another programme's investments unless asked.

The report then shows each selected investment's stored result (`jamlik invest calc` stores
it); an investment never calculated is shown with its costs and a note saying how to
calculate it. Nothing is calculated here: the report reads.

Suppression: a stored effect series was drawn from data suppressed at the threshold in force
when it was calculated. The report's own threshold may be higher, so the treated unit's values
are checked again against it here (`ReportedInvestment.hidden_periods`) and the report hides
those periods. The comparison series are means over several units, like a total, and stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from jamlik.data import TOTAL
from jamlik.data.policy import SuppressionPolicy, read_policy
from jamlik.data.publish import published_observations
from jamlik.data.suppression import is_suppressed_flag
from jamlik.errors import JamlikError
from jamlik.invest.effects import resolve_units
from jamlik.invest.model import Investment
from jamlik.invest.results import InvestmentResult
from jamlik.invest.store import list_investments, read_investment, read_result
from jamlik.programme import Initiative, Programme, list_programmes, read_programme
from jamlik.workspace import Workspace

InvestmentScope = Literal["auto", "programme", "workspace"]
SCOPES: tuple[str, ...] = ("auto", "programme", "workspace")


@dataclass(frozen=True)
class ReportedInvestment:
    """One investment as the report shows it: the investment part, its latest result (None
    when never calculated), its initiative and the programme that holds the initiative."""

    investment: Investment
    result: InvestmentResult | None
    initiative: Initiative | None
    programme: Programme | None
    hidden_periods: frozenset[str] = frozenset()  # the effect's treated values to withhold


@dataclass(frozen=True)
class InvestmentSelection:
    """The investments a report shows, under a resolved scope, and how many it leaves out."""

    scope: Literal["programme", "workspace"]
    programme: str  # the programme reported on
    items: list[ReportedInvestment]
    elsewhere: int = 0  # investments of other programmes left out ("programme" scope)


def check_scope(scope: str) -> None:
    """A JamlikError that names the choices when `scope` is not one of them."""
    if scope not in SCOPES:
        raise JamlikError(
            f"Okänt urval av investeringar / unknown investment scope {scope!r}: "
            f"välj / choose {', '.join(SCOPES)}"
        )


def resolve_scope(scope: str, fictitious: bool) -> Literal["programme", "workspace"]:
    """The scope "auto" stands for, given whether the report rests on example data."""
    check_scope(scope)
    if scope == "auto":
        return "workspace" if fictitious else "programme"
    return scope  # type: ignore[return-value]


def select_investments(
    workspace: Workspace,
    programme_id: str,
    scope: InvestmentScope = "auto",
    *,
    fictitious: bool = False,
    min_population: float | None = None,
    policy: SuppressionPolicy | None = None,
) -> InvestmentSelection:
    """The investments the report on `programme_id` shows under `scope` (see the module),
    with the effect periods the report's policy hides (the workspace's unless `policy`,
    raised to `min_population` if given)."""
    policy = (policy or read_policy(workspace)).at_least(min_population)
    chosen = resolve_scope(scope, fictitious)
    stored = [info.initiative for info in list_investments(workspace)]
    if not stored:
        return InvestmentSelection(chosen, programme_id, [])
    holders = _programmes_holding(workspace, set(stored))
    wanted = [i for i in stored if chosen == "workspace" or _pid(holders.get(i)) == programme_id]
    items = []
    for initiative in wanted:
        investment = read_investment(workspace, initiative)
        result = read_result(workspace, initiative)
        items.append(
            ReportedInvestment(
                investment=investment,
                result=result,
                initiative=_initiative(holders.get(initiative), initiative),
                programme=holders.get(initiative),
                hidden_periods=_hidden_periods(workspace, investment, result, policy),
            )
        )
    items.sort(key=lambda item: _order(item, programme_id))
    return InvestmentSelection(chosen, programme_id, items, elsewhere=len(stored) - len(items))


def _programmes_holding(workspace: Workspace, initiatives: set[str]) -> dict[str, Programme]:
    """Initiative id → the stored programme that holds it."""
    found: dict[str, Programme] = {}
    infos = list_programmes(workspace)
    with workspace.session() as session:
        for info in infos:
            programme = read_programme(session, info.id)
            for ini in programme.initiatives:
                if ini.id in initiatives:
                    found[ini.id] = programme
    return found


def _pid(programme: Programme | None) -> str | None:
    return programme.id if programme is not None else None


def _initiative(programme: Programme | None, initiative_id: str) -> Initiative | None:
    if programme is None:
        return None
    return next((i for i in programme.initiatives if i.id == initiative_id), None)


def _order(item: ReportedInvestment, programme_id: str) -> tuple[int, str, int]:
    """The reported programme's investments first, then by programme; within a programme in
    the programme's own order of initiatives."""
    programme = item.programme
    if programme is None:
        return (2, "", 0)
    ids = [i.id for i in programme.initiatives]
    position = ids.index(item.investment.initiative)
    return (0 if programme.id == programme_id else 1, programme.title, position)


def _hidden_periods(
    workspace: Workspace,
    investment: Investment,
    result: InvestmentResult | None,
    policy: SuppressionPolicy,
) -> frozenset[str]:
    """Periods in which a treated unit's value is suppressed at the report's threshold."""
    effect = result.effect if result is not None else None
    if effect is None or not effect.series or effect.indicator is None:
        return frozenset()
    units = effect.treated
    if not units and investment.evaluation is not None:  # a time series names no units
        units = resolve_units(workspace, investment.evaluation.treated)
    frame = published_observations(workspace, [effect.indicator], policy=policy)
    frame = frame[
        frame["area"].isin(units) & (frame["dimension"] == TOTAL) & (frame["subgroup"] == TOTAL)
    ]
    hidden = is_suppressed_flag(frame["flag"]) | frame["estimate"].isna()
    return frozenset(str(p) for p in frame.loc[hidden, "period"])
