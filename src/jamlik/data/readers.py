"""Reading observation files (CSV, XLSX, Parquet) into a raw frame, rows numbered as in the file.

The frame's index is the row number a user sees in a spreadsheet: the header is row 1, so the
first data row is row 2. CSV files may come from Swedish Excel: semicolon separator, decimal
comma, UTF-8 with a byte-order mark or Windows-1252; encoding and separator are detected.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from jamlik.errors import Problem, ValidationError
from jamlik.spreadsheet_safe import unquote_frame

FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet"}
FIRST_DATA_ROW = 2  # header is row 1


@dataclass(frozen=True)
class RawTable:
    """A table as read: text or native cells, columns as written (lower-cased, trimmed)."""

    frame: pd.DataFrame
    format: str  # csv | xlsx | parquet
    checksum: str  # sha256 of the file's bytes
    decimal: str  # "," or "." for text numbers; "either" for spreadsheets


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _decode(raw: bytes, source: str) -> tuple[str, str]:
    # UTF-8 first (with or without BOM): any Windows-1252 text with å, ä, ö fails to decode as
    # UTF-8, while nearly every byte string decodes as Windows-1252, so the order matters.
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8:
        first = utf8
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as cp1252:
        # Five bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) mean nothing in Windows-1252.
        byte, line = raw[cp1252.start], _line_of(raw, cp1252.start)
        u_byte, u_line = raw[first.start], _line_of(raw, first.start)
        raise ValidationError(
            [
                Problem(
                    source,
                    "kan inte avkodas: provade UTF-8 och Windows-1252. Byten "
                    f"0x{u_byte:02X} på rad {u_line} är inte giltig UTF-8 och byten "
                    f"0x{byte:02X} på rad {line} finns inte i Windows-1252. Spara filen som "
                    "UTF-8 (i Excel: CSV UTF-8) och försök igen / cannot be decoded: "
                    f"tried UTF-8 and Windows-1252. Byte 0x{u_byte:02X} on line {u_line} is "
                    f"not valid UTF-8 and byte 0x{byte:02X} on line {line} is undefined in "
                    "Windows-1252. Save the file as UTF-8 (in Excel: CSV UTF-8) and try again",
                    line=line,
                )
            ]
        ) from None


CANDIDATES = ";,\t"  # in order of preference when the header alone cannot tell
SAMPLE_CHARS = 64 * 1024
SAMPLE_RECORDS = 50


def _separator(text: str) -> str:
    """The separator that splits the header into the most columns, outside quotes.

    One pass over a bounded sample (the first `SAMPLE_RECORDS` records within `SAMPLE_CHARS`):
    `csv.Sniffer` backtracks on crafted text (a 60 kB file kept a server busy for 79 s). A
    separator that splits every sampled record into as many fields as the header wins over one
    that does not; among equals, the header's count, then `CANDIDATES`' order, decides.
    """
    records: list[dict[str, int]] = []
    current = dict.fromkeys(CANDIDATES, 0)
    quoted = False
    for char in text[:SAMPLE_CHARS]:
        if char == '"':
            quoted = not quoted  # a doubled quote inside a quoted field toggles twice
        elif quoted:
            continue
        elif char == "\n":
            records.append(current)
            if len(records) == SAMPLE_RECORDS:
                break
            current = dict.fromkeys(CANDIDATES, 0)
        elif char in current:
            current[char] += 1
    else:
        if not records:  # one record in all: the header (a cut-off last record would mislead)
            records.append(current)
    if not records:
        return ","
    header, rest = records[0], [r for r in records[1:] if any(r.values())]

    def score(sep: str) -> tuple[bool, int, int]:
        steady = header[sep] > 0 and all(r[sep] == header[sep] for r in rest)
        return steady, header[sep], -CANDIDATES.index(sep)

    best = max(CANDIDATES, key=score)
    return best if header[best] else ","


SHOWN = 10  # column numbers listed in one header problem
_TIMES = {2: ("två gånger", "twice"), 3: ("tre gånger", "three times")}


def _places(columns: list[int], letters: bool, sv: bool) -> str:
    """`5 och 9` / `5 and 9`; with spreadsheet letters `5 (E) och 9 (I)`."""
    from openpyxl.utils import get_column_letter

    shown = [f"{c} ({get_column_letter(c)})" if letters else str(c) for c in columns[:SHOWN]]
    if len(columns) > SHOWN:  # a crafted header may repeat a name thousands of times
        more = len(columns) - SHOWN
        return f"{', '.join(shown)} {'och' if sv else 'and'} {more} {'till' if sv else 'more'}"
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
            where = ", ".join(str(c) for c in columns[:SHOWN])
            where += f", … ({len(columns)})" if len(columns) > SHOWN else ""
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
    header = next(csv.reader(io.StringIO(text), delimiter=sep, skipinitialspace=True), None)
    # The header is checked before pandas reads the file: pandas renames repeated names in
    # quadratic time (a header of 15,000 ',' took it 20 s).
    names = [str(c).strip().lower() for c in header or []]
    problems = header_problems(names, source)
    if problems:
        raise ValidationError(problems)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
            skip_blank_lines=False, skipinitialspace=True,
        )  # fmt: skip
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValidationError(
            [Problem(source, f"kan inte läsas som CSV / cannot be read as CSV: {exc}")]
        ) from exc
    # Swedish Excel writes ';' because ',' is its decimal mark.
    return _number_rows(_columns(frame, source, header)), "," if sep == ";" else "."


# An XLSX file is a zip of XML: openpyxl reads about 1.3 MB of sheet XML a second on a busy
# machine, so these bound the work one file may ask for (a 374 kB file expanding to 128 MB
# kept a server busy for 3.5 minutes). Real sheets compress about ten to one.
MAX_UNPACKED = 100 * 2**20  # bytes of XML in all, about 270,000 rows of eight columns
MAX_RATIO = 100  # unpacked / packed, for any member larger than RATIO_FROM
RATIO_FROM = 2**20
MAX_MEMBERS = 10_000


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB"


def _too_big(source: str, sv: str, en: str) -> ValidationError:
    return ValidationError(
        [
            Problem(
                source,
                f"{sv}. Spara tabellen som CSV eller dela upp den / {en}. Save the "
                "table as CSV or split it up",
            )
        ]  # fmt: skip
    )


def _check_unpacked(raw: bytes, source: str) -> None:
    """Refuse a zip whose declared sizes exceed the caps, before anything unpacks it.

    The declared sizes bound what is read: `zipfile` stops at a member's declared size and
    fails its CRC check when the data would have gone on.
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ValidationError(
            [Problem(source, f"kan inte läsas som xlsx / cannot be read as xlsx: {exc}")]
        ) from None
    if len(members) > MAX_MEMBERS:
        raise _too_big(source, f"filen har {len(members)} delar (högst {MAX_MEMBERS})",
                       f"the file has {len(members)} parts (at most {MAX_MEMBERS})")  # fmt: skip
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED:
        raise _too_big(
            source,
            f"filen packas upp till {_mb(total)} (jamlik läser högst {_mb(MAX_UNPACKED)})",
            f"the file unpacks to {_mb(total)} (jamlik reads at most {_mb(MAX_UNPACKED)})",
        )  # fmt: skip
    for m in members:
        if m.file_size > RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            ratio = m.file_size // max(m.compress_size, 1)
            raise _too_big(
                source,
                f"delen {m.filename} packas upp {ratio} gånger ({_mb(m.file_size)}), som en "
                f"zip-bomb (högst {MAX_RATIO} gånger)",
                f"part {m.filename} unpacks {ratio} times ({_mb(m.file_size)}), like a zip "
                f"bomb (at most {MAX_RATIO} times)",
            )  # fmt: skip


