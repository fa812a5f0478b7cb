"""Importing observations: validate all rows, then upsert them in bulk with a provenance record.

All or nothing: validation finishes before the first write, and the writes share one transaction.
Idempotent: rows whose key (indicator, period, area, dimension, subgroup) is stored with the same
values are left alone, so importing the same data twice changes nothing and writes no record.
A suppressed cell without an estimate never overwrites a stored row: the stored values are kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.contention import retry_writing
from jamlik.data.layout import KEY, NUMBERS
from jamlik.data.readers import FIRST_DATA_ROW, header_problems, read_table
from jamlik.data.store_definitions import ensure_total
from jamlik.data.summary import ImportSummary
from jamlik.data.suppression import is_suppressed_flag
from jamlik.data.tables import (
    AreaRow,
    DimensionRow,
    ImportRow,
    IndicatorRow,
    ObservationRow,
    SubgroupRow,
)
from jamlik.data.validate import Catalog, Prepared, prepare
from jamlik.dbwrites import insert_missing, write_rows
from jamlik.errors import ValidationError
from jamlik.workspace import Workspace

Progress = Callable[[int, int], None]  # (rows written so far, rows to write)
# Called with the session and the summary inside an import's transaction, before it commits.
InTransaction = Callable[[Session, ImportSummary], None]
VALUES = [*NUMBERS, "flag", "source", "setting_average"]


def frame_checksum(frame: pd.DataFrame) -> str:
    """sha256 of a frame's columns and values: equal frames give equal checksums."""
    h = hashlib.sha256("\x1f".join(map(str, frame.columns)).encode())
    h.update(pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy().tobytes())
    return h.hexdigest()


def frame_rows(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """A frame as the importer reads it: columns trimmed and lower-cased, checked for a column
    named twice or not at all, and rows numbered as a spreadsheet shows them (first row 2)."""
    raw = frame.copy()
    raw.columns = [str(col).strip().lower() for col in raw.columns]
    if problems := header_problems(list(raw.columns), source):
        raise ValidationError(problems)
    raw.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(raw))
    return raw


def import_observations(
    workspace: Workspace,
    frame: pd.DataFrame,
    *,
    source: str,
    checksum: str | None = None,
    attribution: str | None = None,
    url: str | None = None,
    query: str | None = None,
    progress: Progress | None = None,
    in_transaction: InTransaction | None = None,
    fictitious: bool = False,
) -> ImportSummary:
    """Validate every row of an observation frame and upsert it, all or nothing.

    `frame` has the observation columns (jamlik layout: ids must be defined in the workspace)
    or HEAT Plus template columns (self-describing). Problems name rows as a spreadsheet would
    show the frame: the header is row 1, `frame.iloc[0]` is row 2. `source` names the input in
    the provenance record; `checksum` defaults to a hash of the frame's contents;
    `fictitious` marks the data as invented example data in it (every page, answer and report
    built on them then says so).
    `in_transaction(session, summary)` is called inside the import's transaction after the
    writes (e.g. to add an audit entry that must commit with the import); if it raises, the
    import is rolled back.
    Raises `ObservationValidationError` (a `jamlik.errors.ValidationError`) and writes nothing
    when any row is bad.
    """
    raw = frame_rows(frame, source)
    return _import(
        workspace, raw, in_transaction, source=source, fmt="frame", decimal="either",
        checksum=checksum or frame_checksum(frame), attribution=attribution, url=url,
        query=query, progress=progress, fictitious=fictitious,
    )  # fmt: skip


def import_file(
    workspace: Workspace,
    path: str | Path,
    *,
    attribution: str | None = None,
    progress: Progress | None = None,
    in_transaction: InTransaction | None = None,
    fictitious: bool = False,
) -> ImportSummary:
    """Import a file into a workspace: definitions (.yaml/.yml) or observations (.csv, .xlsx,
    .parquet; jamlik layout, HEAT Plus template, or CSV as Swedish Excel writes it).

    `in_transaction` as for `import_observations`."""
    p = Path(path)
    if p.suffix.lower() in (".yaml", ".yml"):
        from jamlik.data.store_definitions import import_definitions

        return import_definitions(workspace, p, in_transaction=in_transaction)
    table = read_table(p)
    return _import(
        workspace, table.frame, in_transaction, source=p.name, fmt=table.format,
        decimal=table.decimal, checksum=table.checksum, attribution=attribution, url=None,
        query=None, progress=progress, fictitious=fictitious,
    )  # fmt: skip


