"""Optimistic locking: a save names the version it started from and is refused when another
save came first, instead of silently overwriting it.

The form carries the version it was opened at (`current_version`); the save calls
`claim_version(session, entity, id, expected)` in the same transaction as the change. The
claim is one compare-and-set statement (`UPDATE … WHERE version = expected`), which the
database serialises: of two saves from the same version exactly one succeeds, on SQLite and
on PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jamlik.audit.tables import RecordVersionRow
from jamlik.errors import JamlikError

# Swedish definite forms for the message ("Någon annan har sparat insatsen …").
NOUNS = {
    "initiative": "insatsen",
    "reach": "nåendet",
    "node": "noden",
    "programme": "programmet",
    "indicator": "indikatorn",
    "actor": "aktören",
    "user": "användaren",
}


class ConflictError(JamlikError):
    """Someone else saved the record after this editor opened it."""

    def __init__(self, entity: str, entity_id: str, expected: int, current: int | None) -> None:
        self.entity = entity
        self.entity_id = entity_id
        self.expected = expected
        self.current = current
        noun = NOUNS.get(entity, "posten")
        super().__init__(
            f"Någon annan har sparat {noun} sedan du öppnade den. Dina ändringar har inte "
            "sparats: ladda om sidan, se vad som ändrats och gör om dina ändringar. / "
            f"Someone else saved this {entity} ({entity_id}) after you opened it (version "
            f"{expected}{'' if current is None else f', now {current}'}); nothing was saved. "
            "Reload and make your changes again."
        )


def current_version(session: Session, entity: str, entity_id: str) -> int:
    """The record's version: 0 until its first versioned save."""
    found = session.scalar(
        select(RecordVersionRow.version).where(
            RecordVersionRow.entity == entity, RecordVersionRow.entity_id == entity_id
        )
    )
    return found or 0


def claim_version(session: Session, entity: str, entity_id: str, expected: int) -> int:
    """Move the record from version `expected` to the next and return it, or raise
    `ConflictError` when the record is no longer at `expected`.

    Call it in the transaction that saves the change: when the transaction rolls back, the
    claim does too.
    """
    if expected == 0:
        # No savepoint here: on SQLite a savepoint opened as the transaction's first statement
        # commits on release, and the claim must roll back with the rest of a failed save.
        found = current_version(session, entity, entity_id)
        if found != 0:
            raise ConflictError(entity, entity_id, expected, found)
        try:
            session.add(RecordVersionRow(entity=entity, entity_id=entity_id, version=1))
            session.flush()
        except IntegrityError:
            # Another first save won the race; this transaction is spoilt and must roll back.
            raise ConflictError(entity, entity_id, expected, None) from None
        return 1
    done = session.execute(
        update(RecordVersionRow)
        .where(
            RecordVersionRow.entity == entity,
            RecordVersionRow.entity_id == entity_id,
            RecordVersionRow.version == expected,
        )
        .values(version=expected + 1)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise ConflictError(
            entity, entity_id, expected, current_version(session, entity, entity_id)
        )
    return expected + 1


def bump_version(session: Session, entity: str, entity_id: str) -> int:
    """Advance the record's version unconditionally (for changes that do not come from a form,
    such as a programme re-import), so forms opened before it are refused."""
    return claim_version(session, entity, entity_id, current_version(session, entity, entity_id))


def check_version(entity: str, entity_id: str, expected: int, actual: int) -> None:
    """Raise `ConflictError` when a record carrying its own version column has moved on."""
    if expected != actual:
        raise ConflictError(entity, entity_id, expected, actual)
