"""The read side (observations_frame) and the listing and export commands."""

from __future__ import annotations

import pandas as pd
import pytest
from data_helpers import ROWS, csv_text, run_cli

from jamlik.data import FRAME_COLUMNS, import_file, observations_frame
from jamlik.errors import JamlikError
from jamlik.workspace import Workspace


def test_frame_has_the_contract_columns_and_series_metadata(loaded):
    frame = observations_frame(loaded)
    assert list(frame.columns) == FRAME_COLUMNS
    by = frame.set_index(["indicator", "area", "dimension", "subgroup"])
    low = by.loc[("emp", "norr", "edu", "låg")]
    assert (low["subgroup_order"], low["reference_subgroup"], low["ordered_dimension"]) == (1, 0, 1)
    assert (low["favourable_indicator"], low["indicator_scale"]) == (1, 100.0)
    assert low["setting_average"] == 72.0  # the total row of emp × 2024 × norr
    women = by.loc[("emp", "västra", "sex", "kvinnor")]
    assert pd.isna(women["subgroup_order"]) and women["reference_subgroup"] == 1
    assert pd.isna(women["setting_average"])  # västra has no total for emp in 2024
    crowded = by.loc[("trångbodd", "västra", "total", "total")]
    assert (crowded["favourable_indicator"], crowded["period"]) == (0, "2023/24")


def test_frame_is_sorted_by_series_then_order(loaded):
    edu = observations_frame(loaded, dimensions=["edu"])
    assert list(edu["subgroup"]) == ["låg", "mellan", "hög"]


def test_frame_filters(loaded):
    assert len(observations_frame(loaded, indicators="trångbodd")) == 1
    assert len(observations_frame(loaded, areas=["norr"])) == 4
    assert len(observations_frame(loaded, indicators=["emp"], dimensions=["sex", "total"])) == 3
    assert observations_frame(loaded, indicators=["nothing"]).empty


def test_reading_a_missing_workspace_says_what_to_do(tmp_path):
    missing = Workspace(tmp_path / "none", f"sqlite:///{tmp_path / 'none' / 'jamlik.sqlite'}")
    with pytest.raises(JamlikError, match="jamlik init"):
        observations_frame(missing)
    assert not (tmp_path / "none").exists()  # reading never creates a workspace


def test_lists(loaded):
    indicators = run_cli("indicators", "list", "--workspace", str(loaded.path))
    assert indicators.exit_code == 0 and "trångbodd" in indicators.stdout
    areas = run_cli("areas", "list", "--workspace", str(loaded.path))
    assert areas.exit_code == 0 and "västra" in areas.stdout
    dims = run_cli("dimensions", "list", "--workspace", str(loaded.path))
    assert dims.exit_code == 0 and "1. låg" in dims.stdout


def test_export_suppresses_small_cells_and_imports_again(loaded, tmp_path):
    out = tmp_path / "export.csv"
    result = run_cli("export", "observations", "--out", str(out), "--workspace", str(loaded.path))
    assert result.exit_code == 0, result.output
    exported = pd.read_csv(out, keep_default_na=False, na_values=[""])
    small = exported[(exported["area"] == "västra") & (exported["subgroup"] == "män")].iloc[0]
    assert small["flag"] == "suppressed" and small["population"] == 4
    # Hiding 'män' alone would let 'kvinnor' give it away against a total: both go.
    women = exported[(exported["area"] == "västra") & (exported["subgroup"] == "kvinnor")].iloc[0]
    assert women["flag"] == "suppressed_secondary" and pd.isna(women["estimate"])
    assert exported.loc[exported["subgroup"] == "mellan", "estimate"].item() == 70.25
    # An export is a valid jamlik-layout file: it imports into the same workspace.
    summary = import_file(loaded, out)
    assert summary.rows == len(ROWS)


def test_definitions_export_command(loaded, tmp_path):
    out = tmp_path / "defs.yaml"
    result = run_cli("export", "definitions", "--out", str(out), "--workspace", str(loaded.path))
    assert result.exit_code == 0
    assert "id: trångbodd" in out.read_text(encoding="utf-8")


def test_import_summary_is_printed(defined, tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text(csv_text(), encoding="utf-8")
    result = run_cli("import", str(path), "--workspace", str(defined.path))
    assert result.exit_code == 0
    assert f"{len(ROWS)} rader / rows lästa / read; {len(ROWS)} nya / new" in result.stdout


def test_import_with_fictitious_stores_the_flag_in_the_provenance(defined, tmp_path):
    from sqlalchemy import select

    from jamlik.data.tables import ImportRow
    from jamlik.followup.provenance import data_fictitious

    path = tmp_path / "obs.csv"
    path.write_text(csv_text(), encoding="utf-8")
    with defined.session() as s:
        assert not data_fictitious(s)
    result = run_cli("import", str(path), "--fictitious", "--workspace", str(defined.path))
    assert result.exit_code == 0, result.output
    with defined.session() as s:
        flags = s.execute(select(ImportRow.source, ImportRow.fictitious)).all()
        assert ("obs.csv", True) in [tuple(f) for f in flags]
        assert data_fictitious(s)


def test_export_for_swedish_excel_reads_back_the_same(loaded, tmp_path):
    plain, excel = tmp_path / "plain-export.csv", tmp_path / "excel-export.csv"
    for out, extra in ((plain, []), (excel, ["--excel-sv"])):
        result = run_cli("export", "observations", "--out", str(out), *extra,
                         "--workspace", str(loaded.path))  # fmt: skip
        assert result.exit_code == 0, result.output
    raw = excel.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";70,25;" in raw
    a = pd.read_csv(plain)
    b = pd.read_csv(excel, sep=";", decimal=",", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(a, b)
