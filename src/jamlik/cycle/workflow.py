"""The workflow of reports and assessments: draft → submitted → returned (with a comment) →
submitted → approved. Every step is audited (`submit`, `return`, `approve` on `cycle_report`
or `cycle_assessment`) and moves the record's version, so a form opened before a step cannot
save over it.

- submit: from draft or returned, by whoever may write the record (its actor's editors, the
  process leader, an administrator); the record must be complete (a report's status, and a
  comment when it is not on track; an assessment's judged status, and a reason when it differs
  from the proposal).
- return: from submitted or approved, by the process leader or an administrator, with a
  comment saying what to change.
- approve: from submitted, by the process leader or an administrator who did not submit it
  themselves (four eyes: nobody approves their own submission).
Nothing moves in a closed period.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from jamlik.cycle.access import require_review, require_write
from jamlik.cycle.codes import word
from jamlik.cycle.errors import CycleError, NotFound, WorkflowError
from jamlik.cycle.records import claim, open_period_row, snapshot, text, trace, utcnow, who
from jamlik.cycle.tables import AssessmentRow, ReportRow

RecordKind = Literal["report", "assessment"]
_TABLES: dict[str, tuple[type[ReportRow] | type[AssessmentRow], str]] = {
    "report": (ReportRow, "cycle_report"),
    "assessment": (AssessmentRow, "cycle_assessment"),
}
_NOUN = {"report": ("rapporten", "report"), "assessment": ("bedömningen", "assessment")}


def _load(session: Session, kind: RecordKind, record_id: int):
    if kind not in _TABLES:
        raise ValueError(f"unknown record kind {kind!r}; one of {sorted(_TABLES)}")
    table, entity = _TABLES[kind]
    row = session.get(table, record_id)
    if row is None:
        raise NotFound(f"Ingen {_NOUN[kind][0]} med id {record_id} / no {kind} {record_id}.")
    assert isinstance(row, (ReportRow, AssessmentRow))  # the session's get keeps the table's class
    open_period_row(session, row.period_id)
    return row, table, entity


def _owner(session: Session, kind: RecordKind, row) -> str | None:
    if kind == "report":
        from jamlik.cycle.reports import report_owner

        return report_owner(session, row)
    return row.actor_id


def _wrong_state(kind: RecordKind, row, step_sv: str, step_en: str) -> WorkflowError:
    sv, en = _NOUN[kind]
    return WorkflowError(
        f"{sv.capitalize()} är {word(row.state)} och kan inte {step_sv} / the {en} is "
        f"{row.state} and cannot be {step_en}."
    )


def submit(
    session: Session,
    user,
    kind: RecordKind,
    record_id: int,
    *,
    version: int | None = None,
    now: datetime | None = None,
) -> int:
    """Submit a draft or returned record for review; returns its new version."""
    row, table, entity = _load(session, kind, record_id)
    require_write(user, kind, _owner(session, kind, row))
    if row.state not in ("draft", "returned"):
        raise _wrong_state(kind, row, "skickas in", "submitted")
    if kind == "report":
        from jamlik.cycle.reports import check_submittable as check_report

        problems = check_report(row)
    else:
        from jamlik.cycle.assessments import check_submittable as check_assessment

        problems = check_assessment(row)
    if problems:
        sv, en = _NOUN[kind]
        raise CycleError(
            f"{sv.capitalize()} kan inte skickas in än / the {en} cannot be submitted yet: "
            + "; ".join(problems)
        )
    before = snapshot(row)
    new = claim(session, table, entity, row.id, version)
    at = now or utcnow()
    row.state, row.submitted_at, row.submitted_by = "submitted", at, who(user)
    session.flush()
    trace(session, user, "submit", entity, row.id, before, snapshot(row), now=at)
    return new


def send_back(
    session: Session,
    user,
    kind: RecordKind,
    record_id: int,
    comment: str,
    *,
    version: int | None = None,
    now: datetime | None = None,
) -> int:
    """Return a submitted (or approved) record to its writers with a comment saying what to
    change; returns its new version."""
    row, table, entity = _load(session, kind, record_id)
    require_review(user, kind)
    comment = text(comment, "comment") or ""
    if not comment:
        raise CycleError(
            "Skriv vad som behöver ändras / write what needs to change: a returned "
            f"{kind} needs a comment."
        )
    if row.state not in ("submitted", "approved"):
        raise _wrong_state(kind, row, "skickas tillbaka", "returned")
    before = snapshot(row)
    new = claim(session, table, entity, row.id, version)
    at = now or utcnow()
    row.state, row.return_comment = "returned", comment
    row.reviewed_at, row.reviewed_by = at, who(user)
    session.flush()
    trace(session, user, "return", entity, row.id, before, snapshot(row), now=at)
    return new


def approve(
    session: Session,
    user,
    kind: RecordKind,
    record_id: int,
    *,
    version: int | None = None,
    now: datetime | None = None,
) -> int:
    """Approve a submitted record (it becomes visible to readers and visitors); returns its
    new version."""
    row, table, entity = _load(session, kind, record_id)
    require_review(user, kind)
    if row.state != "submitted":
        raise _wrong_state(kind, row, "godkännas", "approved")
    if row.submitted_by is not None and row.submitted_by == who(user):
        sv, en = _NOUN[kind]
        raise WorkflowError(
            f"Du skickade själv in {sv} och kan inte godkänna den; en annan processledare eller "
            f"en administratör godkänner. / You submitted this {en} yourself and cannot approve "
            "it; another process leader or an administrator approves it."
        )
    before = snapshot(row)
    new = claim(session, table, entity, row.id, version)
    at = now or utcnow()
    row.state, row.return_comment = "approved", None
    row.reviewed_at, row.reviewed_by = at, who(user)
    session.flush()
    trace(session, user, "approve", entity, row.id, before, snapshot(row), now=at)
    return new
