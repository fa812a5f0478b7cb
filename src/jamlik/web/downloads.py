"""The explorer's downloads: its data as CSV and XLSX, after suppression.

Both files hold what `jamlik.followup.explore` returned, which has already been through
`jamlik.data.suppression.suppress`: a suppressed cell keeps its keys and population, has no
estimate, standard error or interval, and says why in its flag column: "suppressed" (too few
people) or "suppressed_secondary" (hidden so that another hidden value cannot be worked out). Nothing is
recomputed here.

CSV: UTF-8 with a byte-order mark (so spreadsheet programs read å, ä and ö right), numbers
rounded to the precision the page shows (values and intervals to one decimal, standard errors to
two, populations to whole people). From a Swedish page it is in the Swedish Excel flavour:
semicolon-separated with a decimal comma, so Excel in Swedish opens it as numbers; from an English
page comma-separated with a decimal point. XLSX: the same data in full precision, the measures of
the chosen period, and a sheet that says where the data come from and how small cells were
handled. Every hidden row says why in `hidden_reason` (too few people; too few with or without
what is measured; protecting another value), in the page's language.

A source's mandatory notes (SCB's noteMandatory) must travel with its values. The XLSX lists them
on its about sheet; the CSV, which has no room beside its table, carries them in a last column,
`source_note`, filled on every row of an indicator the notes concern (all rows: a file holds one
indicator, and jamlik keeps notes per import of an indicator's values). A column keeps the file
one rectangular table, so it reads back row for row; lines of notes above or below the table
would be read as rows by every CSV reader. Text that a spreadsheet would run as
a formula is made inert (`jamlik.spreadsheet_safe`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from jamlik.followup import ExploreResult
from jamlik.spreadsheet_safe import append_text_safe, safe_dict

DATA_COLUMNS = [
    "indicator", "area", "dimension", "subgroup", "subgroup_title", "period", "estimate", "se",
    "ci_lb", "ci_ub", "population", "flag", "hidden_reason",
]  # fmt: skip
# Decimals of each number column in the CSV (the page's precision); XLSX keeps full precision.
CSV_DECIMALS = {"estimate": 1, "se": 2, "ci_lb": 1, "ci_ub": 1, "population": 0}
MEASURE_COLUMNS = [
    "indicator",
    "area",
    "dimension",
    "period",
    "measure",
    "name",
    "estimate",
    "se",
    "ci_lb",
    "ci_ub",
    "note",
]
CSV_COLUMNS = [*DATA_COLUMNS, "source_note"]
SUPPRESSED = "suppressed"  # too few people
SECONDARY = "suppressed_secondary"  # hidden so that another hidden value cannot be worked out


def data_rows(
    result: ExploreResult, lang: str, reason: Callable[[bool, float | None], str] | None = None
) -> list[dict[str, Any]]:
    """One row per subgroup and period, in the explorer's order; `reason(secondary,
    population)` says why a hidden row is hidden."""
    rows = []
    for s in result.history:
        title = s.title_sv if lang == "sv" else (s.title_en or s.title_sv)
        for p in s.points:
            hidden = p.suppressed
            rows.append(
                {
                    "indicator": result.indicator,
                    "area": result.area,
                    "dimension": result.dimension,
                    "subgroup": s.subgroup,
                    "subgroup_title": title,
                    "period": p.period,
                    "estimate": None if hidden else p.estimate,
                    "se": None if hidden else p.se,
                    "ci_lb": None if hidden else p.ci_lb,
                    "ci_ub": None if hidden else p.ci_ub,
                    "population": p.population,
                    "flag": (SECONDARY if p.secondary else SUPPRESSED) if hidden else None,
                    "hidden_reason": reason(p.secondary, p.population)
                    if hidden and reason
                    else None,
                }
            )
    return rows


def measure_rows(result: ExploreResult, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "indicator": result.indicator,
            "area": result.area,
            "dimension": result.dimension,
            "period": result.period,
            "measure": m.code,
            "name": m.name_sv if lang == "sv" else m.name_en,
            "estimate": m.estimate,
            "se": m.se,
            "ci_lb": m.ci_lb,
            "ci_ub": m.ci_ub,
            "note": m.note,
        }
        for m in result.measures
    ]


def csv_number(value: float | None, decimals: int, lang: str) -> str:
    """A number as the CSV writes it: rounded, decimal comma in Swedish (no grouping)."""
    if value is None:
        return ""
    text = f"{round(float(value), decimals) + 0.0:.{decimals}f}"
    return text.replace(".", ",") if lang == "sv" else text


def to_csv(
    result: ExploreResult,
    lang: str,
    notes: Sequence[str] = (),
    reason: Callable[[bool, float | None], str] | None = None,
) -> bytes:
    """The data rows; `notes` (the source's mandatory notes) in the column `source_note`;
    Swedish Excel flavour (`;`, decimal comma) when `lang` is Swedish (module docstring)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, CSV_COLUMNS, delimiter=";" if lang == "sv" else ",", lineterminator="\r\n"
    )
    writer.writeheader()
    note = " ".join(notes)
    for row in data_rows(result, lang, reason):
        row["source_note"] = note
        out = safe_dict({k: "" if v is None else v for k, v in row.items()})
        # Numbers are written after the text is made safe: a negative number stays a number.
        for column, decimals in CSV_DECIMALS.items():
            out[column] = csv_number(row[column], decimals, lang)
        writer.writerow(out)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(
    result: ExploreResult,
    lang: str,
    about: list[tuple[str, str]],
    reason: Callable[[bool, float | None], str] | None = None,
) -> bytes:
    """A workbook with sheets data, measures and about (`about` as (label, text) lines)."""
    book = Workbook()
    sheets = [
        ("data", DATA_COLUMNS, data_rows(result, lang, reason)),
        ("measures", MEASURE_COLUMNS, measure_rows(result, lang)),
    ]
    first = True
    for name, columns, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = name
        append_text_safe(sheet, columns)
        for row in rows:
            append_text_safe(sheet, [row[c] for c in columns])
        sheet.freeze_panes = "A2"
        for i, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(10, len(column) + 2)
    info = book.create_sheet("about")
    for label, text in about:
        append_text_safe(info, [label, text])
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
