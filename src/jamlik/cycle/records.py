"""Helpers every writer of the cycle shares: the time, who acts, the period lock, the
compare-and-set version claim and the audit trace."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from jamlik.audit import record, row_snapshot
from jamlik.cycle.errors import CycleConflict, NotFound, PeriodClosed
from jamlik.cycle.tables import PeriodRow

# Longest free text accepted in one field (about 20 pages): longer is a paste gone wrong.
MAX_TEXT = 60_000


def utcnow() -> datetime:
    return datetime.now(UTC)


def who(user: Any) -> str | None:
    return None if user is None else getattr(user, "name", str(user))


def period_row(session: Session, period_id: int) -> PeriodRow:
    row = session.get(PeriodRow, period_id)
    if row is None:
        raise NotFound(
            f"Ingen uppföljningsperiod med id {period_id} / no follow-up period {period_id}: "
            "see `jamlik cycle list`."
        )
    return row


def open_period_row(session: Session, period_id: int) -> PeriodRow:
    """The period, or `PeriodClosed` when it is closed (nothing in it may change)."""
    row = period_row(session, period_id)
    if row.state != "open":
        raise PeriodClosed(row.label)
    return row


def claim(session: Session, table: type, entity: str, row_id: int, expected: int | None) -> int:
    """Move the row from version `expected` to the next in one compare-and-set statement (the
    database serialises two saves from one version: exactly one wins), or raise
    `CycleConflict`. `expected` None skips the check (a step that does not come from a form)
    but still moves the version, so forms opened before it are refused."""
    current = session.get(table, row_id)
    if current is None:
        raise NotFound(f"Ingen post {entity} {row_id} / no {entity} {row_id}.")
    base = current.version if expected is None else expected
    done = session.execute(
        update(table)
        .where(table.id == row_id, table.version == base)
        .values(version=base + 1)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        session.refresh(current)
        raise CycleConflict(entity, str(row_id), base, current.version)
    session.refresh(current)
    return base + 1


def text(value: str | None, field: str) -> str | None:
    """A free-text field: stripped, None when empty, refused when absurdly long."""
    from jamlik.cycle.errors import CycleError

    if value is None:
        return None
    if not isinstance(value, str):
        raise CycleError(f"Fältet {field} ska vara text / the field {field} must be text.")
    if "\x00" in value:
        from jamlik.limits import NUL_MESSAGE

        raise CycleError(f"Fältet {field} / the field {field}: {NUL_MESSAGE}")
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise CycleError(
            f"Fältet {field} är för långt ({len(value)} tecken, högst {MAX_TEXT}) / the field "
            f"{field} is too long ({len(value)} characters, at most {MAX_TEXT}): shorten it or "
            "attach the text as a file."
        )
    return value or None


def trace(
    session: Session,
    user: Any,
    action: str,
    entity: str,
    row_id: int | str,
    before: Any,
    after: Any,
    now: datetime | None = None,
) -> None:
    record(session, user, action, entity, row_id, before, after, now=now)


def snapshot(row: Any, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    return row_snapshot(row, exclude=exclude)


def first_save(session: Session, noun_sv: str, noun_en: str) -> None:
    """Flush a newly started record; when someone else started the same one a moment before
    (the unique period × subject pair), say so instead of a database error. The caller's
    transaction is spoilt and rolls back, leaving nothing half-written."""
    from sqlalchemy.exc import IntegrityError

    from jamlik.cycle.errors import CycleError

    try:
        session.flush()
    except IntegrityError:
        raise CycleError(
            f"Någon annan påbörjade {noun_sv} samtidigt; ladda om sidan och fortsätt i den. / "
            f"Someone else started this {noun_en} at the same moment: reload and continue there."
        ) from None
