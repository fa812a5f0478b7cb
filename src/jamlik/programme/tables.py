"""Stored tables of the programme model (portable between SQLite and PostgreSQL).

Every row carries its `position` in the list it came from, so an export writes items in the
order they were imported and export → import → export gives identical files.

Links to areas, indicators and dimensions store the ids without a foreign key: the data side
may re-import its definitions independently, and `import_programme` checks that every referenced
id exists in the workspace at import time.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from jamlik.db import Base

ID = String(120)
TITLE = String(400)
PERIOD = String(20)


class ProgrammeRow(Base):
    """A programme (program) and its header."""

    __tablename__ = "programme"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    # Shown to visitors who have not signed in (see `Programme.published`); off by default.
    published: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Invented example data (the demo, a training programme): every page and report says so.
    fictitious: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The programme as its file last imported it (canonical JSON), the base against which a
    # re-import tells the web's edits from the file's changes (jamlik.programme.merge).
    imported: Mapped[str | None] = mapped_column(Text)


class ProgrammeNodeKindRow(Base):
    """A node kind the programme declares, in rank order."""

    __tablename__ = "programme_node_kind"

    programme_id: Mapped[str] = mapped_column(ID, ForeignKey("programme.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class SectionRow(Base):
    """A free-text section of the programme document (e.g. viktiga förutsättningar)."""

    __tablename__ = "programme_section"

    programme_id: Mapped[str] = mapped_column(ID, ForeignKey("programme.id"), primary_key=True)
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)


class SectionItemRow(Base):
    """One point of a section."""

    __tablename__ = "programme_section_item"
    __table_args__ = (
        ForeignKeyConstraint(
            ["programme_id", "section_id"],
            ["programme_section.programme_id", "programme_section.id"],
            name="fk_programme_section_item_section",
        ),
    )

    programme_id: Mapped[str] = mapped_column(ID, primary_key=True)
    section_id: Mapped[str] = mapped_column(ID, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str | None] = mapped_column(Text)


class NodeRow(Base):
    """A node of the programme tree (goal, target area, strategy, focus area, …)."""

    __tablename__ = "node"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    programme_id: Mapped[str] = mapped_column(ID, ForeignKey("programme.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[str | None] = mapped_column(ID, ForeignKey("node.id"), index=True)
    sort_order: Mapped[int | None] = mapped_column(Integer)  # `order` is reserved in SQL
    description: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    target_group: Mapped[str | None] = mapped_column(Text)
    target_group_en: Mapped[str | None] = mapped_column(Text)
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)


class NodeIndicatorRow(Base):
    """An indicator a node follows (id in the data side's `indicator` table)."""

    __tablename__ = "node_indicator"

    node_id: Mapped[str] = mapped_column(ID, ForeignKey("node.id"), primary_key=True)
    indicator_id: Mapped[str] = mapped_column(ID, primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class ActorRow(Base):
    """An actor (aktör, samverkanspart)."""

    __tablename__ = "actor"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    programme_id: Mapped[str] = mapped_column(ID, ForeignKey("programme.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    parent_id: Mapped[str | None] = mapped_column(ID, ForeignKey("actor.id"))


class InitiativeRow(Base):
    """An initiative (insats) with its target group, period, status, owner and budget."""

    __tablename__ = "initiative"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    programme_id: Mapped[str] = mapped_column(ID, ForeignKey("programme.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[str | None] = mapped_column(ID, ForeignKey("actor.id"))
    purpose: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str | None] = mapped_column(Text)
    target_group: Mapped[str | None] = mapped_column(Text)
    target_group_en: Mapped[str | None] = mapped_column(Text)
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    budget_amount_sek: Mapped[int | None] = mapped_column(BigInteger)
    budget_funder_id: Mapped[str | None] = mapped_column(ID, ForeignKey("actor.id"))
    budget_funder_text: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class InitiativePartnerRow(Base):
    """A partner actor (samverkanspart) of an initiative."""

    __tablename__ = "initiative_partner"

    initiative_id: Mapped[str] = mapped_column(ID, ForeignKey("initiative.id"), primary_key=True)
    actor_id: Mapped[str] = mapped_column(ID, ForeignKey("actor.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class InitiativeNodeRow(Base):
    """A node an initiative serves."""

    __tablename__ = "initiative_node"

    initiative_id: Mapped[str] = mapped_column(ID, ForeignKey("initiative.id"), primary_key=True)
    node_id: Mapped[str] = mapped_column(ID, ForeignKey("node.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class InitiativeIndicatorRow(Base):
    """An indicator an initiative should move."""

    __tablename__ = "initiative_indicator"

    initiative_id: Mapped[str] = mapped_column(ID, ForeignKey("initiative.id"), primary_key=True)
    indicator_id: Mapped[str] = mapped_column(ID, primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class InitiativeAreaRow(Base):
    """An area where an initiative runs."""

    __tablename__ = "initiative_area"

    initiative_id: Mapped[str] = mapped_column(ID, ForeignKey("initiative.id"), primary_key=True)
    area_id: Mapped[str] = mapped_column(ID, primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class ReachRow(Base):
    """How many people an initiative reached in one period, area and subgroup."""

    __tablename__ = "reach"

    initiative_id: Mapped[str] = mapped_column(ID, ForeignKey("initiative.id"), primary_key=True)
    period: Mapped[str] = mapped_column(PERIOD, primary_key=True)
    area_id: Mapped[str] = mapped_column(ID, primary_key=True)
    dimension_id: Mapped[str] = mapped_column(ID, primary_key=True)
    subgroup_id: Mapped[str] = mapped_column(ID, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    reached: Mapped[int] = mapped_column(BigInteger)


# Deleting a programme goes through these in this order (children before parents).
DELETE_ORDER = (
    ReachRow,
    InitiativeAreaRow,
    InitiativeIndicatorRow,
    InitiativeNodeRow,
    InitiativePartnerRow,
    InitiativeRow,
    NodeIndicatorRow,
    NodeRow,
    ActorRow,
    SectionItemRow,
    SectionRow,
    ProgrammeNodeKindRow,
    ProgrammeRow,
)
