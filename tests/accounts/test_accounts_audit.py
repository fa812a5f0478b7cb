"""The audit log: written in the change's transaction, append-only in the application and in
the database, exported as CSV and JSON; and optimistic locking of concurrent edits."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from accounts_helpers import T0
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DatabaseError

from jamlik.audit import (
    AuditError,
    ConflictError,
    bump_version,
    claim_version,
    current_version,
    export_log,
    read_log,
    record,
    row_snapshot,
)
from jamlik.audit.tables import AuditRow
from jamlik.programme.tables import ActorRow


def test_an_entry_commits_and_rolls_back_with_its_change(ws):
    with ws.session() as s:
        actor = s.get(ActorRow, "gbg-grundskola")
        before = row_snapshot(actor)
        actor.name = "Grundskoleförvaltningen"
        record(s, "eva", "update", "actor", actor.id, before, row_snapshot(actor), now=T0)
    with pytest.raises(RuntimeError), ws.session() as s:
        actor = s.get(ActorRow, "gbg-grundskola")
        actor.name = "Ändring som ångras"
        record(s, "eva", "update", "actor", actor.id, None, row_snapshot(actor))
        raise RuntimeError("the save fails after the entry was written")
    with ws.session() as s:
        (entry,) = read_log(s)
        assert s.get(ActorRow, "gbg-grundskola").name == "Grundskoleförvaltningen"
    assert (entry.user, entry.action, entry.entity, entry.entity_id) == (
        "eva",
        "update",
        "actor",
        "gbg-grundskola",
    )
    assert entry.at == T0
    assert entry.before["name"] == "gbg-grundskola"
    assert entry.after["name"] == "Grundskoleförvaltningen"


def test_values_are_stored_as_canonical_json(ws):
    with ws.session() as s:
        record(s, None, "create", "note", 7, None, {"b": date(2026, 1, 31), "a": {"ö", "å"}})
    with ws.session() as s:
        stored = s.scalar(select(AuditRow.after))
    assert stored == '{"a": ["å", "ö"], "b": "2026-01-31"}'


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET user_name = 'mallory'", "DELETE FROM audit_log"],
)
def test_the_database_refuses_to_change_entries_on_sqlite(ws, statement):
    with ws.session() as s:
        record(s, "eva", "create", "note", "1", None, {"x": 1})
    # A separate connection, as any other client of the database file would have.
    engine = create_engine(ws.url)
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()
    with ws.session() as s:
        assert [e.user for e in read_log(s)] == ["eva"]


def test_the_application_refuses_to_change_entries(ws):
    with ws.session() as s:
        record(s, "eva", "create", "note", "1", None, {"x": 1})
    with pytest.raises(AuditError), ws.session() as s:
        s.scalar(select(AuditRow)).user_name = "mallory"
    with pytest.raises(AuditError), ws.session() as s:
        s.delete(s.scalar(select(AuditRow)))
    with ws.session() as s:
        assert read_log(s)[0].user == "eva"


def test_reading_filters_and_exports_csv_and_json(ws, tmp_path):
    with ws.session() as s:
        record(
            s,
            "eva",
            "update",
            "initiative",
            "gbg-i1",
            {"status": "planned"},
            {"status": "ongoing"},
            now=T0,
        )
        record(s, "bo", "create", "reach", "gbg-i1/2025", None, {"reached": 120}, now=T0)
    with ws.session() as s:
        assert [e.user for e in read_log(s, entity="initiative")] == ["eva"]
        assert [e.user for e in read_log(s, user="bo")] == ["bo"]
        assert [e.user for e in read_log(s, newest_first=True)] == ["bo", "eva"]
        entries = read_log(s)
    assert export_log(entries, tmp_path / "log.csv") == 2
    with (tmp_path / "log.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["user"] == "eva" and rows[0]["at"] == "2026-03-02T09:00:00+00:00"
    assert json.loads(rows[0]["before"]) == {"status": "planned"}
    assert rows[1]["before"] == ""
    export_log(entries, tmp_path / "log.json")
    items = json.loads((tmp_path / "log.json").read_text("utf-8"))
    assert items[1] == {
        "id": entries[1].id, "at": "2026-03-02T09:00:00+00:00", "user": "bo", "action": "create",
        "entity": "reach", "entity_id": "gbg-i1/2025", "before": None, "after": {"reached": 120},
    }  # fmt: skip
    with pytest.raises(Exception, match="unknown format"):
        export_log(entries, tmp_path / "log.txt")


def test_the_second_save_from_the_same_version_is_refused(ws):
    # Two editors open the initiative at the same version …
    with ws.session() as s:
        opened = current_version(s, "initiative", "gbg-i1")
    assert opened == 0
    # … the first saves …
    with ws.session() as s:
        assert claim_version(s, "initiative", "gbg-i1", opened) == 1
    # … and the second is refused, with nothing of theirs written.
    with pytest.raises(ConflictError) as refused, ws.session() as s:
        record(s, "bo", "update", "initiative", "gbg-i1", None, {"status": "paused"})
        claim_version(s, "initiative", "gbg-i1", opened)
    message = str(refused.value)
    assert message.startswith("Någon annan har sparat insatsen sedan du öppnade den.")
    assert (refused.value.expected, refused.value.current) == (0, 1)
    with ws.session() as s:
        assert read_log(s) == []
        assert current_version(s, "initiative", "gbg-i1") == 1
        # Reloading gives the new version, and the save goes through.
        assert claim_version(s, "initiative", "gbg-i1", 1) == 2
        assert bump_version(s, "initiative", "gbg-i1") == 3
        assert claim_version(s, "initiative", "gbg-i2", 0) == 1  # records are independent


def test_two_first_saves_cannot_both_create_the_version(ws):
    with ws.session() as s:
        claim_version(s, "initiative", "gbg-i1", 0)
    with pytest.raises(ConflictError), ws.session() as s:
        claim_version(s, "initiative", "gbg-i1", 0)


@pytest.mark.parametrize("expected", [0, 1])
def test_a_claim_rolls_back_with_a_save_that_fails(ws, expected):
    if expected:
        with ws.session() as s:
            claim_version(s, "initiative", "gbg-i1", 0)
    with pytest.raises(RuntimeError), ws.session() as s:
        claim_version(s, "initiative", "gbg-i1", expected)
        raise RuntimeError("the save fails after the claim")
    with ws.session() as s:
        assert current_version(s, "initiative", "gbg-i1") == expected
