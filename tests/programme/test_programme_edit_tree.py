"""Editing a stored programme's tree one change at a time: each change is checked as a whole,
locked against stale forms, audited with before and after, and all-or-nothing."""

from __future__ import annotations

import pytest
from programme_helpers import BASE, snapshot

from jamlik.audit import ConflictError, current_version, read_log
from jamlik.errors import ValidationError
from jamlik.programme import dump_programme, import_programme, load_programme, read_programme
from jamlik.programme.edit_tree import (
    TreeError,
    add_node,
    edit_node,
    remove_node,
    set_published,
)

PID = "test-prog"


@pytest.fixture
def ws(workspace, write):
    import_programme(workspace, write(BASE))
    return workspace


def _programme(ws):
    with ws.session() as s:
        return read_programme(s, PID)


def test_edit_node_changes_only_its_fields_and_is_audited(ws):
    before = _programme(ws)
    with ws.session() as s:
        edit_node(s, "anna", "t-ta1", {"title": "Målområde ett", "title_en": "Area one",
                                      "order": 1, "indicators": []}, 0)  # fmt: skip
    after = _programme(ws)
    node = after.node("t-ta1")
    assert (node.title, node.title_en, node.order, node.indicators) == (
        "Målområde ett", "Area one", 1, [])  # fmt: skip
    # Everything else is as it was: the initiative still serves its node, the other nodes too.
    assert after.initiatives == before.initiatives
    assert [n for n in after.nodes if n.id != "t-ta1"] == [
        n for n in before.nodes if n.id != "t-ta1"
    ]
    with ws.session() as s:
        (entry,) = read_log(s, entity="node", entity_id="t-ta1")
        assert current_version(s, "node", "t-ta1") == 1
    assert (entry.user, entry.action) == ("anna", "edit")
    assert entry.before["title"] == "Målområde 1" and entry.before["indicators"] == ["ind-1"]
    assert entry.after["title"] == "Målområde ett" and entry.after["indicators"] == []


def test_stale_version_is_refused_and_nothing_written(ws):
    with ws.session() as s:
        edit_node(s, "anna", "t-ta1", {"title": "Först"}, 0)
    kept = snapshot(ws)
    with pytest.raises(ConflictError, match="Någon annan har sparat noden"), ws.session() as s:
        edit_node(s, "bo", "t-ta1", {"title": "Sen"}, 0)
    assert snapshot(ws) == kept


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": ""}, "title", "at least 1 character"),
        ({"indicators": ["no-such"]}, "indicators[0]", "not defined in the workspace"),
        ({"target_group": {"text": "Barn", "age_min": 12, "age_max": 6}},
         "target_group.age_max", "below age_min"),
    ],
)  # fmt: skip
def test_bad_values_are_named_relative_to_the_node_and_nothing_written(ws, changes, field, words):
    kept = snapshot(ws)
    with pytest.raises(ValidationError) as caught, ws.session() as s:
        edit_node(s, "anna", "t-ta1", changes, 0)
    assert [p.field for p in caught.value.problems] == [field]
    assert words in caught.value.problems[0].message
    assert snapshot(ws) == kept


def test_id_kind_and_parent_cannot_be_changed_here(ws):
    with pytest.raises(ValueError, match="kind, parent"), ws.session() as s:
        edit_node(s, "anna", "t-ta1", {"parent": None, "kind": "goal"}, 0)


def test_add_child_then_remove_it_leaves_the_programme_as_imported(ws):
    original = _programme(ws)
    with ws.session() as s:
        add_node(s, "anna", PID, {"id": "t-s2", "kind": "strategy", "parent": "t-ta1",
                                  "title": "Strategi 2", "indicators": ["ind-1"]}, 0)  # fmt: skip
    added = _programme(ws)
    assert [c.id for c in added.children("t-ta1")] == ["t-s1", "t-s2"]
    assert added.node("t-s2").indicators == ["ind-1"]
    with ws.session() as s:
        remove_node(s, "anna", "t-s2", 0)
        log = read_log(s, entity="node", entity_id="t-s2")
    assert dump_programme(_programme(ws)) == dump_programme(original)
    assert [(e.action, e.before is None, e.after is None) for e in log] == [
        ("create", True, False),
        ("delete", False, True),
    ]
    # Adding claimed the parent's version: a form opened on the parent before is now stale.
    with ws.session() as s:
        assert current_version(s, "node", "t-ta1") == 1


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"id": "t-s1", "kind": "strategy"}, "id", "duplicate id 't-s1'"),
        ({"id": "t-new", "kind": "goal"}, "parent", "cannot hang under 't-ta1'"),
        ({"id": "bad id", "kind": "strategy"}, "id", "should match pattern"),
    ],
)
def test_a_child_that_breaks_the_rules_is_refused(ws, values, field, words):
    kept = snapshot(ws)
    with pytest.raises(ValidationError) as caught, ws.session() as s:
        add_node(s, "anna", PID, {"parent": "t-ta1", "title": "Ny", **values}, 0)
    problems = caught.value.problems
    assert field in [p.field for p in problems], problems
    assert any(words in p.message for p in problems), problems
    assert snapshot(ws) == kept


def test_a_node_in_use_is_not_removed_and_the_reason_named(ws):
    kept = snapshot(ws)
    with pytest.raises(TreeError) as caught, ws.session() as s:
        remove_node(s, "anna", "t-ta1", 0)
    assert "1 undernod(er): Strategi 1 (t-s1)" in str(caught.value)
    with pytest.raises(TreeError) as caught, ws.session() as s:
        remove_node(s, "anna", "t-s1", 0)
    assert "1 insats(er) är kopplade till noden: Insats 1 (t-i1)" in str(caught.value)
    assert snapshot(ws) == kept


def test_publication_is_off_by_default_and_audited_when_turned_on(ws, write):
    assert _programme(ws).published is False  # the test file says nothing about publication
    with ws.session() as s:
        assert set_published(s, "anna", PID, True, 0) is False
    assert _programme(ws).published is True
    assert "published: true" in dump_programme(_programme(ws))
    with ws.session() as s:
        imported, entry = read_log(s, entity="programme", entity_id=PID)
    assert imported.action == "import"  # the file's import, then the administrator's change
    assert (entry.action, entry.before, entry.after) == (
        "publish", {"published": False}, {"published": True})  # fmt: skip
    with pytest.raises(ConflictError), ws.session() as s:
        set_published(s, "bo", PID, False, 0)
    assert _programme(ws).published is True


def test_published_round_trips_through_yaml(write):
    text = BASE.replace("node_kinds:", "published: true\nnode_kinds:")
    assert load_programme(write(text)).published is True
    assert load_programme(write(BASE)).published is False
    # A wrong type is a located problem, not a silent "not published".
    with pytest.raises(ValidationError, match="published"):
        load_programme(write(BASE.replace("node_kinds:", "published: ja\nnode_kinds:")))
