"""The reporting overview of a period: every report and assessment it expects, where each
stands, per actor and per level, with progress counts; and the reminder list (who, what, by
when), exportable as CSV.

Expected: a report from every initiative running in the period (`scope.runs_in`) and any
report already started; an assessment of every goal, target area, strategy and focus area
with something to weigh (`scope.expected_nodes`), and any assessment already started.
A thing is overdue when it is not yet submitted (missing, draft or returned) after its level's
deadline (`today` > deadline).
"""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.cycle.codes import LEVELS, word
from jamlik.cycle.model import Overview, OverviewItem, Progress, Reminder
from jamlik.cycle.periods import to_period
from jamlik.cycle.records import period_row
from jamlik.cycle.scope import assessed_nodes, expected_initiatives, expected_nodes
from jamlik.cycle.tables import AssessmentRow, ContactRow, ReportRow

NOT_SUBMITTED = ("missing", "draft", "returned")


def _progress(items: list[OverviewItem]) -> Progress:
    counts = {s: sum(i.state == s for i in items) for s in
              ("missing", "draft", "returned", "submitted", "approved")}  # fmt: skip
    return Progress(total=len(items), overdue=sum(i.overdue for i in items), **counts)


def overview(session: Session, period_id: int, today: date) -> Overview:
    """Where the period stands on `today` (see the module docstring)."""
    from jamlik.programme.tables import ActorRow, InitiativeRow

    period = period_row(session, period_id)
    names = {
        a.id: a.name
        for a in session.scalars(
            select(ActorRow).where(ActorRow.programme_id == period.programme_id)
        )
    }
    reports = {
        r.initiative_id: r
        for r in session.scalars(select(ReportRow).where(ReportRow.period_id == period_id))
    }
    assessments = {
        a.node_id: a
        for a in session.scalars(select(AssessmentRow).where(AssessmentRow.period_id == period_id))
    }

    def item(level, kind, subject, title, actor, record) -> OverviewItem:
        deadline = getattr(period, f"deadline_{level}")
        state = record.state if record is not None else "missing"
        return OverviewItem(
            level=level, kind=kind, subject_id=subject, title=title, actor_id=actor,
            actor_name=names.get(actor) if actor else None, deadline=deadline, state=state,
            overdue=state in NOT_SUBMITTED and today > deadline,
            record_id=record.id if record is not None else None,
        )  # fmt: skip

    items: list[OverviewItem] = []
    expected = expected_initiatives(session, period)
    seen = {e.id for e in expected}
    for e in expected:
        rep = reports.get(e.id)
        owner = e.owner_id or (rep.actor_id if rep else None)
        items.append(item("initiative", "report", e.id, e.title, owner, rep))
    for ini_id, rep in sorted(reports.items()):
        if ini_id not in seen:
            ini = session.get(InitiativeRow, ini_id)
            owner = (ini.owner_id if ini else None) or rep.actor_id
            items.append(item("initiative", "report", ini_id, ini.title if ini else ini_id,
                              owner, rep))  # fmt: skip
    expected_ids = set()
    for n in expected_nodes(session, period):
        expected_ids.add(n.id)
        items.append(item(n.level, "assessment", n.id, n.title, n.actor_id, assessments.get(n.id)))
    for n in assessed_nodes(session, period.programme_id):  # written though not asked for
        if n.id not in expected_ids and n.id in assessments:
            items.append(item(n.level, "assessment", n.id, n.title, n.actor_id, assessments[n.id]))

    by_actor: dict[str, list[OverviewItem]] = {}
    by_level: dict[str, list[OverviewItem]] = {lv: [] for lv in LEVELS}
    for i in items:
        by_actor.setdefault(i.actor_id or "", []).append(i)
        by_level[i.level].append(i)
    return Overview(
        period=to_period(period),
        today=today,
        items=tuple(items),
        total=_progress(items),
        by_actor={k: _progress(v) for k, v in sorted(by_actor.items())},
        by_level={k: _progress(v) for k, v in by_level.items()},
    )


def contacts(session: Session) -> dict[str, tuple[str, ...]]:
    """Actor id -> the addresses reminders go to (`jamlik.cycle.mail.set_contact`)."""
    out: dict[str, tuple[str, ...]] = {}
    for r in session.scalars(select(ContactRow)):
        out[r.actor_id] = tuple(a.strip() for a in r.email.split(",") if a.strip())
    return out


def reminders(
    session: Session, period_id: int, today: date, *, overdue_only: bool = False
) -> list[Reminder]:
    """Everything not yet submitted (missing, draft, returned), by deadline then actor: who
    must do what by when. `overdue_only` keeps those past their deadline."""
    ov = overview(session, period_id, today)
    mail = contacts(session)
    out = [
        Reminder(
            actor_id=i.actor_id,
            actor_name=i.actor_name,
            emails=mail.get(i.actor_id or "", ()),
            level=i.level,
            kind=i.kind,
            subject_id=i.subject_id,
            title=i.title,
            deadline=i.deadline,
            state=i.state,
            overdue=i.overdue,
        )  # fmt: skip
        for i in ov.items
        if i.state in NOT_SUBMITTED and (i.overdue or not overdue_only)
    ]
    return sorted(out, key=lambda r: (r.deadline, r.actor_name or "", r.title))


CSV_COLUMNS = ("aktör", "aktör_id", "e-post", "nivå", "vad", "id", "titel", "sista_dag",
               "läge", "försenad")  # fmt: skip


def reminders_csv(items: list[Reminder]) -> str:
    """The reminder list as CSV (UTF-8 text, Swedish headers, one line per thing to do).
    Cells that a spreadsheet would run as a formula are made harmless."""
    from jamlik.spreadsheet_safe import safe_row

    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(CSV_COLUMNS)
    for r in items:
        out.writerow(
            safe_row((
                r.actor_name or "processledaren", r.actor_id or "", ";".join(r.emails),
                word(r.level), "rapport" if r.kind == "report" else "bedömning", r.subject_id,
                r.title, r.deadline.isoformat(), word(r.state), "ja" if r.overdue else "nej",
            ))
        )  # fmt: skip
    return buf.getvalue()
