"""Node assessments per period: a written assessment (analys, bedömning, åtgärder) and a
judged status beside the status the roll-up rule proposes (`jamlik.cycle.rollup`).

The proposal is computed when the assessment starts and at every save, and stored beside the
judged status with its reason and counts; neither replaces the other. Judging differently from
the proposal needs a reason (checked at submission). An assessment is written by the editors
of the node's responsible actor (`set_responsible`) or by the process leader; nodes without a
responsible actor by the process leader only.

Indicator statuses come from `jamlik.followup` (`indicator_statuses(workspace, programme, year)`)
and are passed in, because building the follow-up reads the whole observation store: a page
computes them once for all its nodes. Indicators without a status (none passed, or not in the
mapping) are left out of the proposal, and its reason says how many.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.cycle.access import may_read, programme_published, require_write
from jamlik.cycle.codes import ASSESSED_KINDS, NODE_STATUSES, word
from jamlik.cycle.errors import CycleError, NotFound
from jamlik.cycle.model import Assessment, AssessmentContent
from jamlik.cycle.periods import previous_period
from jamlik.cycle.records import (
    claim,
    first_save,
    open_period_row,
    period_row,
    snapshot,
    text,
    trace,
    utcnow,
    who,
)
from jamlik.cycle.rollup import Rollup, roll_up
from jamlik.cycle.scope import gather, responsible, runs_in
from jamlik.cycle.tables import AssessmentRow, ReportRow, ResponsibleRow

ENTITY = "cycle_assessment"
COUNTED_STATES = ("submitted", "approved")  # reports and assessments the roll-up weighs


def indicator_statuses(
    workspace, programme_id: str, year: int, today: date | None = None
) -> dict[str, str]:
    """Indicator id -> its follow-up status (improving, worsening, mixed, unchanged, no_data)
    in `year`, from `jamlik.followup.build_followup`."""
    from jamlik.followup import build_followup

    fu = build_followup(workspace, programme_id, year, today=today)
    return {i.indicator: i.status for i in fu.indicators}


def _node(session: Session, programme_id: str, node_id: str):
    from jamlik.programme.tables import NodeRow

    node = session.get(NodeRow, node_id)
    if node is None or node.programme_id != programme_id:
        raise NotFound(
            f"Programmet {programme_id} har ingen nod {node_id!r} / the programme has no such node."
        )
    return node


def assessment_owner(session: Session, row: AssessmentRow) -> str | None:
    """The responsible actor now (`set_responsible`), else the one when it was started."""
    found = session.get(ResponsibleRow, (row.programme_id, row.node_id))
    return found.actor_id if found is not None else row.actor_id


def propose(
    session: Session,
    period_id: int,
    node_id: str,
    indicators: Mapping[str, str] | None = None,
    _memo: dict[str, str] | None = None,
) -> Rollup:
    """The roll-up rule's proposal for a node in a period (nothing is stored).

    Initiatives count by their submitted or approved report's status; initiatives running in
    the period without one count as missing. Assessed children count by their judged status
    when submitted or approved, else by their own proposal (computed the same way)."""
    from jamlik.programme.tables import InitiativeRow

    period = period_row(session, period_id)
    memo = {} if _memo is None else _memo
    got = gather(session, period.programme_id, node_id)
    reports = {
        r.initiative_id: r
        for r in session.scalars(
            select(ReportRow).where(
                ReportRow.period_id == period_id, ReportRow.initiative_id.in_(got.initiatives)
            )
        )
    }
    statuses, missing = [], 0
    for ini_id in got.initiatives:
        rep = reports.get(ini_id)
        if rep is not None and rep.state in COUNTED_STATES and rep.status:
            statuses.append(rep.status)
            continue
        ini = session.get(InitiativeRow, ini_id)
        if ini is not None and runs_in(
            ini.period_start, ini.period_end, period.start_date, period.end_date
        ):
            missing += 1
    children = []
    for child in got.children:
        if child not in memo:
            row = session.scalar(
                select(AssessmentRow).where(
                    AssessmentRow.period_id == period_id, AssessmentRow.node_id == child
                )
            )
            if row is not None and row.state in COUNTED_STATES and row.judged_status:
                memo[child] = row.judged_status
            else:
                memo[child] = propose(session, period_id, child, indicators, memo).status
        children.append(memo[child])
    ind = [indicators[i] for i in got.indicators if indicators and i in indicators]
    result = roll_up(statuses, children, ind, missing=missing)
    left_out = len(got.indicators) - len(ind)
    if not left_out:
        return result
    many = left_out != 1
    return replace(
        result,
        reason_sv=result.reason_sv + f" {left_out} av nodens indikatorer saknar status och "
        "ingick inte i förslaget.",
        reason_en=result.reason_en + f" {left_out} of the node's indicators "
        f"{'have' if many else 'has'} no status and {'were' if many else 'was'} left out.",
    )


def _store_proposal(row: AssessmentRow, result: Rollup, at: datetime) -> None:
    row.computed_status = result.status
    row.computed_reason_sv = result.reason_sv
    row.computed_reason_en = result.reason_en
    row.computed_counts = {
        "positive": result.positive, "partial": result.partial, "negative": result.negative,
        "uncounted": result.uncounted, "missing": result.missing, **result.counts,
    }  # fmt: skip
    row.computed_at = at


def to_assessment(session: Session, row: AssessmentRow) -> Assessment:
    from jamlik.programme.tables import NodeRow

    node = session.get(NodeRow, row.node_id)
    return Assessment(
        id=row.id,
        period_id=row.period_id,
        programme_id=row.programme_id,
        node_id=row.node_id,
        node_kind=row.node_kind,
        node_title=node.title if node is not None else None,
        actor_id=assessment_owner(session, row),
        state=row.state,
        analysis=row.analysis,
        judgement=row.judgement,
        measures=row.measures,
        judged_status=row.judged_status,
        judged_reason=row.judged_reason,
        computed_status=row.computed_status,
        computed_reason_sv=row.computed_reason_sv,
        computed_reason_en=row.computed_reason_en,
        computed_counts=dict(row.computed_counts) if row.computed_counts else None,
        computed_at=row.computed_at,
        return_comment=row.return_comment,
        version=row.version,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        submitted_at=row.submitted_at,
        submitted_by=row.submitted_by,
        reviewed_at=row.reviewed_at,
        reviewed_by=row.reviewed_by,
    )


def start_assessment(
    session: Session,
    user,
    period_id: int,
    node_id: str,
    indicators: Mapping[str, str] | None = None,
    *,
    now: datetime | None = None,
) -> Assessment:
    """The node's assessment for the period, started as a draft with the proposal computed and
    the texts of the previous period's assessment carried forward, if there is none yet.
    Audited as `create cycle_assessment`."""
    period = open_period_row(session, period_id)
    node = _node(session, period.programme_id, node_id)
    if node.kind not in ASSESSED_KINDS:
        raise CycleError(
            f"Noden {node_id} är av typen {node.kind}, som inte bedöms; bedöm noden ovanför / "
            f"nodes of kind {node.kind} are not assessed: assess the node above it. Assessed "
            f"kinds: {', '.join(ASSESSED_KINDS)}."
        )
    existing = session.scalar(
        select(AssessmentRow).where(
            AssessmentRow.period_id == period_id, AssessmentRow.node_id == node_id
        )
    )
    if existing is not None:
        require_write(user, "assessment", assessment_owner(session, existing))
        return to_assessment(session, existing)
    actor = responsible(session, period.programme_id).get(node_id)
    require_write(user, "assessment", actor)
    prev_period = previous_period(session, period_id)
    prev = None
    if prev_period is not None:
        prev = session.scalar(
            select(AssessmentRow).where(
                AssessmentRow.period_id == prev_period.id, AssessmentRow.node_id == node_id
            )
        )
    at = now or utcnow()
    row = AssessmentRow(
        period_id=period_id,
        programme_id=period.programme_id,
        node_id=node_id,
        node_kind=node.kind,
        actor_id=actor,
        state="draft",
        analysis=prev.analysis if prev else None,
        judgement=prev.judgement if prev else None,
        measures=prev.measures if prev else None,
        version=1,
        updated_at=at,
        updated_by=who(user),
    )
    _store_proposal(row, propose(session, period_id, node_id, indicators), at)
    session.add(row)
    first_save(session, "bedömningen", "assessment")
    trace(session, user, "create", ENTITY, row.id, None, snapshot(row), now=at)
    return to_assessment(session, row)


def _row(session: Session, assessment_id: int) -> AssessmentRow:
    row = session.get(AssessmentRow, assessment_id)
    if row is None:
        raise NotFound(f"Ingen bedömning med id {assessment_id} / no assessment {assessment_id}.")
    return row


def save_assessment(
    session: Session,
    user,
    assessment_id: int,
    version: int,
    content: AssessmentContent,
    indicators: Mapping[str, str] | None = None,
    *,
    now: datetime | None = None,
) -> Assessment:
    """Store a draft or returned assessment's texts and judged status in one save, and
    recompute the proposal beside it. A stale `version` raises `CycleConflict`. Audited."""
    row = _row(session, assessment_id)
    open_period_row(session, row.period_id)
    require_write(user, "assessment", assessment_owner(session, row))
    if row.state not in ("draft", "returned"):
        raise CycleError(
            f"Bedömningen är {word(row.state)} och kan inte ändras; processledaren kan skicka "
            f"tillbaka den. / The assessment is {row.state} and cannot be changed."
        )
    status = content.judged_status or None
    if status is not None and status not in NODE_STATUSES:
        raise CycleError(
            f"Okänd status {status!r} / unknown status: choose one of {', '.join(NODE_STATUSES)}."
        )
    values = {
        "analysis": text(content.analysis, "analysis"),
        "judgement": text(content.judgement, "judgement"),
        "measures": text(content.measures, "measures"),
        "judged_status": status,
        "judged_reason": text(content.judged_reason, "judged_reason"),
    }
    before = snapshot(row)
    claim(session, AssessmentRow, ENTITY, row.id, version)
    at = now or utcnow()
    for key, value in values.items():
        setattr(row, key, value)
    _store_proposal(row, propose(session, row.period_id, row.node_id, indicators), at)
    row.updated_at, row.updated_by = at, who(user)
    session.flush()
    trace(session, user, "edit", ENTITY, row.id, before, snapshot(row), now=at)
    return to_assessment(session, row)


def check_submittable(row: AssessmentRow) -> list[str]:
    """What an assessment lacks before it can be submitted."""
    problems = []
    if row.judged_status is None:
        problems.append("bedömd status saknas / the judged status is missing")
    elif row.judged_status != row.computed_status and not row.judged_reason:
        problems.append(
            f"bedömd status ({word(row.judged_status)}) avviker från förslaget "
            f"({word(row.computed_status or 'not_assessable')}) och behöver en motivering / the "
            "judged status differs from the proposal and needs a reason"
        )
    return problems


def get_assessment(session: Session, user, assessment_id: int) -> Assessment:
    """One assessment, if `user` may read it in its state (`NotFound` otherwise)."""
    row = _row(session, assessment_id)
    if not may_read(user, assessment_owner(session, row), row.state,
                    published=programme_published(session, row.programme_id)):  # fmt: skip
        raise NotFound(f"Ingen bedömning med id {assessment_id} / no assessment {assessment_id}.")
    return to_assessment(session, row)


def list_assessments(
    session: Session,
    user,
    *,
    programme_id: str | None = None,
    period_id: int | None = None,
    node_id: str | None = None,
) -> list[Assessment]:
    """The assessments `user` may read, oldest period first."""
    from jamlik.cycle.tables import PeriodRow

    query = select(AssessmentRow).join(PeriodRow, PeriodRow.id == AssessmentRow.period_id)
    if programme_id is not None:
        query = query.where(AssessmentRow.programme_id == programme_id)
    if period_id is not None:
        query = query.where(AssessmentRow.period_id == period_id)
    if node_id is not None:
        query = query.where(AssessmentRow.node_id == node_id)
    out = []
    for row in session.scalars(query.order_by(PeriodRow.end_date, AssessmentRow.id)):
        if may_read(user, assessment_owner(session, row), row.state,
                    published=programme_published(session, row.programme_id)):  # fmt: skip
            out.append(to_assessment(session, row))
    return out


def approved_assessments(
    session: Session, programme_id: str, period_id: int | None = None
) -> list[Assessment]:
    """Only approved assessments: what readers, visitors and the published report may show."""
    query = select(AssessmentRow).where(
        AssessmentRow.programme_id == programme_id, AssessmentRow.state == "approved"
    )
    if period_id is not None:
        query = query.where(AssessmentRow.period_id == period_id)
    return [to_assessment(session, r) for r in session.scalars(query.order_by(AssessmentRow.id))]


def set_responsible(
    session: Session, user, programme_id: str, node_id: str, actor_id: str | None, *, now=None
) -> None:
    """Make `actor_id`'s editors responsible for assessing the node (None: the process leader
    alone). Process leader or administrator; audited."""
    from jamlik.cycle.access import require_periods
    from jamlik.programme.tables import ActorRow

    require_periods(user)
    node = _node(session, programme_id, node_id)
    if node.kind not in ASSESSED_KINDS:
        raise CycleError(
            f"Noder av typen {node.kind} bedöms inte / {node.kind} nodes are not assessed."
        )
    if actor_id is not None:
        actor = session.get(ActorRow, actor_id)
        if actor is None or actor.programme_id != programme_id:
            raise NotFound(
                f"Ingen aktör {actor_id!r} i programmet / no such actor in the programme."
            )
    row = session.get(ResponsibleRow, (programme_id, node_id))
    before = None if row is None else row.actor_id
    if actor_id is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(ResponsibleRow(programme_id=programme_id, node_id=node_id, actor_id=actor_id))
    else:
        row.actor_id = actor_id
    session.flush()
    trace(session, user, "edit", "cycle_responsible", f"{programme_id}/{node_id}",
          {"actor_id": before}, {"actor_id": actor_id}, now=now)  # fmt: skip
