"""Administrators edit the programme tree and its publication in the browser's forms: changes
are stored and audited with before and after, stale forms get 409 with a clear message, bad
input is named at its field and nothing is written, and other roles are refused."""

from __future__ import annotations

import pytest
from accounts_site import ROLES, copy_demo
from forms import (
    bad_input_is_refused,
    error_summary,
    form_data,
    form_token,
    form_version,
    stale_save_is_refused,
)
from sqlalchemy import select

from jamlik.audit import read_log
from jamlik.audit.tables import AuditRow
from jamlik.programme import read_programme
from jamlik.programme.tables import NodeRow, ProgrammeRow

PID = "exempelstad-jamlik-stad"
NODE = "/admin/programme/nodes/ex-ta1"


@pytest.fixture(scope="module")
def site(demo_workspace, tmp_path_factory):
    return copy_demo(demo_workspace, tmp_path_factory.mktemp("admin-prog") / "ws")


def _programme(site):
    with site.workspace.session() as s:
        return read_programme(s, PID)


def _state(site):
    """The tree, publication and the audit log's length: equal means nothing was written."""
    with site.workspace.session() as s:
        nodes = s.execute(select(NodeRow).order_by(NodeRow.id)).scalars().all()
        return (
            [(n.id, n.title, n.title_en, n.sort_order, n.age_min) for n in nodes],
            s.scalar(select(ProgrammeRow.published)),
            len(s.execute(select(AuditRow.id)).all()),
        )


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_other_roles_are_refused(site, role):
    client = site.client(role)
    expected = 401 if role == "public" else 403
    assert client.get("/admin/programme").status_code == expected
    assert client.get(NODE).status_code == expected


def test_the_tree_page_shows_every_node_and_the_publication(site):
    html = site.client("admin").get("/admin/programme").text
    p = _programme(site)
    for node in p.nodes:
        assert f'href="/admin/programme/nodes/{node.id}"' in html
    assert 'id="published-yes" name="published" value="yes" checked' in html


def test_edit_a_node_is_stored_audited_and_shown(site):
    admin = site.client("admin")
    before = _programme(site).node("ex-ta1")
    page = admin.get(NODE).text
    saved = admin.post(NODE, data=form_data(page, NODE, title="Goda uppväxtvillkor för alla",
                                             order="7", tg_text="Barn och unga",
                                             age_min="0", age_max="18"))  # fmt: skip
    assert saved.status_code == 303, error_summary(saved.text)
    after = _programme(site).node("ex-ta1")
    assert (after.title, after.order) == ("Goda uppväxtvillkor för alla", 7)
    assert (after.target_group.text, after.target_group.age_max) == ("Barn och unga", 18)
    assert after.indicators == before.indicators  # the ticked boxes were sent back unchanged
    with site.workspace.session() as s:
        entry = read_log(s, entity="node", entity_id="ex-ta1")[-1]
    assert entry.user == "admin" and entry.action == "edit"
    assert entry.before["title"] == before.title
    assert entry.after["title"] == "Goda uppväxtvillkor för alla"
    assert "Goda uppväxtvillkor för alla" in site.client("reader").get("/programme").text


def test_a_stale_save_is_refused_with_409_and_a_clear_message(site):
    message = "Någon annan har sparat noden sedan du öppnade den"
    stale_save_is_refused(site, NODE, _state, "title", ("Först", "Sist"), message)
    assert _programme(site).node("ex-ta1").title == "Först"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": ""}, "title", "Rubrik: skriv en rubrik."),
        ({"order": "två"}, "order", "Nummer: skriv ett heltal, inte"),
        ({"tg_text": "Barn", "age_min": "12", "age_max": "6"}, "age_max", "below age_min"),
        ({"tg_text": "", "age_min": "3"}, "tg_text", "Målgrupp: beskriv"),
        ({"indicators": ["no-such-indicator"]}, "indicators", "not defined in the workspace"),
    ],
)
def test_bad_input_is_named_at_its_field_and_nothing_written(site, changes, field, words):
    summary = bad_input_is_refused(site, NODE, _state, changes, field)
    assert any(f == field and words in m for f, m in summary), summary