def _import(workspace: Workspace, raw: pd.DataFrame, in_transaction: InTransaction | None,
            **options) -> ImportSummary:  # fmt: skip
    workspace.init()
    validated: dict[str, Prepared] = {}

    def work(session: Session) -> ImportSummary:
        summary = observations_into(session, raw, validated=validated, **options)
        if in_transaction is not None:
            in_transaction(session, summary)
        return summary

    return retry_writing(workspace, work)


def observations_into(session: Session, raw: pd.DataFrame, *, source: str, fmt: str,
                      decimal: str, checksum: str, attribution: str | None, url: str | None,
                      query: str | None, progress: Progress | None = None,
                      validated: dict[str, Prepared] | None = None,
                      fictitious: bool = False) -> ImportSummary:  # fmt: skip
    """Validate `raw` (index = file rows) and upsert it in the caller's transaction.

    `validated` keeps the validation between attempts of one import (`retry_writing`): when
    an attempt must start again under the write lock, validating the file again (the slow
    part) is skipped unless the definitions changed meanwhile; what to insert and update is
    always worked out afresh inside the transaction that writes it."""
    ensure_total(session)
    catalog = Catalog.load(session)
    key = catalog.fingerprint()
    prepared = (validated or {}).get(key)
    if prepared is None:
        prepared = prepare(raw, source=source, decimal=decimal, catalog=catalog)
        if validated is not None:
            validated.clear()
            validated[key] = prepared
    created = _create_definitions(session, prepared, source)
    frame = prepared.frame
    diff = compare(session, frame)
    new, changed = diff.new, diff.changed
    seen = session.scalar(select(ImportRow.id).where(ImportRow.checksum == checksum).limit(1))
    import_id = None
    if len(new) or len(changed) or any(created.values()):
        record = ImportRow(
            kind="observations", source=source[:400],
            format="heatplus" if prepared.layout == "heatplus" else fmt,
            checksum=checksum, imported_at=datetime.now(UTC), row_count=len(frame),
            inserted=len(new), updated=len(changed), attribution=attribution, url=url,
            query=query, fictitious=fictitious,
        )  # fmt: skip
        session.add(record)
        session.flush()
        import_id = record.id
        _write(session, new, changed, import_id, progress)
    return ImportSummary(
        kind="observations", source=source, checksum=checksum, rows=len(frame),
        inserted=len(new), updated=len(changed), unchanged=diff.unchanged, kept=diff.kept,
        import_id=import_id, already_imported=seen is not None,
        created={k: v for k, v in created.items() if v}, notes=prepared.notes,
    )  # fmt: skip


def _create_definitions(session: Session, p: Prepared, source: str) -> dict[str, int]:
    """Store the indicators, areas, dimensions and subgroups a HEAT Plus file brings.

    An indicator's source is the file (or frame) it came from: kind "file", ref its name.
    Idempotent: a definition another import stored meanwhile is left as it is.
    """
    insert_missing(session, IndicatorRow, [
        dict(id=r.id, title=str(r.title)[:400], scale=float(r.scale),
             polarity="higher_is_better" if r.fav == 1 else "higher_is_worse",
             source_kind="file", source_ref=source[:400] or None)
        for r in p.new_indicators.itertuples(index=False)
    ])  # fmt: skip
    # HEAT Plus settings carry no hierarchy: they become top-level areas.
    insert_missing(session, AreaRow, [
        dict(id=r.id, name=r.id, level="municipality", code=r.code)
        for r in p.new_areas.itertuples(index=False)
    ])  # fmt: skip
    insert_missing(session, DimensionRow, [
        dict(id=r.id, title=r.id, ordered=bool(r.ordered == 1))
        for r in p.new_dimensions.itertuples(index=False)
    ])  # fmt: skip
    insert_missing(session, SubgroupRow, [
        dict(dimension_id=r.dimension, id=r.subgroup, title=r.subgroup,
             subgroup_order=int(r.order) if pd.notna(r.order) and r.order > 0 else None,
             reference=bool(r.ref == 1))
        for r in p.new_subgroups.itertuples(index=False)
    ])  # fmt: skip
    return {
        "indicator": len(p.new_indicators), "area": len(p.new_areas),
        "dimension": len(p.new_dimensions), "subgroup": len(p.new_subgroups),
    }  # fmt: skip


