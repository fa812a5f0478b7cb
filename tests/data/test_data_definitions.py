"""Definitions: YAML in and out, upsert into a workspace, the implicit total."""

from __future__ import annotations

import pytest
from data_helpers import DEFINITIONS, fingerprint
from sqlalchemy import select

from jamlik.data import (
    TOTAL,
    Area,
    Definitions,
    dump_definitions,
    import_definitions,
    import_file,
    known_ids,
    load_definitions,
    read_definitions,
)
from jamlik.data.tables import AreaRow, SubgroupRow, TargetRow
from jamlik.errors import ValidationError


def test_load_gives_typed_definitions(defs_file):
    defs = load_definitions(defs_file)
    assert [a.id for a in defs.areas] == ["exempelstad", "norr", "västra"]
    edu = defs.dimensions[1]
    assert edu.ordered and [(s.id, s.order) for s in edu.subgroups] == [
        ("låg", 1), ("mellan", 2), ("hög", 3)]  # fmt: skip
    emp = defs.indicators[0]
    assert (emp.scale, emp.polarity, emp.source.kind, emp.source.ref) == (
        100, "higher_is_better", "kolada", "N00914")  # fmt: skip
    assert [(t.year, t.value, t.measure, t.dimension) for t in emp.targets] == [
        (2026, 80, None, None), (2026, 5, "D", "edu")]  # fmt: skip


def test_dump_and_load_round_trip(defs_file, tmp_path):
    defs = load_definitions(defs_file)
    path = tmp_path / "again.yaml"
    path.write_text(dump_definitions(defs), encoding="utf-8")
    assert load_definitions(path) == defs


def test_export_import_export_is_identical(defined, tmp_path, ws):
    first = dump_definitions(read_definitions(defined))
    path = tmp_path / "export.yaml"
    path.write_text(first, encoding="utf-8")
    other = type(ws)(tmp_path / "other", f"sqlite:///{tmp_path / 'other' / 'jamlik.sqlite'}")
    import_definitions(other, path)
    assert dump_definitions(read_definitions(other)) == first
    assert "scale: 100\n" in first  # written for people: not 100.0


def test_the_total_exists_in_every_workspace(defined):
    with defined.session() as s:
        assert TOTAL in known_ids(s, "dimension")
        subs = s.execute(select(SubgroupRow.id).where(SubgroupRow.dimension_id == TOTAL)).scalars()
        assert list(subs) == [TOTAL]
        assert known_ids(s, "area") == {"exempelstad", "norr", "västra"}
        assert known_ids(s, "indicator") == {"emp", "trångbodd"}
    assert TOTAL not in {d.id for d in read_definitions(defined).dimensions}


def test_upsert_updates_and_replaces_targets(defined, tmp_path):
    path = tmp_path / "v2.yaml"
    path.write_text(
        DEFINITIONS.replace("name: Norr\n", "name: Norra Exempelstad\n").replace(
            "      - {year: 2026, value: 80}\n", "      - {year: 2030, value: 85}\n"
        ),
        encoding="utf-8",
    )
    summary = import_definitions(defined, path)
    assert (summary.inserted, summary.updated) == (0, 2)
    with defined.session() as s:
        assert s.get(AreaRow, "norr").name == "Norra Exempelstad"
        targets = s.execute(select(TargetRow.year, TargetRow.value).order_by(TargetRow.id)).all()
    assert [tuple(t) for t in targets] == [(2030, 85.0), (2026, 5.0)]


def test_parents_may_be_stored_already(defined, tmp_path):
    path = tmp_path / "sub.yaml"
    path.write_text(
        "areas:\n  - {id: 1480-norr-1, name: Norr 1, level: subarea, parent: norr, code: 1480}\n"
    )
    assert import_definitions(defined, path).inserted == 1
    with defined.session() as s:
        assert s.get(AreaRow, "1480-norr-1").code == "1480"  # an unquoted code is text


