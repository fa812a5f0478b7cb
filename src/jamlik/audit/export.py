"""Exporting the audit log as CSV or JSON for administrators."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal, TextIO

from jamlik.audit.log import AuditEntry, to_json
from jamlik.errors import JamlikError
from jamlik.spreadsheet_safe import safe_row

Format = Literal["csv", "json"]
COLUMNS = ("id", "at", "user", "action", "entity", "entity_id", "before", "after")


def format_for(path: Path) -> Format:
    """The export format a file name asks for (.csv or .json)."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("csv", "json"):
        raise JamlikError(
            f"{path}: okänt format / unknown format {path.suffix or '(none)'}; "
            "name the file .csv or .json"
        )
    return suffix  # type: ignore[return-value]


def write_log(entries: Iterable[AuditEntry], out: TextIO, fmt: Format) -> int:
    """Write `entries` to `out`; returns how many were written.

    CSV keeps `before` and `after` as JSON text in their cells (one row per entry, UTF-8,
    comma-separated, which Excel opens when the file starts with a BOM: add it when writing a
    file for Excel users). JSON is a list of objects with `before`/`after` as nested values.
    """
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for e in entries:
            writer.writerow(
                safe_row(
                    [
                        e.id,
                        e.at.isoformat(),
                        e.user or "",
                        e.action,
                        e.entity,
                        e.entity_id or "",
                        to_json(e.before) or "",
                        to_json(e.after) or "",
                    ]
                )  # fmt: skip
            )
            count += 1
        return count
    items = []
    for e in entries:
        items.append(
            {
                "id": e.id,
                "at": e.at.isoformat(),
                "user": e.user,
                "action": e.action,
                "entity": e.entity,
                "entity_id": e.entity_id,
                "before": e.before,
                "after": e.after,
            }  # fmt: skip
        )
        count += 1
    json.dump(items, out, ensure_ascii=False, indent=2, sort_keys=False)
    out.write("\n")
    return count


def export_log(entries: Iterable[AuditEntry], path: Path) -> int:
    """Write `entries` to `path` in the format its suffix names (.csv gets a BOM for Excel)."""
    fmt = format_for(path)
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with path.open("w", encoding=encoding, newline="") as out:
        return write_log(entries, out, fmt)
