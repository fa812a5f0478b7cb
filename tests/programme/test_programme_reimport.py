"""Re-importing a programme file keeps what people changed in the web (issue 18).

The web's edits are made here through the functions the web's routes call, in one transaction
with their audit entry, as the routes do (`update_initiative`, `create_initiative`,
`set_published`, `edit_node`); tests/web/test_web_reimport.py does the same through the real
HTTP API. The numbers expected are counted from the edits each test makes.
"""

from __future__ import annotations

from datetime import date

import pytest
from programme_helpers import BASE, snapshot
from sqlalchemy import update
from typer.testing import CliRunner

from jamlik.audit import ConflictError, claim_version, current_version, read_log, record
from jamlik.cli import app
from jamlik.errors import ValidationError
from jamlik.programme import Initiative, Reach, import_programme, read_programme
from jamlik.programme.edit_tree import edit_node, set_published
from jamlik.programme.store import (
    ImportConflictError,
    create_initiative,
    programme_conflicts,
    update_initiative,
)
from jamlik.programme.tables import ProgrammeRow

TODAY = date(2025, 6, 1)
PID = "test-prog"
WEB_NOTE = "Webben: 40 familjer nåddes hösten 2022."
FILE_NOTE = "Filen: en annan anteckning."
NEW = Initiative(id="t-web", title="Insats skapad i webben", owner="t-dept", nodes=["t-s1"])


def stored(ws):
    with ws.session() as s:
        return read_programme(s, PID)


def web_edit(ws, **changes) -> None:
    """An initiative edit as the web saves it: version claim, update, audit entry."""
    with ws.session() as s:
        before = read_programme(s, PID).initiative("t-i1")
        after = before.model_copy(update=changes)
        claim_version(s, "initiative", "t-i1", current_version(s, "initiative", "t-i1"))
        update_initiative(s, after, today=TODAY)
        record(s, "editor", "edit", "initiative", "t-i1",
               before.model_dump(mode="json"), after.model_dump(mode="json"))  # fmt: skip


def web_edits(ws) -> None:
    """Five web edits: t-i1's notes and reach, publication, a node's title, a new initiative."""
    web_edit(ws, notes=WEB_NOTE, reach=[Reach(period="2022", area="area-b", reached=40)])
    with ws.session() as s:
        set_published(s, "admin", PID, True, 0)
        edit_node(s, "admin", "t-s1", {"title": "Strategi 1 (omformulerad i webben)"}, 0)
        create_initiative(s, PID, NEW)
        record(s, "editor", "create", "initiative", NEW.id, None, NEW.model_dump(mode="json"))


@pytest.fixture
def edited(write, workspace):
    """The base file imported, then edited in the web."""
    import_programme(workspace, write(BASE), today=TODAY)
    web_edits(workspace)
    return workspace


def test_unchanged_file_keeps_every_web_edit(write, edited) -> None:
    before = stored(edited)
    assert before.initiative("t-i1").notes == WEB_NOTE  # the edits are there to lose
    rows = snapshot(edited)
    summary = import_programme(edited, write(BASE), today=TODAY)
    assert not summary.changed and summary.kept == 5
    assert "web edits kept: 5" in str(summary)
    after = stored(edited)
    assert after == before
    assert after.initiative("t-i1").notes == WEB_NOTE
    assert [(r.area, r.reached) for r in after.initiative("t-i1").reach] == [("area-b", 40)]
    assert after.published is True
    assert after.node("t-s1").title == "Strategi 1 (omformulerad i webben)"
    assert after.initiative("t-web").title == NEW.title
    assert snapshot(edited) == rows  # nothing written, not even an audit entry


def test_file_changes_elsewhere_merge_and_keep_the_web_edits(write, edited) -> None:
    changed = BASE.replace("title: Insats 1", "title: Insats 1 (ny titel i filen)")
    summary = import_programme(edited, write(changed), today=TODAY)
    assert summary.changed and summary.kept == 5
    after = stored(edited)
    it = after.initiative("t-i1")
    assert it.title == "Insats 1 (ny titel i filen)"  # the file's change
    assert it.notes == WEB_NOTE and it.reach[0].reached == 40  # the web's
    assert after.published and after.initiative("t-web")
    with edited.session() as s:
        entry = read_log(s, entity="programme", entity_id=PID)[-1]
    assert entry.action == "import"
    assert entry.after["initiatives"] == {"added": 0, "changed": 1, "removed": 0, "total": 2}
    assert entry.after["web_edits_kept"] == 5 and entry.after["web_edits_replaced"] == 0
    # Importing the same changed file again keeps everything and writes nothing.
    again = import_programme(edited, write(changed), today=TODAY)
    assert not again.changed and stored(edited) == after


def test_conflicting_file_stops_lists_the_conflicts_and_writes_nothing(write, edited) -> None:
    changed = (
        BASE.replace("title: Insats 1", "title: Insats 1 (ny titel i filen)")
        .replace("    reach:\n", f"    notes: '{FILE_NOTE}'\n    reach:\n")
        .replace("    title: Strategi 1\n", "    title: Strategi Ett\n")
    )
    rows = snapshot(edited)
    with pytest.raises(ImportConflictError) as caught:
        import_programme(edited, write(changed), today=TODAY)
    conflicts = caught.value.conflicts
    # The web edited reach too, but the file leaves reach as it was: no conflict there.
    assert [c.where for c in conflicts] == ["nodes[t-s1].title", "initiatives[t-i1].notes"]
    notes = caught.value.problems[1]
    assert notes.field == "initiatives[t-i1].notes"
    assert notes.message.startswith("Insatsen 't-i1' (Insats 1 (ny titel i filen)) fält 'notes'")
    assert f"webben har «{WEB_NOTE}»" in notes.message
    assert f"filen har «{FILE_NOTE}»" in notes.message
    assert "the web has" in notes.message  # English beside
    assert snapshot(edited) == rows  # nothing written, the title change included
    assert [c.where for c in programme_conflicts(edited, write(changed), today=TODAY)] == [
        c.where for c in conflicts
    ]


