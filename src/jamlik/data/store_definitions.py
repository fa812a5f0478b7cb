"""Storing definitions: upsert areas, dimensions and indicators into a workspace, and read back."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from jamlik.contention import retry_writing
from jamlik.data.checks import StoredState, check_against_workspace
from jamlik.data.models import (
    TOTAL,
    TOTAL_DIMENSION,
    Area,
    Definitions,
    Dimension,
    Indicator,
    Source,
    Subgroup,
    Target,
)
from jamlik.data.summary import ImportSummary
from jamlik.data.tables import (
    AreaRow,
    DimensionRow,
    ImportRow,
    IndicatorRow,
    ObservationRow,
    SubgroupRow,
    TargetRow,
)
from jamlik.data.yamlfile import Origin, dump_definitions, load_definitions_with_origin
from jamlik.dbwrites import insert_missing
from jamlik.errors import ValidationError
from jamlik.workspace import Workspace


def ensure_total(session: Session) -> None:
    """Create the implicit dimension 'total' with its subgroup 'total' when missing."""
    if session.get(DimensionRow, TOTAL) is None:
        _upsert_dimension(session, TOTAL_DIMENSION)
        session.flush()


def _set(row: Any, values: dict[str, Any]) -> bool:
    """Copy values onto a row; True when anything differed."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


def _upsert(session: Session, cls: type, pk: Any, values: dict[str, Any]) -> str:
    row = session.get(cls, pk)
    if row is None:
        if insert_missing(session, cls, [values]):
            return "inserted"
        row = session.get(cls, pk)  # another import stored it meanwhile: compare with that
        assert row is not None
    return "updated" if _set(row, values) else "unchanged"


def _area_values(a: Area) -> dict[str, Any]:
    geometry = json.dumps(a.geometry, sort_keys=True) if a.geometry is not None else None
    return dict(id=a.id, name=a.name, level=a.level, parent_id=a.parent, code=a.code,
                population=a.population, geometry=geometry)  # fmt: skip


def _upsert_dimension(session: Session, d: Dimension) -> str:
    outcome = _upsert(
        session,
        DimensionRow,
        d.id,
        dict(id=d.id, title=d.title, title_en=d.title_en, ordered=d.ordered),
    )
    kept = set()
    for s in d.subgroups:
        kept.add(s.id)
        sub = _upsert(
            session,
            SubgroupRow,
            (d.id, s.id),
            dict(
                dimension_id=d.id,
                id=s.id,
                title=s.title,
                title_en=s.title_en,
                subgroup_order=s.order,
                reference=s.reference,
            ),  # fmt: skip
        )
        if sub != "unchanged" and outcome == "unchanged":
            outcome = "updated"
    gone = session.scalars(
        select(SubgroupRow).where(SubgroupRow.dimension_id == d.id, SubgroupRow.id.not_in(kept))
    ).all()
    for row in gone:  # unused: check_against_workspace refused subgroups that observations use
        session.delete(row)
        outcome = "updated" if outcome == "unchanged" else outcome
    return outcome


def _upsert_indicator(session: Session, i: Indicator) -> str:
    values = dict(
        id=i.id, title=i.title, title_en=i.title_en, description=i.description, unit=i.unit,
        scale=i.scale, polarity=i.polarity,
        source_kind=i.source.kind if i.source else None,
        source_ref=i.source.ref if i.source else None,
        dimensions=list(i.dimensions) if i.dimensions is not None else None,
    )  # fmt: skip
    outcome = _upsert(session, IndicatorRow, i.id, values)
    stored = session.scalars(
        select(TargetRow).where(TargetRow.indicator_id == i.id).order_by(TargetRow.id)
    ).all()
    old = [(t.year, t.value, t.measure, t.dimension_id) for t in stored]
    new = [(t.year, t.value, t.measure, t.dimension) for t in i.targets]
    if old != new:
        # Targets belong to their indicator: the file's list replaces the stored one.
        session.execute(delete(TargetRow).where(TargetRow.indicator_id == i.id))
        session.add_all(
            TargetRow(indicator_id=i.id, year=y, value=v, measure=m, dimension_id=d)
            for y, v, m, d in new
        )
        outcome = "updated" if outcome == "unchanged" else outcome
    return outcome


def stored_state(session: Session) -> StoredState:
    """What definition checks need to know about the workspace."""
    state = StoredState()
    for aid, parent, level in session.execute(select(AreaRow.id, AreaRow.parent_id, AreaRow.level)):
        state.area_parent[aid] = parent
        state.area_level[aid] = level
    state.dimensions = set(session.scalars(select(DimensionRow.id)))
    use = session.execute(
        select(ObservationRow.dimension_id, ObservationRow.subgroup_id, func.count()).group_by(
            ObservationRow.dimension_id, ObservationRow.subgroup_id
        )
    )
    state.subgroup_use = {(d, s): n for d, s, n in use}
    return state


def store_definitions(session: Session, defs: Definitions, origin: Origin) -> dict[str, int]:
    """Check `defs` against the session's workspace and upsert them; counts by outcome.

    Raises ValidationError (before writing anything) when a check fails.
    """
    ensure_total(session)
    problems = check_against_workspace(defs, origin, stored_state(session))
    if problems:
        raise ValidationError(problems)
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    # Parents first: the area table refers to itself and SQLite checks each insert at once.
    by_id = {a.id: a for a in defs.areas}
    order = TopologicalSorter({a.id: {a.parent} & by_id.keys() for a in defs.areas})
    for area_id in order.static_order():
        a = by_id[area_id]
        counts[_upsert(session, AreaRow, a.id, _area_values(a))] += 1
        session.flush()
    for d in defs.dimensions:
        counts[_upsert_dimension(session, d)] += 1
    session.flush()
    for i in defs.indicators:
        counts[_upsert_indicator(session, i)] += 1
    session.flush()
    return counts


