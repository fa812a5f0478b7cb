"""Stored tables of social investments (portable between SQLite and PostgreSQL).

An investment belongs to an initiative, referred to by its id as a plain string (no foreign
key): programmes are replaced as a whole on re-import, and an investment must survive that;
`import_investments` checks that the initiative exists at import time.

`investment.document` holds the whole validated investment (the file layout as JSON), so what
is read back equals what was imported. Costs, outcomes, logic-model indicator links and
follow-up notes are also stored as rows, derived from the document in the same transaction,
for queries such as "which investments follow indicator X" or "what does region Y pay in 2024".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jamlik.db import Base

ID = String(120)


class InvestmentRow(Base):
    """The investment part of one initiative."""

    __tablename__ = "investment"

    initiative_id: Mapped[str] = mapped_column(ID, primary_key=True)
    funder_id: Mapped[str | None] = mapped_column(ID)
    funder_text: Mapped[str | None] = mapped_column(Text)
    price_year: Mapped[int] = mapped_column(Integer)
    base_year: Mapped[int] = mapped_column(Integer)
    horizon: Mapped[int] = mapped_column(Integer)
    design: Mapped[str] = mapped_column(String(40))  # did | synthetic_control | its | none
    fictitious: Mapped[bool] = mapped_column(Boolean, default=False)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str | None] = mapped_column(Text)  # the file it was imported from
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InvestmentCostRow(Base):
    """One cost line (central value, price-year SEK)."""

    __tablename__ = "investment_cost"

    initiative_id: Mapped[str] = mapped_column(
        ID, ForeignKey("investment.initiative_id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    payer: Mapped[str] = mapped_column(String(40))
    committee: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[str | None] = mapped_column(ID)
    amount: Mapped[float] = mapped_column(Float)


class InvestmentOutcomeRow(Base):
    """An outcome valued in money, with the indicator and unit value it uses."""

    __tablename__ = "investment_outcome"

    initiative_id: Mapped[str] = mapped_column(
        ID, ForeignKey("investment.initiative_id", ondelete="CASCADE"), primary_key=True
    )
    outcome_id: Mapped[str] = mapped_column(ID, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    indicator_id: Mapped[str | None] = mapped_column(ID, index=True)
    unit_value_id: Mapped[str] = mapped_column(ID)
    basis: Mapped[str] = mapped_column(String(20))  # assumed | observed


class InvestmentLogicIndicatorRow(Base):
    """A logic-model box and an indicator it is followed by."""

    __tablename__ = "investment_logic_indicator"

    initiative_id: Mapped[str] = mapped_column(
        ID, ForeignKey("investment.initiative_id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(ID, primary_key=True)
    indicator_id: Mapped[str] = mapped_column(ID, primary_key=True, index=True)
    level: Mapped[str] = mapped_column(String(20))  # activities | outputs | short_term | long_term


class InvestmentFollowupRow(Base):
    """A yearly follow-up note."""

    __tablename__ = "investment_followup"

    initiative_id: Mapped[str] = mapped_column(
        ID, ForeignKey("investment.initiative_id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    note: Mapped[str] = mapped_column(Text)
    note_en: Mapped[str | None] = mapped_column(Text)
    spent_sek: Mapped[int | None] = mapped_column(BigInteger)


class InvestmentResultRow(Base):
    """The latest calculation of an investment (`jamlik invest calc`), for report and web."""

    __tablename__ = "investment_result"

    initiative_id: Mapped[str] = mapped_column(
        ID, ForeignKey("investment.initiative_id", ondelete="CASCADE"), primary_key=True
    )
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    draws: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
