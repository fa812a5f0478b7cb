"""Data and helpers shared by the observation store tests (imported by name: unique module)."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from typer.testing import CliRunner

import jamlik.data.tables  # noqa: F401  (registers the tables)
from jamlik.cli.app import app
from jamlik.db import Base
from jamlik.workspace import Workspace

DEFINITIONS = """\
areas:
  - id: exempelstad
    name: Exempelstad
    level: municipality
    population: 100000
  - id: norr
    name: Norr
    level: district
    parent: exempelstad
  - id: västra
    name: Västra Hisingen
    level: district
    parent: exempelstad
dimensions:
  - id: sex
    title: Kön
    title_en: Sex
    subgroups:
      - {id: kvinnor, title: Kvinnor, title_en: Women, reference: true}
      - {id: män, title: Män, title_en: Men}
  - id: edu
    title: Föräldrars utbildning
    title_en: Parental education
    ordered: true
    subgroups:
      - {id: låg, title: Förgymnasial, order: 1}
      - {id: mellan, title: Gymnasial, order: 2}
      - {id: hög, title: Eftergymnasial, order: 3}
indicators:
  - id: emp
    title: Förvärvsfrekvens 20–64 år
    title_en: Employment rate 20-64
    unit: procent
    scale: 100
    polarity: higher_is_better
    source: {kind: kolada, ref: N00914}
    dimensions: [sex, edu]
    targets:
      - {year: 2026, value: 80}
      - {year: 2026, value: 5, measure: D, dimension: edu}
  - id: trångbodd
    title: Trångboddhet
    scale: 100
    polarity: higher_is_worse
"""

HEADER = "indicator,period,area,dimension,subgroup,estimate,se,population"
# A plain CSV in jamlik's layout; the Swedish Excel variants are written from the same values.
ROWS = [
    ("emp", "2024", "norr", "edu", "låg", "61.5", "2.25", "120"),
    ("emp", "2024", "norr", "edu", "mellan", "70.25", "1.5", "300"),
    ("emp", "2024", "norr", "edu", "hög", "80", "1.125", "200"),
    ("emp", "2024", "norr", "total", "total", "72", "0.9", "620"),
    ("emp", "2024", "västra", "sex", "kvinnor", "68.5", "", "410"),
    ("emp", "2024", "västra", "sex", "män", "", "", "4"),
    ("trångbodd", "2023/24", "västra", "total", "total", "12.75", "", "900"),
]


def csv_text(rows=ROWS, header=HEADER, sep=",") -> str:
    return "\n".join([header.replace(",", sep), *(sep.join(r) for r in rows)]) + "\n"


def fingerprint(ws: Workspace) -> dict[str, tuple[int, str]]:
    """Row count and a hash of every row of every table: equal before and after means unchanged."""
    out = {}
    with ws.engine().connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return out


def run_cli(*args: str):
    """Run `jamlik …` in-process; returns click's Result (exit_code, stdout, stderr)."""
    return CliRunner().invoke(app, list(args))
