"""Reading observation files (CSV, XLSX, Parquet) into a raw frame, rows numbered as in the file.

The frame's index is the row number a user sees in a spreadsheet: the header is row 1, so the
first data row is row 2. CSV files may come from Swedish Excel: semicolon separator, decimal
comma, UTF-8 with a byte-order mark or Windows-1252; encoding and separator are detected.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from jamlik.errors import Problem, ValidationError

FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet"}
FIRST_DATA_ROW = 2  # header is row 1


@dataclass(frozen=True)
class RawTable:
    """A table as read: text or native cells, columns as written (lower-cased, trimmed)."""

    frame: pd.DataFrame
    format: str  # csv | xlsx | parquet
    checksum: str  # sha256 of the file's bytes
    decimal: str  # "," or "." for text numbers; "either" for spreadsheets


def _decode(raw: bytes) -> tuple[str, str]:
    # UTF-8 first (with or without BOM): any Windows-1252 text with å, ä, ö fails to decode as
    # UTF-8, while every byte string decodes as Windows-1252, so the order matters.
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252"), "cp1252"


def _separator(text: str) -> str:
    head = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(head, delimiters=";,\t").delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        return max(";,\t", key=first.count)


_TIMES = {2: ("två gånger", "twice"), 3: ("tre gånger", "three times")}


def _places(columns: list[int], letters: bool, sv: bool) -> str:
    """`5 och 9` / `5 and 9`; with spreadsheet letters `5 (E) och 9 (I)`."""
    from openpyxl.utils import get_column_letter

    shown = [f"{c} ({get_column_letter(c)})" if letters else str(c) for c in columns]
    return f"{', '.join(shown[:-1])} {'och' if sv else 'and'} {shown[-1]}"


def header_problems(names: list[str], source: str, *, letters: bool = False) -> list[Problem]:
    """A column named twice, or not at all, in a header (names as written, lower-cased).

    Checked on the header as written: pandas renames a second 'estimate' to 'estimate.1'.
    `letters` adds spreadsheet column letters to the column numbers.
    """
    at: dict[str, list[int]] = {}
    for number, name in enumerate(names, start=1):
        at.setdefault(name, []).append(number)
    problems = []
    for name, columns in at.items():
        if name == "" or name.startswith("unnamed:"):
            where = ", ".join(str(c) for c in columns)
            problems.append(
                Problem(
                    source,
                    "kolumn utan namn i rubrikraden / column without a name in the "
                    f"header (column {where})",
                    row=1,
                    field=name or None,
                )  # fmt: skip
            )
        elif len(columns) > 1:
            sv, en = _TIMES.get(len(columns), (f"{len(columns)} gånger", f"{len(columns)} times"))
            problems.append(
                Problem(
                    source,
                    f"kolumnen '{name}' finns {sv} (kolumn "
                    f"{_places(columns, letters, True)}) / column '{name}' appears {en} "
                    f"(columns {_places(columns, letters, False)}): keep one",
                    row=1,
                    field=name,
                )  # fmt: skip
            )
    return problems


def _columns(frame: pd.DataFrame, source: str, header: list | None = None,
             *, letters: bool = False) -> pd.DataFrame:  # fmt: skip
    """The frame with its columns named as written (trimmed, lower-cased); raises on a column
    named twice or not at all. `header` is the header row as read, when the reader renamed it."""
    written = header if header is not None and len(header) == frame.shape[1] else frame.columns
    names = ["" if pd.isna(c) else str(c).strip().lower() for c in written]
    problems = header_problems(names, source, letters=letters)
    if problems:
        raise ValidationError(problems)
    frame.columns = names
    return frame


def _number_rows(frame: pd.DataFrame) -> pd.DataFrame:
    frame.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame))
    # Blank lines (all cells empty) are no rows at all, but keep the numbering of the rest.
    blank = pd.Series(True, index=frame.index)
    for name in frame.columns:
        col = frame[name]
        cell_blank = col.isna()
        if not pd.api.types.is_numeric_dtype(col):
            cell_blank |= col.astype(str).str.strip().eq("")
        blank &= cell_blank
        if not blank.any():  # the usual case: stop at the first column with data in every row
            break
    return frame.loc[~blank]


def read_csv_text(text: str, source: str) -> tuple[pd.DataFrame, str]:
    """Parse CSV text; returns the raw frame (all cells text) and its decimal mark."""
    sep = _separator(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
            skip_blank_lines=False, skipinitialspace=True,
        )  # fmt: skip
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValidationError(
            [Problem(source, f"kan inte läsas som CSV / cannot be read as CSV: {exc}")]
        ) from exc
    header = next(csv.reader(io.StringIO(text), delimiter=sep, skipinitialspace=True), None)
    # Swedish Excel writes ';' because ',' is its decimal mark.
    return _number_rows(_columns(frame, source, header)), "," if sep == ";" else "."


def read_table(path: str | Path) -> RawTable:
    """Read an observations file; raises ValidationError naming the file when it cannot."""
    p = Path(path)
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise ValidationError(
            [
                Problem(
                    p.name,
                    f"okänt filformat / unknown file type '{p.suffix}': use .csv, "
                    ".xlsx, .parquet (observations) or .yaml (definitions)",
                )
            ]  # fmt: skip
        )
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ValidationError([Problem(p.name, f"kan inte läsas / cannot be read: {exc}")]) from exc
    checksum = hashlib.sha256(raw).hexdigest()
    if fmt == "csv":
        text, _ = _decode(raw)
        frame, decimal = read_csv_text(text, p.name)
        return RawTable(frame, fmt, checksum, decimal)
    header = None
    try:
        if fmt == "xlsx":
            # Read the header as a row: pandas would rename a second 'estimate' to 'estimate.1'.
            frame = pd.read_excel(io.BytesIO(raw), sheet_name=0, header=None, dtype=object,
                                  engine="openpyxl")  # fmt: skip
            header, frame = list(frame.iloc[0]) if len(frame) else [], frame.iloc[1:]
        else:
            frame = pd.read_parquet(io.BytesIO(raw))
    except Exception as exc:  # the readers raise many types for a damaged file
        raise ValidationError(
            [Problem(p.name, f"kan inte läsas som {fmt} / cannot be read as {fmt}: {exc}")]
        ) from exc
    frame = _columns(frame, p.name, header, letters=fmt == "xlsx")
    return RawTable(_number_rows(frame), fmt, checksum, "either")
