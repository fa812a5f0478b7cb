"""Writing and reading the audit log.

`record(...)` adds one entry to the caller's session, so the entry commits or rolls back
together with the change it describes. There is deliberately no function that changes or
removes an entry, and the ORM refuses to flush one that was altered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from jamlik.audit.tables import AuditRow
from jamlik.errors import JamlikError


class AuditError(JamlikError):
    """Someone tried to change the audit log, or recorded an entry without a subject."""


class Named(Protocol):
    # Read-only so a frozen User satisfies it.
    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class AuditEntry:
    """One entry as read back: `before` and `after` are the parsed JSON values."""

    id: int
    at: datetime
    user: str | None
    action: str
    entity: str
    entity_id: str | None
    before: Any
    after: Any


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot record a {type(value).__name__} in the audit log")


def to_json(value: Any) -> str | None:
    """Canonical JSON for the log: sorted keys, Unicode kept, dates as ISO 8601."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_default)


def row_snapshot(row: Any, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The column values of an ORM row as a dict, for `before`/`after`."""
    mapper = inspect(row).mapper
    return {
        attr.key: getattr(row, attr.key) for attr in mapper.column_attrs if attr.key not in exclude
    }


def _who(user: Named | str | None) -> str | None:
    if user is None or isinstance(user, str):
        return user
    return user.name


def record(
    session: Session,
    actor_user: Named | str | None,
    action: str,
    entity: str,
    entity_id: str | int | None,
    before: Any,
    after: Any,
    *,
    now: datetime | None = None,
) -> AuditEntry:
    """Add an entry for a change made in `session`'s transaction.

    `actor_user` is the `User` who made the change, a text for other channels ("cli:root",
    "system"), or None when nobody can be named. `before`/`after` are JSON-able values
    (None for a record created or deleted).
    """
    if not action or not entity:
        raise AuditError("an audit entry needs an action and an entity")
    row = AuditRow(
        at=now or datetime.now(UTC),
        user_name=_who(actor_user),
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=to_json(before),
        after=to_json(after),
    )
    session.add(row)
    session.flush()
    return _entry(row)


def _entry(row: AuditRow) -> AuditEntry:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    return AuditEntry(
        id=row.id,
        at=at,
        user=row.user_name,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        before=None if row.before is None else json.loads(row.before),
        after=None if row.after is None else json.loads(row.after),
    )


def read_log(
    session: Session,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    user: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
    offset: int = 0,
    newest_first: bool = False,
) -> list[AuditEntry]:
    """Entries matching every filter given, in the order they were written (or newest first):
    at most `limit` of them, after skipping the first `offset` (one page of a long log).

    Reading is for administrators; the caller checks `can(user, "view", "audit")`.
    """
    query = select(AuditRow)
    if entity is not None:
        query = query.where(AuditRow.entity == entity)
    if entity_id is not None:
        query = query.where(AuditRow.entity_id == entity_id)
    if user is not None:
        query = query.where(AuditRow.user_name == user)
    if since is not None:
        query = query.where(AuditRow.at >= since)
    if until is not None:
        query = query.where(AuditRow.at < until)
    query = query.order_by(AuditRow.id.desc() if newest_first else AuditRow.id)
    if offset < 0 or (limit is not None and limit < 0):
        raise ValueError(f"limit and offset cannot be negative (limit={limit}, offset={offset})")
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_entry(r) for r in session.scalars(query)]


@event.listens_for(AuditRow, "before_update")
def _refuse_update(_mapper, _connection, _target) -> None:
    raise AuditError("Granskningsloggen kan inte ändras / the audit log cannot be changed.")


@event.listens_for(AuditRow, "before_delete")
def _refuse_delete(_mapper, _connection, _target) -> None:
    raise AuditError("Granskningsloggen kan inte ändras / the audit log cannot be changed.")