def _check_parquet(raw: bytes, source: str) -> None:
    """Refuse a Parquet file whose row groups declare more data than an XLSX may unpack to."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(io.BytesIO(raw)).metadata
    total = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    limit = 20 * MAX_UNPACKED  # columnar data is far cheaper to read than sheet XML
    if total > limit:
        raise _too_big(
            source,
            f"filen packas upp till {_mb(total)} (jamlik läser högst {_mb(limit)})",
            f"the file unpacks to {_mb(total)} (jamlik reads at most {_mb(limit)})",
        )  # fmt: skip


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
        text, _ = _decode(raw, p.name)
        frame, decimal = read_csv_text(text, p.name)
        return RawTable(unquote_frame(frame), fmt, checksum, decimal)
    if fmt == "xlsx":
        _check_unpacked(raw, p.name)
    header = None
    try:
        if fmt == "xlsx":
            # Read the header as a row: pandas would rename a second 'estimate' to 'estimate.1'.
            frame = pd.read_excel(io.BytesIO(raw), sheet_name=0, header=None, dtype=object,
                                  engine="openpyxl")  # fmt: skip
            header, frame = list(frame.iloc[0]) if len(frame) else [], frame.iloc[1:]
        else:
            _check_parquet(raw, p.name)
            frame = pd.read_parquet(io.BytesIO(raw))
    except ValidationError:
        raise
    except Exception as exc:  # the readers raise many types for a damaged file
        raise ValidationError(
            [Problem(p.name, f"kan inte läsas som {fmt} / cannot be read as {fmt}: {exc}")]
        ) from exc
    frame = _columns(frame, p.name, header, letters=fmt == "xlsx")
    if fmt == "xlsx":
        frame = unquote_frame(frame)
    return RawTable(_number_rows(frame), fmt, checksum, "either")