def test_add_a_child_then_remove_it(site):
    admin = site.client("admin")
    page = admin.get(NODE).text
    data = {"csrf_token": form_token(page), "version": str(form_version(page)),
            "id": "ex-ta1-ny", "kind": "strategy", "title": "Läxhjälp i alla stadsdelar"}  # fmt: skip
    added = admin.post(f"{NODE}/children", data=data)
    assert added.status_code == 303
    assert added.headers["location"] == "/admin/programme/nodes/ex-ta1-ny?saved=created"
    p = _programme(site)
    assert p.node("ex-ta1-ny").parent == "ex-ta1" and p.node("ex-ta1-ny").kind == "strategy"
    assert "Läxhjälp i alla stadsdelar" in site.client("reader").get("/programme/ex-ta1").text

    child_page = admin.get("/admin/programme/nodes/ex-ta1-ny").text
    gone = admin.post("/admin/programme/nodes/ex-ta1-ny/delete", data={
        "csrf_token": form_token(child_page), "version": str(form_version(child_page)),
        "confirm": "yes"})  # fmt: skip
    assert gone.status_code == 303
    assert "ex-ta1-ny" not in [n.id for n in _programme(site).nodes]
    with site.workspace.session() as s:
        log = read_log(s, entity="node", entity_id="ex-ta1-ny")
    assert [(e.action, e.user) for e in log] == [("create", "admin"), ("delete", "admin")]
    assert log[1].before["title"] == "Läxhjälp i alla stadsdelar" and log[1].after is None


def test_a_child_with_a_taken_id_or_wrong_kind_is_refused(site):
    admin = site.client("admin")
    page = admin.get(NODE).text
    kept = _state(site)
    data = {"csrf_token": form_token(page), "version": str(form_version(page)),
            "id": "ex-ta2", "kind": "goal", "title": "Dubblett"}  # fmt: skip
    answer = admin.post(f"{NODE}/children", data=data)
    assert answer.status_code == 422
    fields = [f for f, _ in error_summary(answer.text)]
    assert fields == ["new-id", "new-kind"]
    assert _state(site) == kept


def test_removing_a_node_in_use_is_refused_saying_why(site):
    admin = site.client("admin")
    page = admin.get(NODE).text
    assert 'id="remove-form"' not in page  # no remove button for a node in use
    assert "undernod(er)" in page and "insats(er) är kopplade" in page
    kept = _state(site)
    answer = admin.post(f"{NODE}/delete", data={"csrf_token": form_token(page),
                                                "version": str(form_version(page)), "confirm": "yes"})  # fmt: skip
    assert answer.status_code == 422
    (entry,) = error_summary(answer.text)
    assert entry[0] == "remove-blockers" and entry[1].startswith("Noden togs inte bort")
    assert "Familjecentraler som nav (ex-familjecentraler)" in entry[1]
    assert _state(site) == kept


def test_unpublish_and_publish_again(site):
    admin, public = site.client("admin"), site.client("public")
    page = admin.get("/admin/programme").text
    data = {"csrf_token": form_token(page), "version": str(form_version(page)), "published": "no"}
    assert admin.post("/admin/programme/publish", data=data).status_code == 303
    assert public.get("/programme").status_code == 401
    stale = admin.post("/admin/programme/publish", data={**data, "published": "yes"})
    assert stale.status_code == 409 and "Någon annan har ändrat programmet" in stale.text
    assert public.get("/programme").status_code == 401
    page = admin.get("/admin/programme").text
    data = {**data, "version": str(form_version(page)), "published": "yes"}
    assert admin.post("/admin/programme/publish", data=data).status_code == 303
    assert public.get("/programme").status_code == 200
    with site.workspace.session() as s:
        log = read_log(s, entity="programme", entity_id=PID)
    assert [(e.action, e.before, e.after) for e in log if e.action != "import"] == [
        ("unpublish", {"published": True}, {"published": False}),
        ("publish", {"published": False}, {"published": True}),
    ]
