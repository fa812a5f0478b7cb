"""Shared test data for the programme tests: a small valid programme, definitions, snapshots."""

from __future__ import annotations

from sqlalchemy import select

from jamlik.db import Base
from jamlik.workspace import Workspace

# A small programme that uses every feature; broken cases are edits of this text.
BASE = """\
id: test-prog
title: Testprogram
title_en: Test programme
period:
  start: 2020-01-01
  end: 2030-12-31
node_kinds: [goal, target_area, strategy]
sections:
  - id: prerequisites
    title: Förutsättningar
    items:
      - text: Ett långsiktigt fokus
        text_en: A long-term focus
nodes:
  - id: t-goal
    kind: goal
    title: Målet
  - id: t-ta1
    kind: target_area
    title: Målområde 1
    parent: t-goal
    indicators: [ind-1]
  - id: t-s1
    kind: strategy
    title: Strategi 1
    parent: t-ta1
actors:
  - id: t-city
    name: Staden
    kind: municipality
  - id: t-dept
    name: Förvaltningen
    kind: municipal_department
    parent: t-city
initiatives:
  - id: t-i1
    title: Insats 1
    status: ongoing
    period:
      start: 2021-01-01
      end: 2023-12-31
    owner: t-dept
    partners: [t-city]
    nodes: [t-s1]
    target_group:
      text: Barn 6–12 år
      age_min: 6
      age_max: 12
    areas: [area-a, area-b]
    budget:
      amount_sek: 100000
      funder: t-city
    indicators: [ind-1]
    reach:
      - period: '2022'
        area: area-a
        reached: 10
      - period: '2022'
        area: area-a
        dimension: sex
        subgroup: girls
        reached: 6
"""

DEFINITIONS = """\
areas:
  - {id: area-all, name: Teststad, level: municipality}
  - {id: area-a, name: Norr, level: district, parent: area-all}
  - {id: area-b, name: Söder, level: district, parent: area-all}
dimensions:
  - id: sex
    title: Kön
    subgroups:
      - {id: girls, title: Flickor}
      - {id: boys, title: Pojkar}
indicators:
  - {id: ind-1, title: Behörighet, polarity: higher_is_better, scale: 100}
"""


def snapshot(ws: Workspace) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: equal snapshots mean an unchanged workspace."""
    out: dict[str, list[tuple]] = {}
    with ws.session() as s:
        for table in Base.metadata.sorted_tables:
            rows = s.execute(select(table)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out
