"""The report's data tables as CSV files, one per chart, with suppression already applied.

Numbers are written plainly (a point as decimal separator, no thousands separator) so any
program reads them; a suppressed cell holds the report's words for it and a missing cell is
empty. UTF-8 with a byte order mark, so spreadsheet programs show å, ä and ö.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from jamlik.report.document import Cell, Table
from jamlik.report.i18n import Lang, t
from jamlik.spreadsheet_safe import safe_row, safe_text


def _value(cell: Cell, lang: Lang) -> str:
    if cell.suppressed:  # its words say why: too few people, or protecting another value
        return cell.text or t("suppressed", lang)
    if cell.value is None:
        return ""
    if isinstance(cell.value, float):
        return repr(cell.value)
    if isinstance(cell.value, str):
        return safe_text(cell.value)  # a title such as '=1+2' must not become a formula
    return str(cell.value)


def write_tables(tables: Iterable[Table], folder: Path, lang: Lang) -> list[Path]:
    """Write each table to `folder/<table id>.csv`; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        path = folder / f"{table.id}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(safe_row(table.columns))
            for row in table.rows:
                writer.writerow([_value(cell, lang) for cell in row])
        written.append(path)
    return written
