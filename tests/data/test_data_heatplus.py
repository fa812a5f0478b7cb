"""A file prepared for WHO's HEAT Plus upload template imports unchanged and describes itself."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from data_helpers import fingerprint, run_cli
from sqlalchemy import select

from jamlik.data import (
    import_definitions,
    import_file,
    load_definitions,
    observations_frame,
    read_definitions,
)
from jamlik.data.tables import AreaRow, DimensionRow, IndicatorRow, SubgroupRow
from jamlik.errors import ValidationError
from jamlik.workspace import Workspace

# The template's columns in its own order (HEAT Plus upload database edition).
HEAT = """\
setting,date,source,indicator_abbr,indicator_name,dimension,subgroup,estimate,se,ci_lb,ci_ub,population,flag,setting_average,iso3,favourable_indicator,indicator_scale,ordered_dimension,subgroup_order,reference_subgroup
Indonesia,2017,DHS 2017,sba,Births attended by skilled health personnel (%),Economic status (wealth quintile),Quintile 1 (poorest),75.6,1.6,72.5,78.7,2072.4,,91.6,IDN,1,100,1,1,0
Indonesia,2017,DHS 2017,sba,Births attended by skilled health personnel (%),Economic status (wealth quintile),Quintile 2,91.0,1.1,88.8,93.2,2112.2,,91.6,IDN,1,100,1,2,0
Indonesia,2017,DHS 2017,sba,Births attended by skilled health personnel (%),Economic status (wealth quintile),Quintile 3,96.0,0.6,94.8,97.2,1983.1,,91.6,IDN,1,100,1,3,0
Indonesia,2017,DHS 2017,sba,Births attended by skilled health personnel (%),Place of residence,Urban,96.4,0.5,95.4,97.4,3900.0,,91.6,IDN,1,100,0,0,1
Indonesia,2017,DHS 2017,sba,Births attended by skilled health personnel (%),Place of residence,Rural,86.8,1.0,84.8,88.8,4100.0,,91.6,IDN,1,100,0,0,0
Indonesia,2017,DHS 2017,u5mr,Under-five mortality rate (deaths per 1000 live births),Place of residence,Urban,30.1,2.2,25.8,34.4,3900.0,,40.2,IDN,0,1000,0,0,1
Indonesia,2017,DHS 2017,u5mr,Under-five mortality rate (deaths per 1000 live births),Place of residence,Rural,,,,,4100.0,suppressed,40.2,IDN,0,1000,0,0,0
"""


def _file(tmp_path: Path, text: str = HEAT, name: str = "heat.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_heat_plus_file_imports_into_an_empty_workspace(ws, tmp_path):
    summary = import_file(ws, _file(tmp_path))
    assert summary.inserted == 7
    assert summary.created == {"indicator": 2, "area": 1, "dimension": 2, "subgroup": 5}
    with ws.session() as s:
        sba = s.get(IndicatorRow, "sba")
        u5mr = s.get(IndicatorRow, "u5mr")
        assert (sba.polarity, sba.scale) == ("higher_is_better", 100)
        assert (u5mr.polarity, u5mr.scale) == ("higher_is_worse", 1000)
        assert sba.title == "Births attended by skilled health personnel (%)"
        area = s.get(AreaRow, "Indonesia")
        assert (area.code, area.level, area.parent_id) == ("IDN", "municipality", None)
        assert s.get(DimensionRow, "Economic status (wealth quintile)").ordered is True
        assert s.get(DimensionRow, "Place of residence").ordered is False
        subs = {(r.id, r.subgroup_order, r.reference) for r in s.scalars(select(SubgroupRow))}
    assert {("Quintile 1 (poorest)", 1, False), ("Quintile 3", 3, False), ("Urban", None, True),
            ("Rural", None, False)} <= subs  # fmt: skip


def test_heat_plus_values_come_back_as_the_file_gave_them(ws, tmp_path):
    import_file(ws, _file(tmp_path))
    expected = pd.read_csv(io.StringIO(HEAT))
    got = observations_frame(ws)
    merged = expected.merge(
        got, left_on=["indicator_abbr", "dimension", "subgroup"],
        right_on=["indicator", "dimension", "subgroup"], suffixes=("_file", ""),
    )  # fmt: skip
    assert len(merged) == len(expected)
    for col in ("estimate", "se", "ci_lb", "ci_ub", "population", "setting_average",
                "favourable_indicator", "indicator_scale", "ordered_dimension"):  # fmt: skip
        pd.testing.assert_series_equal(
            merged[f"{col}_file"].astype(float), merged[col].astype(float), check_names=False
        )
    assert set(merged["period"]) == {"2017"} and set(merged["area"]) == {"Indonesia"}
    ordered = merged[merged["ordered_dimension_file"] == 1]
    assert list(ordered["subgroup_order"]) == list(ordered["subgroup_order_file"])
    assert list(merged["reference_subgroup"]) == list(merged["reference_subgroup_file"])
    assert merged.loc[merged["flag"] == "suppressed", "estimate"].isna().all()


def test_heat_plus_file_reimports_as_no_change(ws, tmp_path):
    path = _file(tmp_path)
    import_file(ws, path)
    before = fingerprint(ws)
    again = import_file(ws, path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 7)
    assert again.already_imported and again.import_id is None and again.created == {}
    assert fingerprint(ws) == before


def test_heat_plus_xlsx_imports_too(ws, tmp_path):
    path = tmp_path / "heat.xlsx"
    pd.read_csv(io.StringIO(HEAT)).to_excel(path, index=False)
    assert import_file(ws, path).inserted == 7
    assert len(observations_frame(ws, indicators=["u5mr"])) == 2


def test_older_template_with_year_column(ws, tmp_path):
    import_file(ws, _file(tmp_path, HEAT.replace("setting,date,", "setting,year,", 1)))
    assert set(observations_frame(ws)["period"]) == {"2017"}


def test_heat_plus_file_must_agree_with_what_is_stored(ws, tmp_path):
    import_file(ws, _file(tmp_path))
    before = fingerprint(ws)
    later = HEAT.replace(",2017,", ",2018,").replace("IDN,0,1000,", "IDN,1,1000,")
    with pytest.raises(ValidationError) as caught:
        import_file(ws, _file(tmp_path, later, "heat2018.csv"))
    problems = caught.value.problems
    assert {(p.row, p.field) for p in problems} == {
        (7, "favourable_indicator"),
        (8, "favourable_indicator"),
    }
    assert (
        "disagrees with the workspace's definition: 1 här / here, 0 sparat / stored"
        in problems[0].message
    )
    assert fingerprint(ws) == before


def test_heat_plus_gap_in_subgroup_order(ws, tmp_path):
    broken = HEAT.replace("Quintile 3,96.0,0.6,94.8,97.2,1983.1,,91.6,IDN,1,100,1,3,",
                          "Quintile 3,96.0,0.6,94.8,97.2,1983.1,,91.6,IDN,1,100,1,5,")  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        import_file(ws, _file(tmp_path, broken))
    [problem] = caught.value.problems
    assert (problem.row, problem.field) == (2, "subgroup_order")
    assert "found 1, 2, 5, expected 1..3 (rows 2, 3, 4)" in problem.message


def test_heat_plus_definitions_list_export_and_import_into_a_fresh_workspace(ws, tmp_path):
    import_file(ws, _file(tmp_path))
    listed = run_cli("dimensions", "list", "--workspace", str(ws.path))
    assert listed.exit_code == 0, listed.output
    out = tmp_path / "x.yaml"
    exported = run_cli("export", "definitions", "--out", str(out), "--workspace", str(ws.path))
    assert exported.exit_code == 0, exported.output
    defs = load_definitions(out)
    # The file the definitions came from is their source.
    assert {i.id: (i.source.kind, i.source.ref) for i in defs.indicators} == {
        "sba": ("file", "heat.csv"),
        "u5mr": ("file", "heat.csv"),
    }
    fresh = Workspace(tmp_path / "fresh", f"sqlite:///{tmp_path / 'fresh' / 'jamlik.sqlite'}")
    summary = import_definitions(fresh, out)
    assert summary.inserted == 1 + 2 + 2  # Indonesia; two dimensions; sba and u5mr
    assert read_definitions(fresh) == read_definitions(ws)


def test_a_file_source_stored_without_a_name_does_not_stop_reading(ws, tmp_path):
    import_file(ws, _file(tmp_path))
    with ws.session() as s:
        s.get(IndicatorRow, "sba").source_ref = None  # as earlier HEAT Plus imports stored it
    assert next(i for i in read_definitions(ws).indicators if i.id == "sba").source is None
    listed = run_cli("indicators", "list", "--workspace", str(ws.path))
    assert listed.exit_code == 0, listed.output
    assert "None" not in listed.stdout
    out = tmp_path / "x.yaml"
    exported = run_cli("export", "definitions", "--out", str(out), "--workspace", str(ws.path))
    assert exported.exit_code == 0, exported.output
