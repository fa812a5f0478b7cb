"""Formula injection: text a spreadsheet program would run (`=`, `+`, `-`, `@`, or a tab or
carriage return before one) leaves every CSV and XLSX writer of jamlik with a quote in front
(OWASP's rule), while numbers, negative ones included, stay numbers. The web downloads and the
data export are attacked end to end in tests/web/test_hostile_files.py; these are the other
writers: the rule itself, the report's tables, the audit export, an investment's tables and
`jamlik measures --out`."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pandas as pd
import pytest
from typer.testing import CliRunner

from jamlik.audit.export import write_log
from jamlik.audit.log import AuditEntry
from jamlik.cli.app import app
from jamlik.invest.results import _write_csv
from jamlik.report.csvout import write_tables
from jamlik.report.document import Cell, Table
from jamlik.spreadsheet_safe import safe_frame, safe_row, safe_text, unquote_frame

FORMULA = "=2+3+cmd|' /C calc'!A0"
STARTS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", STARTS)
def test_each_formula_start_gets_a_quote(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("value", [-1.25, -3, 0, 2.5, None, True, "", "Kvinnor", "1-2", "'=1"])
def test_numbers_and_plain_text_are_left_alone(value):
    assert safe_text(value) is value


def test_a_frame_keeps_its_numbers_and_quotes_its_text():
    frame = pd.DataFrame({
        "subgroup": [FORMULA, "men", None],
        "mixed": pd.Series(["@x", 3, None], dtype=object),
        "estimate": [-1.25, 2.0, None],
        "-count": [-1, 2, 3],
    })  # fmt: skip
    safe = safe_frame(frame)
    assert list(safe.columns) == ["subgroup", "mixed", "estimate", "'-count"]
    assert safe["subgroup"].tolist()[:2] == ["'" + FORMULA, "men"]
    assert pd.isna(safe["subgroup"].iloc[2])
    assert safe["mixed"].tolist()[:2] == ["'@x", 3]
    assert safe["estimate"].tolist()[:2] == [-1.25, 2.0]
    assert safe["'-count"].tolist() == [-1, 2, 3]
    assert frame["subgroup"].iloc[0] == FORMULA  # the caller's frame is not changed


def test_report_tables_quote_titles_and_keep_numbers(tmp_path):
    table = Table(
        id="t1", caption="Andel", columns=["Undergrupp", "-ändring", "2025"],
        rows=[[Cell(FORMULA, FORMULA), Cell("+5", "+5"), Cell("−1,25", -1.25, numeric=True)]],
    )  # fmt: skip
    (path,) = write_tables([table], tmp_path, "sv")
    header, row = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert header == ["Undergrupp", "'-ändring", "2025"]
    assert row == ["'" + FORMULA, "'+5", "-1.25"]


def test_audit_export_quotes_text_cells():
    entry = AuditEntry(1, datetime(2026, 1, 2, tzinfo=UTC), "=cmd", "update", "initiative",
                       "-x", None, {"title": FORMULA})  # fmt: skip
    out = io.StringIO()
    write_log([entry], out, "csv")
    _, row = list(csv.reader(io.StringIO(out.getvalue())))
    assert row[0] == "1" and row[2] == "'=cmd" and row[5] == "'-x"
    assert row[7].startswith("{") and FORMULA in row[7]  # JSON text cannot start a formula


def test_investment_tables_quote_text_and_keep_numbers(tmp_path):
    path = tmp_path / "tornado.csv"
    _write_csv(path, [{"parameter": FORMULA, "low": -5.5, "high": 3.0}])
    (row,) = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert row == {"parameter": "'" + FORMULA, "low": "-5.5", "high": "3.0"}


def test_measures_out_quotes_text(tmp_path):
    src = tmp_path / "emp.csv"
    src.write_text(
        "indicator;dimension;subgroup;subgroup_order;estimate;se;population;"
        "favourable_indicator;ordered_dimension;indicator_scale\n"
        f'"{FORMULA}";edu;låg;1;61,5;2,25;120;1;1;100\n'
        f'"{FORMULA}";edu;hög;2;80;1,125;200;1;1;100\n',
        encoding="utf-8",
    )
    out = tmp_path / "m.csv"
    result = CliRunner().invoke(app, ["measures", str(src), "-m", "D", "--out", str(out)])
    assert result.exit_code == 0, result.output
    (row,) = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert row["indicator"] == "'" + FORMULA
    assert float(row["estimate"]) == pytest.approx(18.5)  # 80 − 61.5, still a number


def test_safe_row_leaves_the_input_alone():
    values = [FORMULA, -1]
    assert safe_row(values) == ["'" + FORMULA, -1] and values == [FORMULA, -1]


def test_unquoting_takes_off_exactly_the_quote_safe_frame_added():
    frame = pd.DataFrame({
        "subgroup": [FORMULA, "men", "'plain", None, *STARTS],
        "mixed": pd.Series(["@x", 3, "''=y", None, *STARTS], dtype=object),
    })  # fmt: skip
    back = unquote_frame(safe_frame(frame))
    assert back["subgroup"].tolist()[:3] == [FORMULA, "men", "'plain"]
    assert back["subgroup"].tolist()[4:] == STARTS
    assert back["mixed"].tolist()[:3] == ["@x", 3, "''=y"]  # one quote off, as it was written
