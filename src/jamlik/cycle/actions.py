"""Corrective actions (åtgärder): decided in one period for a node or an initiative, with an
owner actor and a due date, and followed up (done or not, with a comment) in a later period.

Adding one is writing for its owner: the owner's editors, the process leader or an
administrator. Following it up likewise. An action belongs to the period it was decided in, so
closing that period locks its text; its follow-up belongs to the later period and is locked
when that one closes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.cycle.access import require_write
from jamlik.cycle.errors import CycleError, NotFound
from jamlik.cycle.model import Action
from jamlik.cycle.records import (
    claim,
    open_period_row,
    period_row,
    snapshot,
    text,
    trace,
    utcnow,
    who,
)
from jamlik.cycle.tables import ActionRow, PeriodRow

ENTITY = "cycle_action"


def to_action(row: ActionRow) -> Action:
    return Action(
        id=row.id, period_id=row.period_id, programme_id=row.programme_id, node_id=row.node_id,
        initiative_id=row.initiative_id, text=row.text, owner_id=row.owner_id, due=row.due,
        created_at=row.created_at, created_by=row.created_by,
        followup_period_id=row.followup_period_id, followup_done=row.followup_done,
        followup_comment=row.followup_comment, followed_up_at=row.followed_up_at,
        followed_up_by=row.followed_up_by, version=row.version,
    )  # fmt: skip


def add_action(
    session: Session,
    user,
    period_id: int,
    text_: str,
    owner_id: str | None,
    due: date | None,
    *,
    node_id: str | None = None,
    initiative_id: str | None = None,
    now: datetime | None = None,
) -> Action:
    """Decide a corrective action in an open period, about exactly one node or initiative."""
    from jamlik.programme.tables import ActorRow, InitiativeRow, NodeRow

    period = open_period_row(session, period_id)
    if (node_id is None) == (initiative_id is None):
        raise CycleError(
            "En åtgärd gäller en nod eller en insats, inte båda eller ingen / an action concerns "
            "exactly one node or one initiative."
        )
    subject = (
        session.get(NodeRow, node_id) if node_id else session.get(InitiativeRow, initiative_id)
    )
    if subject is None or subject.programme_id != period.programme_id:
        raise NotFound(
            f"Programmet har ingen {'nod' if node_id else 'insats'} {node_id or initiative_id!r} / "
            "no such node or initiative in the programme."
        )
    if owner_id is not None:
        actor = session.get(ActorRow, owner_id)
        if actor is None or actor.programme_id != period.programme_id:
            raise NotFound(f"Ingen aktör {owner_id!r} i programmet / no such actor.")
    require_write(user, "action", owner_id)
    body = text(text_, "text") or ""
    if not body:
        raise CycleError("Beskriv åtgärden / describe the action.")
    at = now or utcnow()
    row = ActionRow(
        period_id=period_id, programme_id=period.programme_id, node_id=node_id,
        initiative_id=initiative_id, text=body, owner_id=owner_id, due=due, created_at=at,
        created_by=who(user), version=1,
    )  # fmt: skip
    session.add(row)
    session.flush()
    trace(session, user, "create", ENTITY, row.id, None, snapshot(row), now=at)
    return to_action(row)


def follow_up_action(
    session: Session,
    user,
    action_id: int,
    period_id: int,
    done: bool,
    comment: str | None,
    version: int,
    *,
    now: datetime | None = None,
) -> Action:
    """Record in a later, open period whether the action was carried out. A comment is
    required when it was not. A stale `version` raises `CycleConflict`."""
    row = session.get(ActionRow, action_id)
    if row is None:
        raise NotFound(f"Ingen åtgärd med id {action_id} / no action {action_id}.")
    period = open_period_row(session, period_id)
    decided = period_row(session, row.period_id)
    if period.programme_id != row.programme_id or period.start_date <= decided.end_date:
        raise CycleError(
            f"En åtgärd från ”{decided.label}” följs upp i en senare period av samma program, "
            f"inte i ”{period.label}” / an action is followed up in a later period."
        )
    if row.followup_period_id not in (None, period_id):
        raise CycleError("Åtgärden är redan uppföljd i en annan period / already followed up.")
    require_write(user, "action", row.owner_id)
    note = text(comment, "comment")
    if not done and not note:
        raise CycleError(
            "Skriv varför åtgärden inte är genomförd / say why the action was not carried out."
        )
    before = snapshot(row)
    claim(session, ActionRow, ENTITY, row.id, version)
    at = now or utcnow()
    row.followup_period_id, row.followup_done, row.followup_comment = period_id, bool(done), note
    row.followed_up_at, row.followed_up_by = at, who(user)
    session.flush()
    trace(session, user, "follow_up", ENTITY, row.id, before, snapshot(row), now=at)
    return to_action(row)


def list_actions(session: Session, programme_id: str, period_id: int | None = None) -> list[Action]:
    """Actions of a programme (decided in `period_id` when given), oldest first."""
    query = select(ActionRow).where(ActionRow.programme_id == programme_id)
    if period_id is not None:
        query = query.where(ActionRow.period_id == period_id)
    return [to_action(r) for r in session.scalars(query.order_by(ActionRow.id))]


def actions_to_follow_up(session: Session, period_id: int) -> list[Action]:
    """Actions decided in earlier periods of the programme that no period has followed up,
    plus those followed up in this one: what this period's forms show."""
    period = session.get(PeriodRow, period_id)
    if period is None:
        raise NotFound(f"Ingen uppföljningsperiod med id {period_id} / no period {period_id}.")
    earlier = select(PeriodRow.id).where(
        PeriodRow.programme_id == period.programme_id, PeriodRow.end_date < period.start_date
    )
    rows = session.scalars(
        select(ActionRow)
        .where(
            ActionRow.period_id.in_(earlier),
            (ActionRow.followup_period_id.is_(None)) | (ActionRow.followup_period_id == period_id),
        )
        .order_by(ActionRow.id)
    )
    return [to_action(r) for r in rows]
