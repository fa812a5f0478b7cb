"""Stored tables of the follow-up cycle (portable between SQLite and PostgreSQL).

They reference programmes, nodes, initiatives, actors and areas by their string ids in plain
indexed columns, with no foreign key to the programme's rows: a programme re-import rewrites
those rows, and people's reports and assessments must survive it (the programme file owns the
structure; what people write per period belongs to this store). Rows of the cycle refer to each
other with real foreign keys.

Every report, assessment and corrective action carries a `version` for optimistic locking: a
save names the version it started from and is refused when another save came first.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from jamlik.db import Base

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BIG_ID = BigInteger().with_variant(Integer(), "sqlite")
ID = String(120)
NAME = String(80)
CODE = String(20)
WHEN = DateTime(timezone=True)


class PeriodRow(Base):
    """A follow-up period (uppföljningsperiod) of one programme, with its staggered deadlines."""

    __tablename__ = "cycle_period"
    __table_args__ = (UniqueConstraint("programme_id", "label"),)

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    programme_id: Mapped[str] = mapped_column(ID, index=True)
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(CODE)  # year | tertial | half_year
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    deadline_initiative: Mapped[date] = mapped_column(Date)
    deadline_strategy: Mapped[date] = mapped_column(Date)
    deadline_target_area: Mapped[date] = mapped_column(Date)
    deadline_goal: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(CODE)  # open | closed
    created_at: Mapped[datetime] = mapped_column(WHEN)
    created_by: Mapped[str | None] = mapped_column(NAME)
    closed_at: Mapped[datetime | None] = mapped_column(WHEN)
    closed_by: Mapped[str | None] = mapped_column(NAME)


class ReportRow(Base):
    """One initiative's report for one period, written by the owning actor's editors."""

    __tablename__ = "cycle_report"
    __table_args__ = (UniqueConstraint("period_id", "initiative_id"),)

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    period_id: Mapped[int] = mapped_column(BIG_ID, ForeignKey("cycle_period.id"), index=True)
    programme_id: Mapped[str] = mapped_column(ID, index=True)
    initiative_id: Mapped[str] = mapped_column(ID, index=True)
    # The owning actor when the report was started: the record stays attributable even when a
    # re-import moves or removes the initiative.
    actor_id: Mapped[str | None] = mapped_column(ID, index=True)
    state: Mapped[str] = mapped_column(CODE)
    status: Mapped[str | None] = mapped_column(CODE)
    status_comment: Mapped[str | None] = mapped_column(Text)
    done: Mapped[str | None] = mapped_column(Text)
    next_steps: Mapped[str | None] = mapped_column(Text)
    money_used_sek: Mapped[int | None] = mapped_column(BigInteger)
    return_comment: Mapped[str | None] = mapped_column(Text)
    prefilled_from: Mapped[int | None] = mapped_column(BIG_ID, ForeignKey("cycle_report.id"))
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(WHEN)
    updated_by: Mapped[str | None] = mapped_column(NAME)
    submitted_at: Mapped[datetime | None] = mapped_column(WHEN)
    submitted_by: Mapped[str | None] = mapped_column(NAME)
    reviewed_at: Mapped[datetime | None] = mapped_column(WHEN)
    reviewed_by: Mapped[str | None] = mapped_column(NAME)


class ReportReachRow(Base):
    """One cell of a report's reach grid: people reached in a district and group that period."""

    __tablename__ = "cycle_report_reach"

    report_id: Mapped[int] = mapped_column(
        BIG_ID, ForeignKey("cycle_report.id", ondelete="CASCADE"), primary_key=True
    )
    area_id: Mapped[str] = mapped_column(ID, primary_key=True)
    dimension_id: Mapped[str] = mapped_column(ID, primary_key=True)
    subgroup_id: Mapped[str] = mapped_column(ID, primary_key=True)
    reached: Mapped[int] = mapped_column(BigInteger)


