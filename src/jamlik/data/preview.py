"""A dry run of an observation import: what it would do, or every problem, writing nothing.

The checks are the import's own (`jamlik.data.validate.prepare` and the comparison with what is
stored), run in a transaction that is always rolled back, so a preview and the import that
follows it cannot disagree about what is valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.data.observations import compare, frame_checksum, frame_rows
from jamlik.data.readers import read_table
from jamlik.data.store_definitions import ensure_total
from jamlik.data.tables import ImportRow
from jamlik.data.validate import Catalog, prepare
from jamlik.errors import Problem, ValidationError
from jamlik.workspace import Workspace


@dataclass(frozen=True)
class Preview:
    """What importing a table would do. `problems` is empty when it can be imported.

    Rows are counted as read (`rows`); `new + changed + unchanged + kept == rows` when there
    are no problems. `created` counts definitions a HEAT Plus file would add, e.g.
    {"indicator": 2}. `already_imported` is True when an earlier import had the same checksum.
    """

    source: str
    format: str
    checksum: str
    rows: int
    indicators: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    kept: int = 0
    created: dict[str, int] = field(default_factory=dict)
    # The ids behind `created` (subgroups as "dimension/subgroup"), so a preview can say
    # exactly what would be defined.
    created_ids: dict[str, tuple[str, ...]] = field(default_factory=dict)
    already_imported: bool = False
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def check_file(workspace: Workspace, path: str | Path, *, source: str | None = None) -> Preview:
    """Preview importing an observations file (.csv, .xlsx, .parquet) as `import_file` would.

    `source` names the input in problems (default: the file's name). A file that cannot be read
    gives a preview with its problems and no rows.
    """
    p = Path(path)
    name = source or p.name
    try:
        table = read_table(p)
    except ValidationError as exc:
        problems = tuple(Problem(name, q.message, q.line, q.row, q.field) for q in exc.problems)
        return Preview(name, p.suffix.lstrip(".").lower(), "", 0, problems=problems)
    return _check(workspace, table.frame, name, table.format, table.decimal, table.checksum)


def check_observations(workspace: Workspace, frame: pd.DataFrame, *, source: str) -> Preview:
    """Preview importing an observation frame as `import_observations` would."""
    try:
        raw = frame_rows(frame, source)
    except ValidationError as exc:
        return Preview(source, "frame", frame_checksum(frame), len(frame),
                       problems=tuple(exc.problems))  # fmt: skip
    return _check(workspace, raw, source, "frame", "either", frame_checksum(frame))


def _check(workspace: Workspace, raw: pd.DataFrame, source: str, fmt: str, decimal: str,
           checksum: str) -> Preview:  # fmt: skip
    workspace.init()
    with Session(workspace.engine()) as session:
        try:
            ensure_total(session)  # as the import does; rolled back below
            try:
                prepared = prepare(raw, source=source, decimal=decimal,
                                   catalog=Catalog.load(session))  # fmt: skip
            except ValidationError as exc:
                return Preview(source, fmt, checksum, len(raw), problems=tuple(exc.problems))
            frame = prepared.frame
            diff = compare(session, frame)
            seen = session.scalar(
                select(ImportRow.id).where(ImportRow.checksum == checksum).limit(1)
            )
        finally:
            session.rollback()
    created_ids = {
        "indicator": _ids(prepared.new_indicators["id"] if len(prepared.new_indicators) else ()),
        "area": _ids(prepared.new_areas["id"] if len(prepared.new_areas) else ()),
        "dimension": _ids(prepared.new_dimensions["id"] if len(prepared.new_dimensions) else ()),
        "subgroup": _ids(
            f"{r.dimension}/{r.subgroup}" for r in prepared.new_subgroups.itertuples(index=False)
        ),
    }
    created = {k: len(v) for k, v in created_ids.items()}
    return Preview(
        source=source, format="heatplus" if prepared.layout == "heatplus" else fmt,
        checksum=checksum, rows=len(frame),
        indicators=tuple(sorted(frame["indicator"].unique())),
        periods=tuple(sorted(frame["period"].unique())),
        areas=tuple(sorted(frame["area"].unique())),
        new=len(diff.new), changed=len(diff.changed), unchanged=diff.unchanged, kept=diff.kept,
        created={k: v for k, v in created.items() if v},
        created_ids={k: v for k, v in created_ids.items() if v}, already_imported=seen is not None,
        notes=prepared.notes,
    )  # fmt: skip


def _ids(values) -> tuple[str, ...]:
    return tuple(sorted({str(v) for v in values}))
