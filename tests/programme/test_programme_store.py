"""Storing programmes: round trips, replacement, idempotence, references to the workspace."""

from __future__ import annotations

from datetime import date

import pytest
from programme_helpers import BASE, snapshot
from sqlalchemy import func, select

from jamlik.data import import_definitions
from jamlik.errors import JamlikError, ValidationError
from jamlik.programme import (
    check_programme,
    dump_programme,
    export_programme,
    import_programme,
    list_programmes,
    load_programme,
    read_programme,
)
from jamlik.programme.tables import InitiativeNodeRow, NodeRow, ReachRow
from jamlik.workspace import Workspace

TODAY = date(2025, 6, 1)


def count(ws: Workspace, table) -> int:
    with ws.session() as s:
        return s.scalar(select(func.count()).select_from(table))


def test_file_import_export_equals_dump_of_load(write, workspace) -> None:
    path = write(BASE)
    summary = import_programme(workspace, path, today=TODAY)
    assert (summary.nodes, summary.actors, summary.initiatives, summary.reach) == (3, 2, 1, 2)
    expected = load_programme(path, today=TODAY)
    assert export_programme(workspace, "test-prog") == dump_programme(expected)
    with workspace.session() as s:
        assert read_programme(s, "test-prog") == expected


def test_export_import_export_is_byte_identical(write, workspace) -> None:
    import_programme(workspace, write(BASE), today=TODAY)
    first = export_programme(workspace, "test-prog")
    import_programme(workspace, write(first, "exported.yaml"), today=TODAY)
    assert export_programme(workspace, "test-prog") == first


def test_identical_reimport_changes_nothing(write, workspace) -> None:
    path = write(BASE)
    import_programme(workspace, path, today=TODAY)
    before = snapshot(workspace)
    summary = import_programme(workspace, path, today=TODAY)
    assert not summary.changed
    assert "oförändrat / unchanged" in str(summary)
    assert snapshot(workspace) == before


def test_reimport_replaces_the_programme(write, workspace) -> None:
    import_programme(workspace, write(BASE), today=TODAY)
    # Drop the strategy and the initiative's link to it and its reach: 3 → 2 nodes, 2 → 0 reach.
    smaller = BASE.split("  - id: t-s1\n")[0] + BASE[BASE.index("actors:\n") :]
    smaller = smaller.replace("    nodes: [t-s1]\n", "    nodes: [t-ta1]\n")
    smaller = smaller[: smaller.index("    reach:\n")]
    summary = import_programme(workspace, write(smaller, "smaller.yaml"), today=TODAY)
    assert summary.changed and summary.replaced
    assert count(workspace, NodeRow) == 2
    assert count(workspace, ReachRow) == 0
    assert count(workspace, InitiativeNodeRow) == 1
    with workspace.session() as s:
        assert read_programme(s, "test-prog").initiatives[0].nodes == ["t-ta1"]


def test_missing_areas_and_indicators_are_listed_and_nothing_is_written(write, workspace) -> None:
    text = BASE.replace("    areas: [area-a, area-b]\n", "    areas: [area-a, area-x, area-y]\n")
    text = text.replace("    indicators: [ind-1]\n", "    indicators: [ind-9]\n")
    path = write(text)
    before = snapshot(workspace)
    with pytest.raises(ValidationError) as raised:
        import_programme(workspace, path, today=TODAY)
    messages = [str(p) for p in raised.value.problems]
    area_line = text.splitlines().index("    areas: [area-a, area-x, area-y]") + 1
    assert any(
        f"line {area_line}, 'initiatives[0].areas[1]': 2 area id(s) used here are not defined "
        "in the workspace: area-x, area-y; import the definitions first" in m
        for m in messages
    ), messages
    assert any("'nodes[1].indicators[0]'" in m and "ind-9" in m for m in messages), messages
    assert snapshot(workspace) == before
    # check with the workspace reports the same; without it, the file is fine
    assert any("area-x, area-y" in p.message for p in check_programme(path, workspace, today=TODAY))
    assert check_programme(path, today=TODAY) == []


