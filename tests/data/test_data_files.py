"""File formats: Swedish Excel CSV (both encodings), XLSX and Parquet import as a plain CSV does."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from data_helpers import HEADER, ROWS, csv_text

from jamlik.data import import_definitions, import_file, import_observations, observations_frame
from jamlik.errors import ValidationError
from jamlik.workspace import Workspace


def _swedish(rows=ROWS) -> str:
    """As Swedish Excel saves 'CSV (semikolonavgränsad)': ';' between cells, decimal comma."""
    return csv_text([tuple(cell.replace(".", ",") for cell in r) for r in rows], sep=";")


def _fresh(tmp_path: Path, name: str, defs_file: Path) -> Workspace:
    ws = Workspace(tmp_path / name, f"sqlite:///{tmp_path / name / 'jamlik.sqlite'}")
    import_definitions(ws, defs_file)
    return ws


@pytest.fixture
def plain_frame(tmp_path: Path, defs_file: Path) -> pd.DataFrame:
    ws = _fresh(tmp_path, "plain", defs_file)
    path = tmp_path / "plain.csv"
    path.write_text(csv_text(), encoding="utf-8")
    import_file(ws, path)
    return observations_frame(ws)


def test_plain_csv_values_are_read_exactly(plain_frame: pd.DataFrame):
    row = plain_frame.set_index(["area", "dimension", "subgroup"]).loc[("norr", "edu", "mellan")]
    assert (row["estimate"], row["se"], row["population"]) == (70.25, 1.5, 300.0)
    empty = plain_frame.set_index(["area", "subgroup"]).loc[("västra", "män")]
    assert pd.isna(empty["estimate"]) and empty["population"] == 4.0  # missing is null, not 0
    assert len(plain_frame) == len(ROWS)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8-sig", b"\xef\xbb\xbf"), ("cp1252", b"")],
    ids=["utf8-bom", "cp1252"],
)
def test_swedish_excel_csv_equals_plain_csv(tmp_path, defs_file, plain_frame, encoding, bom):
    path = tmp_path / "excel.csv"
    path.write_bytes(_swedish().encode(encoding))
    assert path.read_bytes().startswith(bom)
    if encoding == "cp1252":  # the file really is Windows-1252: 'ä' is one byte, 0xE4
        assert b"v\xe4stra" in path.read_bytes()
    ws = _fresh(tmp_path, "excel", defs_file)
    import_file(ws, path)
    pd.testing.assert_frame_equal(observations_frame(ws), plain_frame)


def test_swedish_digit_grouping_and_minus(tmp_path, defined):
    # Excel with Swedish number format writes a (non-breaking) space between thousands.
    rows = [("emp", "2024", "norr", "total", "total", "72,5", "", "1\u00a0234")]
    path = tmp_path / "grouped.csv"
    path.write_text(csv_text(rows, sep=";"), encoding="utf-8-sig")
    import_file(defined, path)
    got = observations_frame(defined).iloc[0]
    assert (got["estimate"], got["population"]) == (72.5, 1234.0)


def test_xlsx_and_parquet_equal_plain_csv(tmp_path, defs_file, plain_frame):
    frame = pd.DataFrame(ROWS, columns=HEADER.split(","))
    for col in ("estimate", "se", "population"):
        frame[col] = pd.to_numeric(frame[col].replace("", None))
    frame["period"] = frame["period"].astype(object)
    frame.loc[0, "period"] = 2024  # a year typed into Excel is a number, not text
    for suffix in (".xlsx", ".parquet"):
        path = tmp_path / f"obs{suffix}"
        if suffix == ".xlsx":
            frame.to_excel(path, index=False)
        else:  # Parquet columns have one type
            frame.astype({"period": str}).to_parquet(path, index=False)
        ws = _fresh(tmp_path, suffix[1:], defs_file)
        summary = import_file(ws, path)
        assert summary.inserted == len(ROWS)
        pd.testing.assert_frame_equal(observations_frame(ws), plain_frame)


def test_table_without_breakdown_holds_totals(tmp_path, defined):
    path = tmp_path / "totals.csv"
    path.write_text("indicator,period,area,estimate\nemp,2021-2023,norr,70\n", encoding="utf-8")
    import_file(defined, path)
    got = observations_frame(defined).iloc[0]
    assert (got["dimension"], got["subgroup"], got["period"]) == ("total", "total", "2021-2023")
    assert got["setting_average"] == 70.0  # the total is its own area average


def test_period_spellings_are_stored_one_way(tmp_path, defined):
    path = tmp_path / "periods.csv"
    path.write_text(
        "indicator,period,area,estimate\n"
        "emp,2023/2024,norr,1\n"
        "emp,2019–2021,norr,2\n"
        "emp,2024K2,norr,3\n",
        encoding="utf-8",
    )
    import_file(defined, path)
    assert sorted(observations_frame(defined)["period"]) == ["2019-2021", "2023/24", "2024Q2"]


def test_same_period_in_two_spellings_is_a_duplicate(tmp_path, defined):
    from jamlik.errors import ValidationError

    path = tmp_path / "dup.csv"
    path.write_text(
        "indicator,period,area,estimate\nemp,2023/24,norr,1\nemp,2023/2024,norr,2\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        import_file(defined, path)
    [problem] = caught.value.problems
    assert (problem.row, problem.message.split(" (")[0]) == (
        3,
        "samma nyckel som rad / same key as row 2",
    )


@pytest.mark.parametrize(
    ("suffix", "places"),
    [(".csv", "columns 5 and 9"), (".xlsx", "columns 5 (E) and 9 (I)")],
)
def test_a_column_named_twice_is_found_in_the_header_as_written(tmp_path, defined, suffix, places):
    # pandas would name the second one 'estimate.1': the header as written must be checked.
    header = ["indicator", "period", "area", "dimension", "estimate", "subgroup", "se",
              "population", "estimate"]  # fmt: skip
    row = ["emp", "2024", "norr", "total", "72", "total", "0.9", "620", "72"]
    path = tmp_path / f"twice{suffix}"
    if suffix == ".csv":
        path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    else:
        pd.DataFrame([row], columns=header).to_excel(path, index=False)
    with pytest.raises(ValidationError) as caught:
        import_file(defined, path)
    [problem] = caught.value.problems
    assert (problem.row, problem.field) == (1, "estimate")
    assert f"column 'estimate' appears twice ({places})" in problem.message
    assert "estimate.1" not in str(caught.value)
    assert observations_frame(defined).empty


def test_a_frame_with_a_column_named_twice_is_refused(defined):
    frame = pd.DataFrame(
        [["emp", "2024", "norr", 72.0, 71.0, 70.0]],
        columns=["indicator", "period", "area", "estimate", "Estimate", "ESTIMATE "],
    )
    with pytest.raises(ValidationError) as caught:
        import_observations(defined, frame, source="frame")
    [problem] = caught.value.problems
    assert "column 'estimate' appears three times (columns 4, 5 and 6)" in problem.message