class AttachmentRow(Base):
    """A small file attached to a report (stored in the database, so backups carry it)."""

    __tablename__ = "cycle_attachment"

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(
        BIG_ID, ForeignKey("cycle_report.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(WHEN)
    uploaded_by: Mapped[str | None] = mapped_column(NAME)


class AssessmentRow(Base):
    """A programme node's assessment for one period: the written judgement beside the status
    the roll-up rule proposes (both kept; neither overrides the other)."""

    __tablename__ = "cycle_assessment"
    __table_args__ = (UniqueConstraint("period_id", "node_id"),)

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    period_id: Mapped[int] = mapped_column(BIG_ID, ForeignKey("cycle_period.id"), index=True)
    programme_id: Mapped[str] = mapped_column(ID, index=True)
    node_id: Mapped[str] = mapped_column(ID, index=True)
    node_kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[str | None] = mapped_column(ID, index=True)  # the responsible actor
    state: Mapped[str] = mapped_column(CODE)
    analysis: Mapped[str | None] = mapped_column(Text)
    judgement: Mapped[str | None] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    judged_status: Mapped[str | None] = mapped_column(CODE)
    judged_reason: Mapped[str | None] = mapped_column(Text)
    computed_status: Mapped[str | None] = mapped_column(CODE)
    computed_reason_sv: Mapped[str | None] = mapped_column(Text)
    computed_reason_en: Mapped[str | None] = mapped_column(Text)
    computed_counts: Mapped[dict | None] = mapped_column(JSON)
    computed_at: Mapped[datetime | None] = mapped_column(WHEN)
    return_comment: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(WHEN)
    updated_by: Mapped[str | None] = mapped_column(NAME)
    submitted_at: Mapped[datetime | None] = mapped_column(WHEN)
    submitted_by: Mapped[str | None] = mapped_column(NAME)
    reviewed_at: Mapped[datetime | None] = mapped_column(WHEN)
    reviewed_by: Mapped[str | None] = mapped_column(NAME)


class ActionRow(Base):
    """A corrective action (åtgärd) decided in one period and followed up in a later one."""

    __tablename__ = "cycle_action"

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    period_id: Mapped[int] = mapped_column(BIG_ID, ForeignKey("cycle_period.id"), index=True)
    programme_id: Mapped[str] = mapped_column(ID, index=True)
    node_id: Mapped[str | None] = mapped_column(ID, index=True)
    initiative_id: Mapped[str | None] = mapped_column(ID, index=True)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[str | None] = mapped_column(ID, index=True)  # the actor who carries it out
    due: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(WHEN)
    created_by: Mapped[str | None] = mapped_column(NAME)
    followup_period_id: Mapped[int | None] = mapped_column(
        BIG_ID, ForeignKey("cycle_period.id"), index=True
    )
    followup_done: Mapped[bool | None] = mapped_column(Boolean)
    followup_comment: Mapped[str | None] = mapped_column(Text)
    followed_up_at: Mapped[datetime | None] = mapped_column(WHEN)
    followed_up_by: Mapped[str | None] = mapped_column(NAME)
    version: Mapped[int] = mapped_column(Integer)


class ResponsibleRow(Base):
    """The actor responsible for assessing a programme node (the programme file has no such
    field; the process leader assigns it). Nodes without one are assessed by the process
    leader."""

    __tablename__ = "cycle_responsible"

    programme_id: Mapped[str] = mapped_column(ID, primary_key=True)
    node_id: Mapped[str] = mapped_column(ID, primary_key=True)
    actor_id: Mapped[str] = mapped_column(ID, index=True)


class ContactRow(Base):
    """Where reminders to an actor go: a functional mailbox of the organisation (registrator,
    the committee's secretary), so accounts hold no e-mail addresses of people."""

    __tablename__ = "cycle_contact"

    actor_id: Mapped[str] = mapped_column(ID, primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
