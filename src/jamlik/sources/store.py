"""From mapped observations into a workspace: define what is new, then import, all or nothing.

Definitions jamlik creates come from the source's own labels (KPI titles, municipality names,
category texts). What the workspace already defines is never overwritten, so a user's titles,
polarity and targets stay as they are.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import delete, select

from jamlik.data import (
    Definitions,
    ImportSummary,
    InTransaction,
    import_with_definitions,
    known_ids,
)
from jamlik.data.tables import ObservationRow, SubgroupRow
from jamlik.errors import JamlikError, Problem, ValidationError
from jamlik.sources.mapping import TOTAL, Mapped, SourceMapping
from jamlik.sources.yamlio import validated
from jamlik.workspace import Workspace


def new_ids(workspace: Workspace, kind: str, ids: list[str]) -> list[str]:
    """The ids the workspace does not define yet, in the given order."""
    with workspace.session() as session:
        known = known_ids(session, kind)  # type: ignore[arg-type]
    return [i for i in dict.fromkeys(ids) if i not in known]


def require_polarity(mapping: SourceMapping, new: list[str], name: str) -> None:
    """Refuse, before anything is downloaded, to create indicators whose polarity is unknown."""
    lacking = [i for i in new if mapping.indicator.polarity_for(i) is None]
    if lacking:
        raise JamlikError(
            f"{name}: the indicator(s) {', '.join(lacking)} are new in this workspace and jamlik "
            "must know whether a higher value is better. Add --polarity higher_is_better (or "
            "higher_is_worse), or 'polarity:' under map.indicator, or define them first with "
            "`jamlik import definitions.yaml`. Nothing was downloaded."
        )


@dataclass
class Origins:
    """What a connector knows about the definitions it needs: descriptions, parents, references."""

    kind: str  # "kolada" | "pxweb" (the indicator's source kind)
    descriptions: dict[str, str]  # source indicator code → description
    parents: dict[str, str]  # source area code → parent area id
    ref: str | None = None  # the indicator's source reference when it is not the code (a table)
    extra_areas: list[dict] = field(default_factory=list)  # e.g. the municipalities of units
    levels: dict[str, str] = field(default_factory=dict)  # source area code → level (hierarchies)
    units: dict[str, tuple[str, float]] = field(default_factory=dict)  # indicator id → unit, scale


def build_definitions(
    workspace: Workspace, mapped: Mapped, mapping: SourceMapping, origins: Origins, name: str
) -> Definitions:
    """Definitions for the indicators, areas, dimensions and subgroups the data uses and the
    workspace lacks. A stored dimension that lacks a subgroup is an error (it is the user's)."""
    indicators = [
        {
            "id": i,
            "title": (mapped.indicators[i][1] or i)[:400],
            "description": origins.descriptions.get(mapped.indicators[i][0]),
            "unit": mapping.indicator.unit or origins.units.get(i, (None, 1.0))[0],
            "scale": mapping.indicator.scale or origins.units.get(i, (None, 1.0))[1],
            "polarity": mapping.indicator.polarity_for(i),
            "source": {"kind": origins.kind, "ref": (origins.ref or mapped.indicators[i][0])[:400]},
        }
        for i in new_ids(workspace, "indicator", list(mapped.indicators))
    ]
    areas = [
        {
            "id": a,
            "name": (mapped.areas[a][1] or a)[:200],
            "level": origins.levels.get(mapped.areas[a][0], mapping.area.level),
            "parent": mapping.area.parent or origins.parents.get(mapped.areas[a][0]),
            "code": mapped.areas[a][0][:40],
        }
        for a in new_ids(workspace, "area", list(mapped.areas))
    ] + origins.extra_areas
    with workspace.session() as session:
        stored = {
            tuple(r) for r in session.execute(select(SubgroupRow.dimension_id, SubgroupRow.id))
        }
        known_dims = known_ids(session, "dimension")
    problems: list[Problem] = []
    dimensions = []
    for k, dm in enumerate(mapping.dimensions):
        subs = [(s, v) for (d, s), v in mapped.subgroups.items() if d == dm.dimension]
        if dm.dimension in known_dims:
            missing = [s for s, _ in subs if (dm.dimension, s) not in stored]
            if missing:
                problems.append(
                    Problem(
                        name,
                        f"dimension {dm.dimension!r} has no subgroup {', '.join(missing)}; map the "
                        "source's codes to its subgroups (codes: …) or add them to its definition",
                        field=f"map.dimensions[{k}].codes",
                    )
                )
        elif subs and dm.dimension != TOTAL:
            dimensions.append(
                {
                    "id": dm.dimension,
                    "title": (
                        dm.title or mapped.dimension_titles.get(dm.dimension) or dm.dimension
                    )[:200],
                    "ordered": dm.ordered,
                    "subgroups": [
                        {
                            "id": s,
                            "title": (label or s)[:200],
                            "order": order,
                            "reference": s == dm.reference,
                        }
                        for s, (_, label, order) in subs
                    ],
                }
            )
    if problems:
        raise ValidationError(problems)
    data = {"areas": areas, "dimensions": dimensions, "indicators": indicators}
    return validated(Definitions, data, f"{name}: new definitions")


@dataclass
class Stored:
    rows: int
    definitions: ImportSummary | None
    observations: ImportSummary | None
    removed: int = 0  # stored values the source now marks deleted


KEY = ["indicator", "period", "area", "dimension", "subgroup"]


def _remove(session, gone: pd.DataFrame) -> int:
    """Delete the stored observations with these keys (values the source has deleted)."""
    removed = 0
    for key in gone[KEY].drop_duplicates().itertuples(index=False):
        result = session.execute(
            delete(ObservationRow).where(
                ObservationRow.indicator_id == key.indicator,
                ObservationRow.period == key.period,
                ObservationRow.area_id == key.area,
                ObservationRow.dimension_id == key.dimension,
                ObservationRow.subgroup_id == key.subgroup,
            )
        )
        removed += result.rowcount or 0
    return removed


def store(
    workspace: Workspace,
    mapped: Mapped,
    defs: Definitions,
    *,
    source: str,
    url: str,
    request: dict[str, Any],
    attribution: str,
    in_transaction: InTransaction | None = None,
    gone: pd.DataFrame | None = None,
) -> Stored:
    """Import the definitions and the observations with provenance (URL, query, attribution),
    in one transaction: a bad row cannot leave definitions behind without their data.

    `in_transaction(session, summary)` runs inside that transaction for each import record
    (e.g. an audit entry naming who asked for the refresh). `gone` holds the keys of values the
    source marks deleted: their stored copies are removed in the same transaction (a key that
    also comes back with a value is kept).
    """
    frame = mapped.frame.drop(columns=["subgroup_order"], errors="ignore")
    if gone is not None and not gone.empty:
        back = set(map(tuple, frame[KEY].astype(str).to_numpy()))
        gone = gone[[tuple(k) not in back for k in gone[KEY].astype(str).to_numpy()]]
    frame = frame.sort_values(
        ["indicator", "area", "dimension", "subgroup", "period"], kind="stable"
    )
    frame = frame.reset_index(drop=True)
    removed = [0]
    if frame.empty:
        if gone is not None and not gone.empty:
            with workspace.session() as session:
                removed[0] = _remove(session, gone)
        return Stored(0, None, None, removed[0])

    def also(session, summary: ImportSummary) -> None:
        if summary.kind == "observations" and gone is not None and not gone.empty:
            removed[0] = _remove(session, gone)
        if in_transaction is not None:
            in_transaction(session, summary)

    definitions, observations = import_with_definitions(
        workspace,
        defs,
        frame,
        source=source,
        checksum=hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest(),
        attribution=attribution,
        url=url,
        query=json.dumps(request, ensure_ascii=False, sort_keys=True),
        in_transaction=also,
    )
    return Stored(len(frame), definitions, observations, removed[0])