def test_replace_overwrites_the_web_edits_and_audits_what(write, edited) -> None:
    changed = BASE.replace("    reach:\n", f"    notes: '{FILE_NOTE}'\n    reach:\n")
    summary = import_programme(edited, write(changed), today=TODAY, replace=True, by="cli:anna")
    assert summary.overwritten == 5
    after = stored(edited)
    with edited.session() as s:
        entry = read_log(s, entity="programme", entity_id=PID)[-1]
    assert after.initiative("t-i1").notes == FILE_NOTE
    assert [i.id for i in after.initiatives] == ["t-i1"]  # the web's initiative is gone
    assert after.published is False and after.node("t-s1").title == "Strategi 1"
    assert (entry.action, entry.user) == ("replace", "cli:anna")
    assert entry.after["web_edits_replaced"] == 5
    assert entry.after["initiatives"] == {"added": 0, "changed": 1, "removed": 1, "total": 1}
    assert entry.after["nodes"]["changed"] == 1
    assert sorted(entry.after["replaced"]) == [
        "initiatives[t-i1].notes",
        "initiatives[t-i1].reach",
        "initiatives[t-web]",
        "nodes[t-s1].title",
        "published",
    ]
    web = {e["where"]: e["web"] for e in entry.before["web_edits"]}
    assert web["initiatives[t-i1].notes"] == WEB_NOTE  # what was overwritten, to restore by hand


def test_file_removing_an_initiative_edited_in_the_web_is_a_conflict(write, edited) -> None:
    without = BASE[: BASE.index("initiatives:")] + "initiatives: []\n"
    with pytest.raises(ImportConflictError) as caught:
        import_programme(edited, write(without), today=TODAY)
    (conflict,) = caught.value.conflicts
    assert conflict.where == "initiatives[t-i1]"
    assert "ändrades i webben men tas bort i filen" in conflict.message()


def test_file_removing_an_untouched_initiative_removes_it(write, workspace) -> None:
    import_programme(workspace, write(BASE), today=TODAY)
    without = BASE[: BASE.index("initiatives:")] + "initiatives: []\n"
    assert import_programme(workspace, write(without), today=TODAY).changed
    assert stored(workspace).initiatives == []


def test_removing_a_node_a_web_initiative_serves_is_refused_by_name(write, edited) -> None:
    # The file drops strategy t-s1 and moves t-i1 to the target area; t-web still serves t-s1.
    text = BASE.replace("    nodes: [t-s1]", "    nodes: [t-ta1]")
    text = text.replace(
        "  - id: t-s1\n    kind: strategy\n    title: Strategi 1\n    parent: t-ta1\n", ""
    )
    web_only = stored(edited).model_copy()
    rows = snapshot(edited)
    with pytest.raises(ValidationError) as caught:
        import_programme(edited, write(text), today=TODAY)
    message = str(caught.value)
    assert "t-s1" in message and "webbens ändringar" in message
    assert snapshot(edited) == rows and stored(edited) == web_only


def test_a_form_opened_before_an_import_that_changed_it_is_refused(write, workspace) -> None:
    import_programme(workspace, write(BASE), today=TODAY)
    with workspace.session() as s:
        opened = current_version(s, "initiative", "t-i1")
    import_programme(workspace, write(BASE.replace("title: Insats 1", "title: Ny")), today=TODAY)
    with pytest.raises(ConflictError), workspace.session() as s:
        claim_version(s, "initiative", "t-i1", opened)


def test_a_workspace_imported_before_bases_were_stored_keeps_its_web_edits(write, edited) -> None:
    """Upgraded workspaces have no stored base: it is rebuilt from the audit log."""
    with edited.session() as s:
        s.execute(update(ProgrammeRow).values(imported=None))
    before = stored(edited)
    import_programme(edited, write(BASE), today=TODAY)
    assert stored(edited).initiative("t-i1").notes == WEB_NOTE
    assert stored(edited) == before
    changed = BASE.replace("    reach:\n", f"    notes: '{FILE_NOTE}'\n    reach:\n")
    with edited.session() as s:
        s.execute(update(ProgrammeRow).values(imported=None))
    with pytest.raises(ImportConflictError):
        import_programme(edited, write(changed), today=TODAY)


def test_cli_lists_conflicts_and_replace_overwrites(write, edited) -> None:
    runner = CliRunner()
    changed = write(BASE.replace("    reach:\n", f"    notes: '{FILE_NOTE}'\n    reach:\n"))
    args = ["programme", "import", str(changed), "-w", str(edited.path)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1
    out = " ".join(refused.output.split())
    assert "1 konflikt mellan webben och filen" in out
    assert "initiatives[t-i1].notes" in out and WEB_NOTE in out and FILE_NOTE in out
    assert "Inget ändrades" in out and "--replace" in out
    assert stored(edited).initiative("t-i1").notes == WEB_NOTE
    done = runner.invoke(app, [*args, "--replace"])
    assert done.exit_code == 0, done.output
    assert "ändringar från webben överskrivna / web edits replaced: 5" in " ".join(
        done.output.split()
    )
    assert stored(edited).initiative("t-i1").notes == FILE_NOTE
    with edited.session() as s:
        entry = read_log(s, entity="programme", entity_id=PID)[-1]
    assert entry.action == "replace" and entry.user.startswith("cli:")