def test_import_works_once_the_definitions_exist(write, workspace, tmp_path) -> None:
    text = BASE.replace("    areas: [area-a, area-b]\n", "    areas: [area-a, area-x]\n")
    with pytest.raises(ValidationError):
        import_programme(workspace, write(text), today=TODAY)
    extra = tmp_path / "more.yaml"
    extra.write_text(
        "areas:\n  - {id: area-x, name: Väster, level: district, parent: area-all}\n",
        encoding="utf-8",
    )
    import_definitions(workspace, extra)
    assert import_programme(workspace, write(text), today=TODAY).changed


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("        subgroup: girls\n", "        subgroup: others\n",
         "subgroup 'others' is not defined for dimension 'sex'"),
        ("        dimension: sex\n", "        dimension: age\n",
         "1 dimension id(s) used here are not defined in the workspace: age"),
    ],
    ids=["unknown subgroup", "unknown dimension"],
)  # fmt: skip
def test_reach_breakdowns_must_exist(old, new, fragment, write, workspace) -> None:
    with pytest.raises(ValidationError) as raised:
        import_programme(workspace, write(BASE.replace(old, new)), today=TODAY)
    assert any(fragment in p.message for p in raised.value.problems)


def test_ids_belong_to_one_programme_per_workspace(write, workspace) -> None:
    import_programme(workspace, write(BASE), today=TODAY)
    other = BASE.replace("id: test-prog", "id: other-prog")
    before = snapshot(workspace)
    with pytest.raises(ValidationError) as raised:
        import_programme(workspace, write(other, "other.yaml"), today=TODAY)
    taken = [
        p for p in raised.value.problems if "already used by programme 'test-prog'" in p.message
    ]
    assert {p.field for p in taken} == {
        "nodes[0].id", "nodes[1].id", "nodes[2].id", "actors[0].id", "actors[1].id",
        "initiatives[0].id",
    }  # fmt: skip
    assert snapshot(workspace) == before


def test_programme_object_is_checked_before_import(write, workspace) -> None:
    programme = load_programme(write(BASE), today=TODAY)
    # Without the target area, the strategy's parent refers to nothing.
    broken = programme.model_copy(update={"nodes": programme.nodes[:1] + programme.nodes[2:]})
    before = snapshot(workspace)
    with pytest.raises(ValidationError) as raised:
        import_programme(workspace, broken, today=TODAY)
    problem = raised.value.problems[0]
    assert problem.source == "programme 'test-prog'"
    assert problem.field == "nodes[1].parent"
    assert "parent 't-ta1' refers to no node" in problem.message
    assert snapshot(workspace) == before


def test_export_of_unknown_programme_names_the_stored_ones(write, workspace) -> None:
    import_programme(workspace, write(BASE), today=TODAY)
    with pytest.raises(JamlikError, match="no programme 'nope'.*stored: test-prog"):
        export_programme(workspace, "nope")


def test_reading_a_workspace_that_does_not_exist_creates_nothing(tmp_path) -> None:
    ws = Workspace.resolve(tmp_path / "absent")
    with pytest.raises(JamlikError, match="no workspace"):
        export_programme(ws, "x")
    with pytest.raises(JamlikError, match="no workspace"):
        list_programmes(ws)
    assert not (tmp_path / "absent").exists()


def test_list_counts(write, workspace) -> None:
    import_programme(workspace, write(BASE), today=TODAY)
    (info,) = list_programmes(workspace)
    assert (info.id, info.nodes, info.actors, info.initiatives) == ("test-prog", 3, 2, 1)


def test_tables_compile_for_postgresql() -> None:
    """The schema uses only portable types: its DDL renders for PostgreSQL as well."""
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateTable

    import jamlik.programme.tables as tables

    names = {t.__tablename__ for t in tables.DELETE_ORDER}
    for table in (t.__table__ for t in tables.DELETE_ORDER):
        ddl = str(CreateTable(table).compile(dialect=postgresql.dialect()))
        assert f"CREATE TABLE {table.name}" in ddl
    assert len(names) == 13
