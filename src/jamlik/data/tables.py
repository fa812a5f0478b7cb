"""Stored tables of the observation store: indicators, areas, dimensions, observations, imports.

Portable between SQLite and PostgreSQL: only standard types, no engine-specific SQL. Names of
tables and columns are part of the contract with the rest of jamlik (see notes/contracts.md).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from jamlik.db import Base

# Identifier columns are bounded so PostgreSQL can index them like SQLite does.
ID = String(120)
PERIOD = String(20)

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY; PostgreSQL gets
# a 64-bit key because the observation table is the one that grows to millions of rows.
BIG_ID = BigInteger().with_variant(Integer(), "sqlite")


class IndicatorRow(Base):
    """One indicator (indikator, nyckeltal)."""

    __tablename__ = "indicator"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(String(400))
    title_en: Mapped[str | None] = mapped_column(String(400))
    description: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(80))
    scale: Mapped[float] = mapped_column(Float, default=1.0)
    polarity: Mapped[str] = mapped_column(String(20))  # higher_is_better | higher_is_worse
    source_kind: Mapped[str | None] = mapped_column(String(20))  # kolada | pxweb | file
    source_ref: Mapped[str | None] = mapped_column(String(400))
    dimensions: Mapped[list[str] | None] = mapped_column(JSON)  # default breakdowns, by id


class TargetRow(Base):
    """A target for an indicator: a level in a year, or (with `measure`) a gap to reach."""

    __tablename__ = "indicator_target"

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    indicator_id: Mapped[str] = mapped_column(
        ID, ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    measure: Mapped[str | None] = mapped_column(String(20))  # gap measure code, e.g. "D", "R"
    dimension_id: Mapped[str | None] = mapped_column(ID, ForeignKey("dimension.id"))


class AreaRow(Base):
    """An area (stadsområde, primärområde) in the hierarchy municipality → district → subarea."""

    __tablename__ = "area"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))  # municipality | district | subarea
    parent_id: Mapped[str | None] = mapped_column(ID, ForeignKey("area.id"), index=True)
    code: Mapped[str | None] = mapped_column(String(40))  # official code, e.g. "1480"
    population: Mapped[int | None] = mapped_column(BigInteger)
    geometry: Mapped[str | None] = mapped_column(Text)  # GeoJSON geometry as JSON text


class DimensionRow(Base):
    """A dimension of inequality (diskrimineringsgrund, bakgrundsvariabel)."""

    __tablename__ = "dimension"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    ordered: Mapped[bool] = mapped_column(Boolean, default=False)


class SubgroupRow(Base):
    """A subgroup (undergrupp) of one dimension; ids are unique within their dimension."""

    __tablename__ = "subgroup"

    dimension_id: Mapped[str] = mapped_column(
        ID, ForeignKey("dimension.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    # Ordered dimensions: 1..k from most disadvantaged to most advantaged; otherwise null.
    subgroup_order: Mapped[int | None] = mapped_column(Integer)
    reference: Mapped[bool] = mapped_column(Boolean, default=False)


class ImportRow(Base):
    """Provenance of one import that changed the workspace."""

    __tablename__ = "import_record"

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))  # observations | definitions
    source: Mapped[str] = mapped_column(String(400))  # file name, or e.g. "kolada"
    format: Mapped[str | None] = mapped_column(String(20))  # csv | xlsx | parquet | heatplus | ...
    checksum: Mapped[str] = mapped_column(String(64), index=True)  # sha256, hex
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    row_count: Mapped[int] = mapped_column(Integer)  # rows in the input
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    attribution: Mapped[str | None] = mapped_column(Text)  # e.g. "Källa: Kolada (CC BY 4.0)"
    url: Mapped[str | None] = mapped_column(Text)
    query: Mapped[str | None] = mapped_column(Text)
    # Invented example data (the demo): whatever is built on them says so.
    fictitious: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ObservationRow(Base):
    """One value: indicator × period × area × dimension × subgroup (see ARCHITECTURE.md)."""

    __tablename__ = "observation"
    __table_args__ = (
        UniqueConstraint(
            "indicator_id",
            "period",
            "area_id",
            "dimension_id",
            "subgroup_id",
            name="uq_observation_key",
        ),
        ForeignKeyConstraint(
            ["dimension_id", "subgroup_id"],
            ["subgroup.dimension_id", "subgroup.id"],
            name="fk_observation_subgroup",
        ),
        # Reads select by area or dimension across indicators (maps, breakdown pages).
        Index("ix_observation_area", "area_id", "period"),
        Index("ix_observation_dimension", "dimension_id"),
    )

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    indicator_id: Mapped[str] = mapped_column(ID, ForeignKey("indicator.id"))
    period: Mapped[str] = mapped_column(PERIOD)
    area_id: Mapped[str] = mapped_column(ID, ForeignKey("area.id"))
    dimension_id: Mapped[str] = mapped_column(ID)
    subgroup_id: Mapped[str] = mapped_column(ID)
    estimate: Mapped[float | None] = mapped_column(Float)
    se: Mapped[float | None] = mapped_column(Float)
    ci_lb: Mapped[float | None] = mapped_column(Float)
    ci_ub: Mapped[float | None] = mapped_column(Float)
    population: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    flag: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(String(200))
    # As delivered (HEAT Plus files carry it); when null, reads use the area total's estimate.
    setting_average: Mapped[float | None] = mapped_column(Float)
    import_id: Mapped[int] = mapped_column(BIG_ID, ForeignKey("import_record.id"), index=True)


class SettingRow(Base):
    """One workspace-wide setting, a JSON value under a key (e.g. the suppression policy)."""

    __tablename__ = "workspace_setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)