def _stored(session: Session, indicators: list[str]) -> pd.DataFrame:
    o = ObservationRow
    cols = [o.id, o.indicator_id, o.period, o.area_id, o.dimension_id, o.subgroup_id,
            *(getattr(o, c) for c in VALUES)]  # fmt: skip
    parts = []
    conn = session.connection()  # Core rows: no ORM bookkeeping for a million of them
    for start in range(0, len(indicators), 500):  # keep IN lists within every engine's limits
        stmt = select(*cols).where(o.indicator_id.in_(indicators[start : start + 500]))
        parts.append(pd.DataFrame(conn.execute(stmt).fetchall(), columns=["id", *KEY, *VALUES]))
    return (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["id", *KEY, *VALUES])
    )


@dataclass(frozen=True)
class Diff:
    """An import compared with what is stored."""

    new: pd.DataFrame  # rows to insert
    changed: pd.DataFrame  # rows to update, with their stored id
    unchanged: int  # rows stored with the same values
    kept: int  # suppressed rows without an estimate that left a differing stored row as it was


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Equal values, with missing equal to missing and floats compared to rounding noise."""
    both_missing = a.isna().to_numpy() & b.isna().to_numpy()
    if a.dtype == object or b.dtype == object:
        equal = a.astype(object).to_numpy() == b.astype(object).to_numpy()
    else:
        equal = np.isclose(a.to_numpy(dtype=float), b.to_numpy(dtype=float), rtol=1e-12, atol=0)
    return both_missing | (equal & ~(a.isna().to_numpy() | b.isna().to_numpy()))


def compare(session: Session, frame: pd.DataFrame) -> Diff:
    """A validated frame against what is stored: rows to insert, rows to update (with their
    stored id), and counts of the rest. Reads only."""
    stored = _stored(session, sorted(frame["indicator"].unique()))
    for c in ("flag", "source"):
        stored[c] = stored[c].astype(object)
    for c in ("estimate", "se", "ci_lb", "ci_ub", "population", "numerator", "denominator",
              "setting_average"):  # fmt: skip
        stored[c] = pd.to_numeric(stored[c]).astype("float64")
    merged = frame.reset_index(drop=True).merge(
        stored, on=KEY, how="left", suffixes=("", "_db"), validate="one_to_one"
    )
    is_new = merged["id"].isna().to_numpy()
    same = np.ones(len(merged), dtype=bool)
    for c in VALUES:
        same &= _same(merged[c], merged[f"{c}_db"])
    # A suppressed cell says "not shown", not "no value": an export imported again (or a source
    # that now suppresses a cell) must not blank what the workspace holds. Such a cell adds a
    # row where none is stored and otherwise leaves the stored row as it is.
    kept = (
        ~is_new & ~same
        & is_suppressed_flag(merged["flag"]).to_numpy()
        & merged["estimate"].isna().to_numpy()
    )  # fmt: skip
    changed = ~is_new & ~same & ~kept
    return Diff(
        new=merged.loc[is_new, [*KEY, *VALUES]],
        changed=merged.loc[changed, ["id", *VALUES]].astype({"id": "int64"}),
        unchanged=int((~is_new & same).sum()),
        kept=int(kept.sum()),
    )


def _write(session: Session, new: pd.DataFrame, changed: pd.DataFrame, import_id: int,
           progress: Progress | None) -> None:  # fmt: skip
    new = new.rename(columns={"indicator": "indicator_id", "area": "area_id",
                              "dimension": "dimension_id", "subgroup": "subgroup_id"})  # fmt: skip
    new["import_id"] = import_id
    changed = changed.assign(import_id=import_id)
    total = len(new) + len(changed)
    write_rows(session, ObservationRow, new, changed,
               (lambda done: progress(done, total)) if progress else None)  # fmt: skip