def test_geometry_round_trip_and_bad_geometry(defined, tmp_path):
    square = {"type": "Polygon", "coordinates": [[[11.9, 57.7], [12.0, 57.7], [12.0, 57.8],
                                                  [11.9, 57.7]]]}  # fmt: skip
    defs = Definitions(areas=[Area(id="park", name="Parken", level="subarea", parent="norr",
                                   geometry=square)])  # fmt: skip
    import_definitions(defined, defs)
    stored = next(a for a in read_definitions(defined).areas if a.id == "park")
    assert stored.geometry == square
    path = tmp_path / "geo.yaml"
    path.write_text("areas:\n  - id: x\n    name: X\n    level: municipality\n"
                    "    geometry: {type: Circle, radius: 3}\n")  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        load_definitions(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (5, "areas[0].geometry")
    assert "not a GeoJSON geometry" in problem.message


def test_a_subgroup_in_use_cannot_be_dropped(loaded, tmp_path):
    path = tmp_path / "fewer.yaml"
    path.write_text(DEFINITIONS.replace("      - {id: män, title: Män, title_en: Men}\n", ""))
    before = fingerprint(loaded)
    with pytest.raises(ValidationError) as caught:
        import_file(loaded, path)
    messages = [p.message for p in caught.value.problems]
    assert any("subgroup 'män' is left out but 1 observations use it" in m for m in messages)
    assert fingerprint(loaded) == before


def test_an_unused_subgroup_can_be_dropped(defined, tmp_path):
    path = tmp_path / "fewer.yaml"
    path.write_text(DEFINITIONS.replace("      - {id: män, title: Män, title_en: Men}\n", ""))
    import_definitions(defined, path)
    sex = next(d for d in read_definitions(defined).dimensions if d.id == "sex")
    assert [s.id for s in sex.subgroups] == ["kvinnor"]


def test_total_is_reserved(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        "dimensions:\n  - id: total\n    title: T\n    subgroups: [{id: total, title: T}]\n"
    )
    with pytest.raises(ValidationError) as caught:
        load_definitions(path)
    assert caught.value.problems[0].line == 2 and "is reserved" in caught.value.problems[0].message


def test_every_problem_of_a_file_in_one_pass(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "areas:\n"
        "  - {id: a, name: A, level: town}\n"
        "indicators:\n"
        "  - {id: i, title: I, polarity: higher_is_better, scale: 0}\n"
        "colours: [red]\n"
    )
    with pytest.raises(ValidationError) as caught:
        load_definitions(path)
    found = {(p.line, p.field) for p in caught.value.problems}
    assert found == {(2, "areas[0].level"), (4, "indicators[0].scale"), (5, "colours")}


def test_ids_and_codes_keep_their_leading_zeros(ws, tmp_path):
    path = tmp_path / "stockholm.yaml"
    path.write_text(
        "areas:\n"
        "  - {id: 0180, name: Stockholm, level: municipality, code: 0180, population: 0984748}\n"
        "  - {id: 0180-01, name: Innerstaden, level: district, parent: 0180, code: 00101}\n"
        "dimensions:\n"
        "  - {id: 01, title: Kön, subgroups: [{id: 1, title: Kvinnor, reference: true}]}\n"
        "indicators:\n"
        "  - {id: 007, title: T, polarity: higher_is_worse, scale: 100, dimensions: [01],\n"
        "     targets: [{year: 2030, value: 0.50}]}\n"
    )
    defs = load_definitions(path)
    assert [(a.id, a.code, a.parent) for a in defs.areas] == [
        ("0180", "0180", None),
        ("0180-01", "00101", "0180"),
    ]
    assert defs.areas[0].population == 984748  # numbers are still numbers
    assert (defs.dimensions[0].id, defs.dimensions[0].subgroups[0].reference) == ("01", True)
    ind = defs.indicators[0]
    assert (ind.id, ind.dimensions, ind.scale, ind.targets[0].value) == ("007", ["01"], 100, 0.5)
    import_definitions(ws, path)
    again = tmp_path / "again.yaml"
    again.write_text(dump_definitions(read_definitions(ws)), encoding="utf-8")
    assert {(a.id, a.code) for a in load_definitions(again).areas} == {
        ("0180", "0180"),
        ("0180-01", "00101"),
    }


def test_geometry_in_a_file_reads_as_numbers(tmp_path):
    path = tmp_path / "geo.yaml"
    path.write_text(
        "areas:\n"
        "  - id: park\n    name: Parken\n    level: municipality\n"
        "    geometry: {type: Point, coordinates: [11.95, 57]}\n"
        "  - id: bad\n    name: Fel\n    level: municipality\n"
        "    geometry: {type: Point, coordinates: [öster, 57]}\n"
    )
    with pytest.raises(ValidationError) as caught:
        load_definitions(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (9, "areas[1].geometry")
    assert "coordinates must be numbers, found 'öster'" in problem.message
    path.write_text("\n".join(path.read_text().splitlines()[:5]) + "\n")
    [park] = load_definitions(path).areas
    assert park.geometry == {"type": "Point", "coordinates": [11.95, 57]}


def test_type_errors_and_cross_record_problems_in_one_pass(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "areas:\n"
        "  - {id: a, name: A, level: town}\n"  # 2: bad level
        "  - {id: b, name: B, level: municipality}\n"
        "  - {id: b, name: B2, level: municipality}\n"  # 4: duplicate id
        "dimensions:\n"
        "  - id: total\n"  # 6: reserved
        "    title: T\n"
        "    subgroups: [{id: total, title: T}]\n"
        "  - id: sex\n"
        "    title: Kön\n"
        "    subgroups:\n"
        "      - {id: k, title: Kvinnor}\n"
        "      - {id: k, title: Män}\n"  # 13: duplicate subgroup
        "      - {id: x, title: X, order: first}\n"  # 14: order is not a number
        "indicators:\n"
        "  - {id: i, title: I, polarity: higher_is_better, scale: 0}\n"  # 16: scale must be > 0
        "  - {id: i, title: I2, polarity: higher_is_better}\n"  # 17: duplicate of a bad record
    )
    with pytest.raises(ValidationError) as caught:
        load_definitions(path)
    found = [(p.line, p.field) for p in caught.value.problems]
    assert found == [
        (2, "areas[0].level"),
        (4, "areas[2].id"),
        (6, "dimensions[0].id"),
        (13, "dimensions[1].subgroups[1].id"),
        (14, "dimensions[1].subgroups[2].order"),
        (16, "indicators[0].scale"),
        (17, "indicators[1].id"),
    ]
    messages = {p.field: p.message for p in caught.value.problems}
    assert "is reserved" in messages["dimensions[0].id"]
    assert "duplicate subgroup id 'k'" in messages["dimensions[1].subgroups[1].id"]
    assert "duplicate id 'i' (first at line 16)" in messages["indicators[1].id"]


def test_a_definitions_reimport_speaks_of_definitions(defined, defs_file):
    summary = import_definitions(defined, defs_file)
    assert summary.already_imported and summary.changed == 0
    text = str(summary)
    assert (
        "redan importerad, 0 definitioner ändrade / already imported, 0 definitions changed" in text
    )
    assert "rader" not in text and "rows" not in text
