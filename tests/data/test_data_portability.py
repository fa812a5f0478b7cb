"""The store stays portable: its schema and queries compile for PostgreSQL as well as SQLite,
and the code uses no engine-specific constructs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

import jamlik.data
from jamlik.data import tables
from jamlik.data.query import frame_statement

TABLES = [tables.IndicatorRow, tables.TargetRow, tables.AreaRow, tables.DimensionRow,
          tables.SubgroupRow, tables.ImportRow, tables.ObservationRow]  # fmt: skip
SOURCE = Path(jamlik.data.__file__).parent


@pytest.mark.parametrize(
    "dialect", [postgresql.dialect(), sqlite.dialect()], ids=["postgresql", "sqlite"]
)
def test_schema_compiles_for_both_engines(dialect):
    for cls in TABLES:
        ddl = str(CreateTable(cls.__table__).compile(dialect=dialect))
        for index in cls.__table__.indexes:
            ddl += str(CreateIndex(index).compile(dialect=dialect))
        assert "AUTOINCREMENT" not in ddl.upper()  # SQLite-only keyword
    observation = str(CreateTable(tables.ObservationRow.__table__).compile(dialect=dialect))
    assert (
        "CONSTRAINT uq_observation_key UNIQUE (indicator_id, period, area_id, dimension_id, subgroup_id)"
        in observation
    )
    assert (
        "FOREIGN KEY(dimension_id, subgroup_id) REFERENCES subgroup (dimension_id, id)"
        in observation
    )


def test_postgresql_gets_64_bit_keys_and_sqlite_rowids():
    pg = str(CreateTable(tables.ObservationRow.__table__).compile(dialect=postgresql.dialect()))
    lite = str(CreateTable(tables.ObservationRow.__table__).compile(dialect=sqlite.dialect()))
    assert re.search(r"\bid BIGSERIAL NOT NULL", pg)
    assert re.search(r"\bid INTEGER NOT NULL", lite)  # SQLite's rowid alias


def test_frame_query_compiles_for_postgresql():
    sql = str(frame_statement(["emp"], None, ["edu"]).compile(dialect=postgresql.dialect()))
    assert "coalesce(observation.setting_average, observation_1.estimate)" in sql
    assert "LEFT OUTER JOIN observation AS observation_1" in sql


def test_no_engine_specific_code_in_the_store():
    offenders = []
    for path in SOURCE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"dialects\.(sqlite|postgresql)", r"on_conflict", r"PRAGMA", r"INSERT OR",
                        r"exec_driver_sql", r"text\(\s*[\"']"):  # fmt: skip
            if re.search(pattern, text):
                offenders.append(f"{path.name}: {pattern}")
    assert offenders == []


def test_import_round_trip_on_postgresql(tmp_path, defs_file, postgres_db_url):
    """The imports against a real PostgreSQL server (tests/conftest.py starts one)."""
    from data_helpers import csv_text

    from jamlik.data import import_definitions, import_file, observations_frame
    from jamlik.workspace import Workspace

    ws = Workspace(tmp_path, postgres_db_url)
    import_definitions(ws, defs_file)
    path = tmp_path / "plain.csv"
    path.write_text(csv_text(), encoding="utf-8")
    assert import_file(ws, path).inserted == 7
    assert import_file(ws, path).changed == 0
    assert len(observations_frame(ws)) == 7
    ws.engine().dispose()
