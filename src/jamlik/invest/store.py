"""Investments in a workspace: import (all or nothing), read back, list; calculation results.

Importing checks every reference against the workspace first (the initiative, actors,
indicators, evaluation units) and writes nothing when anything is wrong. Re-importing an
identical investment changes nothing; a changed one replaces the stored one and drops its
stored result, which no longer matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jamlik.data import known_ids
from jamlik.data.tables import AreaRow
from jamlik.errors import JamlikError, Problem, ValidationError
from jamlik.invest.model import Investment
from jamlik.invest.results import InvestmentResult
from jamlik.invest.tables import (
    InvestmentCostRow,
    InvestmentFollowupRow,
    InvestmentLogicIndicatorRow,
    InvestmentOutcomeRow,
    InvestmentResultRow,
    InvestmentRow,
)
from jamlik.invest.yamlio import investment_document, load_investments_with_origin
from jamlik.programme.tables import ActorRow, InitiativeRow
from jamlik.workspace import Workspace
from jamlik.yamlio import Document

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class InvestmentImportSummary:
    """What `import_investments` did."""

    imported: list[str]
    unchanged: list[str]

    def __str__(self) -> str:
        parts = []
        if self.imported:
            parts.append(f"importerade / imported: {', '.join(self.imported)}")
        if self.unchanged:
            parts.append(f"oförändrade / unchanged: {', '.join(self.unchanged)}")
        return "Investeringar / investments – " + "; ".join(parts)


@dataclass(frozen=True)
class InvestmentInfo:
    """One stored investment, for listings."""

    initiative: str
    title: str | None
    funder: str | None
    design: str
    total_cost: float
    fictitious: bool
    society_npv: float | None  # from the stored result, when calculated
    computed_at: str | None


def _require(workspace: Workspace) -> None:
    if not workspace.exists:
        raise JamlikError(
            f"ingen arbetsyta / no workspace at {workspace.path}; run `jamlik init --workspace DIR` first"
        )
    workspace.init()


def workspace_issues(session: Session, inv: Investment) -> list[tuple[Loc, str]]:
    """References of one investment that the workspace does not hold."""
    issues: list[tuple[Loc, str]] = []
    if session.get(InitiativeRow, inv.initiative) is None:
        issues.append(
            (
                ("initiative",),
                f"insatsen '{inv.initiative}' finns inte i arbetsytan / initiative not in the workspace; import its programme first",
            )
        )
    actors = set(session.scalars(select(ActorRow.id)))
    if inv.funder is not None and inv.funder not in actors:
        issues.append((("funder",), f"actor '{inv.funder}' is not in the workspace"))
    for i, cost in enumerate(inv.costs):
        if cost.actor is not None and cost.actor not in actors:
            issues.append((("costs", i, "actor"), f"actor '{cost.actor}' is not in the workspace"))
    indicators = known_ids(session, "indicator")
    wanted: list[tuple[Loc, str]] = [
        (("outcomes", i, "indicator"), o.indicator)
        for i, o in enumerate(inv.outcomes)
        if o.indicator
    ]
    if inv.logic_model is not None:
        for level, i, item in inv.logic_model.items():
            wanted += [
                (("logic_model", level, i, "indicators", j), ind)
                for j, ind in enumerate(item.indicators)
            ]
    ev = inv.evaluation
    if ev is not None and ev.indicator:
        wanted.append((("evaluation", "indicator"), ev.indicator))
    if ev is not None:
        wanted += [(("evaluation", "covariates", j), c) for j, c in enumerate(ev.covariates)]
    issues += [
        (loc, f"indicator '{ind}' is not defined in the workspace; import the definitions first")
        for loc, ind in wanted
        if ind not in indicators
    ]
    if ev is not None:
        areas = {row.id: row.code for row in session.scalars(select(AreaRow))}
        codes = {c for c in areas.values() if c}
        for key in ("treated", "comparison"):
            for j, unit in enumerate(getattr(ev, key)):
                if unit not in areas and unit not in codes:
                    issues.append(
                        (
                            ("evaluation", key, j),
                            f"'{unit}' is neither an area id nor an area code in the workspace",
                        )
                    )
    return issues


def import_investments(
    workspace: Workspace, investments: list[Investment] | str | Path, *, source: str | None = None
) -> InvestmentImportSummary:
    """Store investments (a list, or the path of an investment file) in a workspace.

    Validates everything first; raises ValidationError and writes nothing when anything fails.
    """
    located: Document | None = None
    if isinstance(investments, str | Path):
        source = source or str(investments)
        investments, located = load_investments_with_origin(investments)
    _require(workspace)
    imported, unchanged = [], []
    with workspace.session() as session:
        problems = []
        for i, inv in enumerate(investments):
            for loc, msg in workspace_issues(session, inv):
                full = ("investments", i, *loc)
                problems.append(
                    located.problem(full, msg)
                    if located
                    else Problem(
                        f"investment '{inv.initiative}'", msg, field=".".join(map(str, loc))
                    )
                )
        if problems:
            raise ValidationError(problems)
        for inv in investments:
            document = investment_document(inv)
            row = session.get(InvestmentRow, inv.initiative)
            if row is not None and row.document == document:
                unchanged.append(inv.initiative)
                continue
            _delete(session, inv.initiative)
            session.flush()
            _write(session, inv, document, source)
            imported.append(inv.initiative)
    return InvestmentImportSummary(imported, unchanged)


def _delete(session: Session, initiative: str) -> None:
    for table in (
        InvestmentResultRow,
        InvestmentCostRow,
        InvestmentOutcomeRow,
        InvestmentLogicIndicatorRow,
        InvestmentFollowupRow,
        InvestmentRow,
    ):
        session.execute(delete(table).where(table.initiative_id == initiative))


def _write(session: Session, inv: Investment, document: dict, source: str | None) -> None:
    ev = inv.evaluation
    session.add(
        InvestmentRow(
            initiative_id=inv.initiative,
            funder_id=inv.funder,
            funder_text=inv.funder_text,
            price_year=inv.price_year,
            base_year=inv.first_year,
            horizon=inv.horizon,
            design=ev.design if ev else "none",
            fictitious=inv.fictitious,
            document=document,
            source=source,
            imported_at=datetime.now(UTC),
        )  # fmt: skip
    )
    session.flush()
    for i, c in enumerate(inv.costs):
        session.add(InvestmentCostRow(initiative_id=inv.initiative, position=i, year=c.year, payer=c.payer,
                                      committee=c.committee, actor_id=c.actor, amount=c.amount.mean()))  # fmt: skip
    for i, o in enumerate(inv.outcomes):
        session.add(InvestmentOutcomeRow(initiative_id=inv.initiative, outcome_id=o.id, position=i, title=o.title,
                                         indicator_id=o.indicator, unit_value_id=o.unit_value, basis=o.basis))  # fmt: skip
    if inv.logic_model is not None:
        seen = set()
        for level, _, item in inv.logic_model.items():
            for ind in item.indicators:
                if (item.id, ind) not in seen:
                    seen.add((item.id, ind))
                    session.add(InvestmentLogicIndicatorRow(initiative_id=inv.initiative, item_id=item.id,
                                                            indicator_id=ind, level=level))  # fmt: skip
    for f in inv.followup:
        session.add(InvestmentFollowupRow(initiative_id=inv.initiative, year=f.year, note=f.note,
                                          note_en=f.note_en, spent_sek=f.spent_sek))  # fmt: skip


def read_investment(workspace: Workspace, initiative: str) -> Investment:
    """The stored investment part of an initiative (JamlikError when there is none)."""
    _require(workspace)
    with workspace.session() as session:
        row = session.get(InvestmentRow, initiative)
        if row is None:
            known = sorted(session.scalars(select(InvestmentRow.initiative_id)))
            hint = (
                f"; stored: {', '.join(known)}"
                if known
                else "; import an investment file first (jamlik invest import FILE)"
            )
            raise JamlikError(
                f"ingen investering för insatsen / no investment for initiative '{initiative}'{hint}"
            )
        return Investment.model_validate(row.document)


def initiative_titles(workspace: Workspace, initiative: str) -> tuple[str | None, str | None]:
    """The initiative's title and English title from its programme."""
    with workspace.session() as session:
        row = session.get(InitiativeRow, initiative)
        return (row.title, row.title_en) if row else (None, None)