def import_definitions(
    workspace: Workspace,
    definitions_or_path: Definitions | str | Path,
    *,
    in_transaction: Callable[[Session, ImportSummary], None] | None = None,
) -> ImportSummary:
    """Upsert areas, dimensions and indicators into a workspace, all or nothing.

    Accepts a `Definitions` value or the path of a definitions YAML file. Checks parents (in the
    file or already stored), the level order municipality → district → subarea, cycles, and
    references to dimensions; raises `ValidationError` and writes nothing when any fails.
    A provenance record (kind "definitions") is kept when anything changed.
    `in_transaction(session, summary)` runs inside the transaction, before it commits.
    """
    if isinstance(definitions_or_path, Definitions):
        defs, origin = definitions_or_path, Origin("definitions")
        source = "definitions"
        checksum = definitions_checksum(defs)
    else:
        path = Path(definitions_or_path)
        defs, origin = load_definitions_with_origin(path)
        checksum = hashlib.sha256(path.read_bytes()).hexdigest()
        source = path.name
    workspace.init()

    def work(session: Session) -> ImportSummary:
        summary = definitions_into(session, defs, origin, source=source, checksum=checksum)
        if in_transaction is not None:
            in_transaction(session, summary)
        return summary

    return retry_writing(workspace, work)


def definitions_checksum(defs: Definitions) -> str:
    """sha256 of the definitions as YAML: equal definitions give equal checksums."""
    return hashlib.sha256(dump_definitions(defs).encode()).hexdigest()


def definitions_into(
    session: Session, defs: Definitions, origin: Origin, *, source: str, checksum: str
) -> ImportSummary:
    """Check and upsert `defs` in the caller's transaction, with a provenance record when
    anything changed."""
    rows = len(defs.areas) + len(defs.dimensions) + len(defs.indicators)
    counts = store_definitions(session, defs, origin)
    seen = session.scalar(select(ImportRow.id).where(ImportRow.checksum == checksum).limit(1))
    import_id = None
    if counts["inserted"] or counts["updated"]:
        record = ImportRow(
            kind="definitions", source=source[:400], format="yaml", checksum=checksum,
            imported_at=datetime.now(UTC), row_count=rows,
            inserted=counts["inserted"], updated=counts["updated"],
        )  # fmt: skip
        session.add(record)
        session.flush()
        import_id = record.id
    return ImportSummary(
        kind="definitions", source=source, checksum=checksum, rows=rows,
        inserted=counts["inserted"], updated=counts["updated"], unchanged=counts["unchanged"],
        import_id=import_id, already_imported=seen is not None,
    )  # fmt: skip


def _source(kind: str | None, ref: str | None) -> Source | None:
    # Earlier HEAT Plus imports stored kind "file" without a ref: such a source says nothing,
    # and must not stop the rest of the definitions from being read back.
    return Source(kind=kind, ref=ref) if kind and ref else None


def read_definitions(workspace: Workspace) -> Definitions:
    """Everything a workspace defines (without the implicit 'total'), ready to dump as YAML."""
    with workspace.session() as s:
        areas = [
            Area(
                id=r.id,
                name=r.name,
                level=r.level,
                parent=r.parent_id,
                code=r.code,
                population=r.population,
                geometry=json.loads(r.geometry) if r.geometry else None,
            )  # fmt: skip
            for r in s.scalars(select(AreaRow).order_by(AreaRow.id))
        ]
        subs: dict[str, list[Subgroup]] = {}
        for r in s.scalars(
            select(SubgroupRow).order_by(
                SubgroupRow.dimension_id, SubgroupRow.subgroup_order, SubgroupRow.id
            )
        ):
            subs.setdefault(r.dimension_id, []).append(
                Subgroup(
                    id=r.id,
                    title=r.title,
                    title_en=r.title_en,
                    order=r.subgroup_order,
                    reference=r.reference,
                )  # fmt: skip
            )
        dimensions = [
            Dimension(
                id=r.id,
                title=r.title,
                title_en=r.title_en,
                ordered=r.ordered,
                subgroups=subs.get(r.id, []),
            )  # fmt: skip
            for r in s.scalars(
                select(DimensionRow).where(DimensionRow.id != TOTAL).order_by(DimensionRow.id)
            )
        ]
        targets: dict[str, list[Target]] = {}
        for t in s.scalars(select(TargetRow).order_by(TargetRow.id)):
            targets.setdefault(t.indicator_id, []).append(
                Target(year=t.year, value=t.value, measure=t.measure, dimension=t.dimension_id)
            )
        indicators = [
            Indicator(
                id=r.id,
                title=r.title,
                title_en=r.title_en,
                description=r.description,
                unit=r.unit,
                scale=r.scale,
                polarity=r.polarity,
                source=_source(r.source_kind, r.source_ref),
                targets=targets.get(r.id, []),
                dimensions=r.dimensions,
            )  # fmt: skip
            for r in s.scalars(select(IndicatorRow).order_by(IndicatorRow.id))
        ]
    return Definitions(areas=areas, dimensions=dimensions, indicators=indicators)
