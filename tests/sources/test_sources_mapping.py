"""Mapping a source's codes to jamlik's, and the YAML files that say how."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from jamlik.errors import ValidationError
from jamlik.sources.mapping import SourceMapping, apply_mapping, kolada_mapping
from jamlik.sources.saved import SavedQuery, load_selection, save_query, saved_queries
from jamlik.sources.yamlio import parse_yaml


def px_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["Region", "Kon", "ContentsCode", "Tid", "value", "status"])


KON = {"variable": "Kon", "dimension": "kön", "codes": {"1": "M", "2": "K"}, "total": "1+2"}


def mapping(**kw) -> SourceMapping:
    base = {
        "indicator": "befolkning",
        "area": {"variable": "Region"},
        "period": "Tid",
        "dimensions": [KON],
    }
    return SourceMapping.model_validate({**base, **kw})


def test_kon_codes_and_total():
    frame = px_frame([
        ("1480", "1", "BE0101N1", "2023", 10.0, None),
        ("1480", "2", "BE0101N1", "2023", 12.0, None),
        ("1480", "1+2", "BE0101N1", "2023", 22.0, None),
        ("1490", "2", "BE0101N1", "2023", None, ".."),
    ])  # fmt: skip
    out = apply_mapping(frame, mapping(), source="SCB").frame
    got = {(r.area, r.dimension, r.subgroup): (r.estimate, r.flag) for r in out.itertuples()}
    assert got[("1480", "kön", "M")] == (10.0, None)
    assert got[("1480", "kön", "K")] == (12.0, None)
    assert got[("1480", "total", "total")] == (22.0, None)
    est, flag = got[("1490", "kön", "K")]
    assert math.isnan(est) and flag == ".."
    assert set(out.indicator) == {"befolkning"} and set(out.period) == {"2023"}
    assert set(out.source) == {"SCB"}


def test_a_code_missing_from_the_codes_table_is_an_error():
    frame = px_frame([("1480", "9", "BE0101N1", "2023", 1.0, None)])
    with pytest.raises(ValidationError, match="Kon has codes the 'codes' table does not list: 9"):
        apply_mapping(frame, mapping(), source="SCB")


def test_an_unmapped_variable_with_several_values_is_an_error():
    frame = px_frame([
        ("1480", "1", "BE0101N1", "2023", 1.0, None),
        ("1480", "1", "BE0101N2", "2023", 2.0, None),
    ])  # fmt: skip
    with pytest.raises(ValidationError, match="ContentsCode has 2 values"):
        apply_mapping(frame, mapping(), source="SCB")


def test_indicator_from_a_variable():
    frame = px_frame([
        ("1480", "1+2", "BE0101N1", "2023", 1.0, None),
        ("1480", "1+2", "BE0101N2", "2023", 2.0, None),
    ])  # fmt: skip
    m = mapping(
        indicator={"variable": "ContentsCode", "codes": {"BE0101N1": "folk", "BE0101N2": "hus"}}
    )
    out = apply_mapping(frame, m, source="SCB", labels={"ContentsCode": {"BE0101N1": "Folkmängd"}})
    assert dict(zip(out.frame.indicator, out.frame.estimate, strict=True)) == {
        "folk": 1.0,
        "hus": 2.0,
    }
    assert out.indicators["folk"] == ("BE0101N1", "Folkmängd")


def test_cells_crossing_two_dimensions_are_left_out_with_a_warning():
    frame = pd.DataFrame(
        [
            ("1480", "1+2", "tot", "2023", 100.0, None),  # total
            ("1480", "1", "tot", "2023", 50.0, None),  # by kön
            ("1480", "1+2", "0-19", "2023", 20.0, None),  # by ålder
            ("1480", "1", "0-19", "2023", 9.0, None),  # kön × ålder: cannot be one observation
            ("1480", "2", "0-19", "2023", 11.0, None),  # kön × ålder
        ],
        columns=["Region", "Kon", "Alder", "Tid", "value", "status"],
    )
    age = {"variable": "Alder", "dimension": "ålder", "total": "tot"}
    out = apply_mapping(frame, mapping(dimensions=[KON, age]), source="SCB")
    assert len(out.frame) == 3
    assert "2 cells are broken down by two dimensions" in out.warnings[0]
    assert set(zip(out.frame.dimension, out.frame.subgroup, strict=True)) == {
        ("total", "total"), ("kön", "M"), ("ålder", "0-19")}  # fmt: skip


def test_two_codes_on_one_subgroup_is_an_error():
    frame = px_frame([
        ("1480", "1", "BE0101N1", "2023", 1.0, None),
        ("1480", "2", "BE0101N1", "2023", 2.0, None),
    ])  # fmt: skip
    kon = {**KON, "codes": {"1": "X", "2": "X"}}
    with pytest.raises(ValidationError, match="2 cells map to the same observation"):
        apply_mapping(frame, mapping(dimensions=[kon]), source="SCB")


def test_ordered_dimension_takes_the_order_of_codes():
    frame = pd.DataFrame(
        [("1480", e, "2023", float(i), None) for i, e in enumerate(["hog", "lag", "mel"])],
        columns=["Region", "Utb", "Tid", "value", "status"],
    )
    utb = {"variable": "Utb", "dimension": "utbildning", "ordered": True,
           "codes": {"lag": "1-forgym", "mel": "2-gym", "hog": "3-eftergym"}}  # fmt: skip
    out = apply_mapping(frame, mapping(dimensions=[utb]), source="SCB")
    assert out.subgroups[("utbildning", "1-forgym")][2] == 1
    assert out.subgroups[("utbildning", "3-eftergym")][2] == 3


def test_unknown_variables_in_the_mapping_are_named():
    frame = px_frame([("1480", "1", "BE0101N1", "2023", 1.0, None)])
    with pytest.raises(ValidationError) as info:
        apply_mapping(frame, mapping(area={"variable": "Omrade"}, period="År"), source="SCB")
    text = str(info.value)
    assert "'area.variable'" in text and "no variable 'Omrade'" in text and "'period'" in text


def test_kolada_default_mapping_and_user_overrides():
    m = SourceMapping.model_validate(
        kolada_mapping({"indicator": {"codes": {"N15428": "behorighet"}}})
    )
    assert m.indicator.variable == "kpi" and m.indicator.code_for("N15428") == "behorighet"
    assert m.area.variable == "municipality" and m.dimensions[0].total == ["T"]
    m = SourceMapping.model_validate(kolada_mapping({"dimensions": [{"dimension": "sex",
                                     "codes": {"K": "kvinnor", "M": "män"}}]}))  # fmt: skip
    assert m.dimensions[0].variable == "gender" and m.dimensions[0].subgroup_for("K") == "kvinnor"
    assert SourceMapping.model_validate(kolada_mapping(units=True)).area.level == "subarea"


def test_fixed_and_variable_together_is_refused():
    with pytest.raises(Exception, match="either a fixed value or a variable"):
        SourceMapping.model_validate({"indicator": {"value": "x", "variable": "y"}, "area": "a"})


def test_selection_file_keeps_codes_as_text_and_errors_have_lines(tmp_path):
    path = tmp_path / "val.yaml"
    path.write_text(
        "select:\n"
        "  Region: [0180, 1480]\n"
        "  Tid: TOP(3)\n"
        "map:\n"
        "  indicator: folk\n"
        "  area: {variable: Region}\n"
        "  dimensions:\n"
        "    - {variable: Kon, dimension: kön, codes: {1: M, 2: K}, total: 1+2}\n",
        encoding="utf-8",
    )
    spec, _ = load_selection(path)
    assert spec.select["Region"] == ["0180", "1480"]  # not 180
    assert spec.map["dimensions"][0]["codes"] == {"1": "M", "2": "K"}
    path.write_text("select:\n  Region: '*'\nmap: {}\nextra: 1\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_selection(path)
    assert "val.yaml, line 4, 'extra': okänd nyckel / unknown key" in str(info.value)


def test_broken_yaml_names_the_line():
    with pytest.raises(ValidationError, match="line 2"):
        parse_yaml("a: 1\n  b: 2\n", "x.yaml")


def test_saved_queries_round_trip(ws):
    q = SavedQuery.model_validate({"name": "kolada-n15428", "source": "kolada",
                                   "kolada": {"kpi": "N15428", "municipality": "1480,1490", "years": "2015-2025"},
                                   "map": {"indicator": {"polarity": "higher_is_better"}}})  # fmt: skip
    path = save_query(ws, q)
    assert path.name == "kolada-n15428.yaml"
    (back,) = saved_queries(ws)
    assert back == q and back.kolada.municipality == ["1480", "1490"]


def test_query_names_are_checked():
    with pytest.raises(Exception, match="lower-case"):
        SavedQuery.model_validate(
            {"name": "Min fråga", "source": "kolada", "kolada": {"kpi": ["N1"]}}
        )
