"""Stored tables of the audit log and of the record versions used for optimistic locking.

`audit_log` is append-only: the application has no path that updates or deletes its rows
(`jamlik.audit.log` refuses at flush time), and the migration adds database triggers on
SQLite and PostgreSQL that refuse UPDATE and DELETE from any client.

`record_version` holds one counter per edited record (entity, id) so any kind of record can
be locked optimistically without a column of its own; it survives re-imports that replace
the record's rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jamlik.db import Base

BIG_ID = BigInteger().with_variant(Integer(), "sqlite")
ENTITY = String(60)
ENTITY_ID = String(200)


class AuditRow(Base):
    """One change: who made it, when, what, and the record before and after (JSON text)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # The account name (not a foreign key: the trace must outlive the account), or a
    # description such as "cli:root" for changes made on the command line.
    user_name: Mapped[str | None] = mapped_column(String(120), index=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(ENTITY)
    entity_id: Mapped[str | None] = mapped_column(ENTITY_ID)
    # Canonical JSON (sorted keys) so exports and backups compare byte for byte.
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


class RecordVersionRow(Base):
    """How many times a record has been saved through a versioned edit."""

    __tablename__ = "record_version"

    entity: Mapped[str] = mapped_column(ENTITY, primary_key=True)
    entity_id: Mapped[str] = mapped_column(ENTITY_ID, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