def list_investments(workspace: Workspace) -> list[InvestmentInfo]:
    """Every stored investment with its total cost and, when calculated, society's NPV."""
    _require(workspace)
    out = []
    with workspace.session() as session:
        for row in session.scalars(select(InvestmentRow).order_by(InvestmentRow.initiative_id)):
            initiative = session.get(InitiativeRow, row.initiative_id)
            total = sum(
                c.amount
                for c in session.scalars(
                    select(InvestmentCostRow).where(
                        InvestmentCostRow.initiative_id == row.initiative_id
                    )
                )
            )
            result = session.get(InvestmentResultRow, row.initiative_id)
            npv = None
            if result is not None:
                npv = next(
                    (
                        p["npv"]
                        for p in result.result["perspectives"]
                        if p["perspective"] == "society"
                    ),
                    None,
                )
            out.append(InvestmentInfo(
                initiative=row.initiative_id, title=initiative.title if initiative else None,
                funder=row.funder_id or row.funder_text, design=row.design, total_cost=total,
                fictitious=row.fictitious, society_npv=npv,
                computed_at=result.computed_at.isoformat(timespec="seconds") if result else None,
            ))  # fmt: skip
    return out


def save_result(workspace: Workspace, result: InvestmentResult) -> None:
    """Store (replace) the latest result of an investment."""
    with workspace.session() as session:
        session.execute(
            delete(InvestmentResultRow).where(
                InvestmentResultRow.initiative_id == result.initiative
            )
        )
        session.add(InvestmentResultRow(
            initiative_id=result.initiative,
            computed_at=datetime.fromisoformat(result.computed_at) if result.computed_at else datetime.now(UTC),
            draws=result.settings.draws, seed=result.settings.seed,
            result=result.model_dump(mode="json"),
        ))  # fmt: skip


def read_result(workspace: Workspace, initiative: str) -> InvestmentResult | None:
    """The latest stored result of an investment, or None when it has not been calculated."""
    _require(workspace)
    with workspace.session() as session:
        row = session.get(InvestmentResultRow, initiative)
        return None if row is None else InvestmentResult.model_validate(row.result)
