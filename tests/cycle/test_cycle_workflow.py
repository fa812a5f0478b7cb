"""The workflow draft → submitted → returned → submitted → approved, audited step by step,
and the attacks that must fail: approving as an editor, approving one's own submission,
returning without a comment, readers and visitors seeing anything but approved reports."""

from __future__ import annotations

import pytest
from cycle_helpers import (
    ADMIN,
    ANALYST,
    EDITOR_A,
    EDITOR_B,
    LEADER,
    LEADER2,
    READER,
    VISITOR,
    P,
)

from jamlik.accounts.permissions import NotAllowed
from jamlik.audit import read_log
from jamlik.cycle import (
    CycleError,
    NotFound,
    ReportContent,
    WorkflowError,
    approve,
    approved_reports,
    get_report,
    list_reports,
    save_report,
    send_back,
    start_report,
    submit,
    visible_states,
)


def _draft(ws, period, user=EDITOR_A, initiative="I1"):
    with ws.session() as s:
        rep = start_report(s, user, period, initiative)
        return save_report(s, user, rep.id, rep.version,
                           ReportContent(status="on_track", done="Gjort."))  # fmt: skip


def test_the_whole_workflow_is_audited(ws, periods):
    _old, new = periods
    rep = _draft(ws, new)
    with ws.session() as s:
        submit(s, EDITOR_A, "report", rep.id)
        send_back(s, LEADER, "report", rep.id, "Lägg till nåendet per stadsdel.")
        returned = get_report(s, EDITOR_A, rep.id)
        assert returned.state == "returned"
        assert returned.return_comment == "Lägg till nåendet per stadsdel."
        again = save_report(s, EDITOR_A, rep.id, returned.version,
                            ReportContent(status="on_track", done="Gjort, med nåendet."))  # fmt: skip
        submit(s, EDITOR_A, "report", rep.id, version=again.version)
        approve(s, LEADER, "report", rep.id)
        final = get_report(s, READER, rep.id)
        log = read_log(s, entity="cycle_report", entity_id=str(rep.id))
    assert final.state == "approved" and final.reviewed_by == "lena"
    assert final.submitted_by == "anna"
    assert [(e.action, e.user) for e in log] == [
        ("create", "anna"), ("edit", "anna"), ("submit", "anna"), ("return", "lena"),
        ("edit", "anna"), ("submit", "anna"), ("approve", "lena"),
    ]  # fmt: skip
    assert log[3].after["return_comment"] == "Lägg till nåendet per stadsdel."
    assert [e.after["state"] for e in log[2:]] == [
        "submitted", "returned", "returned", "submitted", "approved"]  # fmt: skip


def test_editors_never_approve_or_return_not_even_their_own(ws, periods):
    _old, new = periods
    rep = _draft(ws, new)
    with ws.session() as s:
        submit(s, EDITOR_A, "report", rep.id)
    for user in (EDITOR_A, EDITOR_B, READER, ANALYST, VISITOR):
        with pytest.raises(NotAllowed), ws.session() as s:
            approve(s, user, "report", rep.id)
        with pytest.raises(NotAllowed), ws.session() as s:
            send_back(s, user, "report", rep.id, "nej")
    with ws.session() as s:
        assert get_report(s, LEADER, rep.id).state == "submitted"


def test_nobody_approves_their_own_submission(ws, periods):
    _old, new = periods
    rep = _draft(ws, new, user=LEADER)
    with ws.session() as s:
        submit(s, LEADER, "report", rep.id)
    with pytest.raises(WorkflowError, match="kan inte godkänna"), ws.session() as s:
        approve(s, LEADER, "report", rep.id)
    with ws.session() as s:
        approve(s, LEADER2, "report", rep.id)
        assert get_report(s, READER, rep.id).state == "approved"


def test_steps_out_of_order_and_returns_without_comment_are_refused(ws, periods):
    _old, new = periods
    rep = _draft(ws, new)
    with pytest.raises(WorkflowError, match="utkast och kan inte godkännas"), ws.session() as s:
        approve(s, LEADER, "report", rep.id)
    with pytest.raises(WorkflowError, match="kan inte skickas tillbaka"), ws.session() as s:
        send_back(s, LEADER, "report", rep.id, "varför?")
    with ws.session() as s:
        submit(s, EDITOR_A, "report", rep.id)
    with pytest.raises(WorkflowError, match="kan inte skickas in"), ws.session() as s:
        submit(s, EDITOR_A, "report", rep.id)
    with pytest.raises(CycleError, match="behöver ändras"), ws.session() as s:
        send_back(s, LEADER, "report", rep.id, "   ")


def test_a_step_from_a_stale_form_is_refused(ws, periods):
    _old, new = periods
    rep = _draft(ws, new)
    with ws.session() as s:
        submit(s, EDITOR_A, "report", rep.id, version=rep.version)
        send_back(s, LEADER, "report", rep.id, "Komplettera.")
    from jamlik.cycle import CycleConflict

    with pytest.raises(CycleConflict), ws.session() as s:  # the form still says rep.version
        submit(s, EDITOR_A, "report", rep.id, version=rep.version)


def test_readers_and_visitors_see_approved_reports_only(ws, periods):
    """Drafts, submitted and returned reports stay with those who write and review them."""
    _old, new = periods
    draft = _draft(ws, new, initiative="I1")
    submitted = _draft(ws, new, user=EDITOR_B, initiative="I3")
    approved = _draft(ws, new, user=EDITOR_B, initiative="I4")
    with ws.session() as s:
        submit(s, EDITOR_B, "report", submitted.id)
        submit(s, EDITOR_B, "report", approved.id)
        approve(s, LEADER, "report", approved.id)
    from jamlik.programme.tables import ProgrammeRow

    with ws.session() as s:
        s.get(ProgrammeRow, P).published = True
    seen = {}
    with ws.session() as s:
        for name, user in (("reader", READER), ("analyst", ANALYST), ("visitor", VISITOR),
                           ("editor_a", EDITOR_A), ("editor_b", EDITOR_B), ("leader", LEADER),
                           ("admin", ADMIN)):  # fmt: skip
            seen[name] = sorted(r.initiative_id for r in list_reports(s, user, period_id=new))
        for user in (READER, VISITOR, EDITOR_A):
            with pytest.raises(NotFound):
                get_report(s, user, submitted.id)
        with pytest.raises(NotFound):
            get_report(s, READER, draft.id)
        public = [r.initiative_id for r in approved_reports(s, P, new)]
    assert seen["reader"] == seen["analyst"] == seen["visitor"] == ["I4"]
    assert seen["editor_a"] == ["I1", "I4"]  # their own draft and the approved one
    assert seen["editor_b"] == ["I3", "I4"]
    assert seen["leader"] == seen["admin"] == ["I1", "I3", "I4"]
    assert public == ["I4"]


def test_visitors_see_nothing_of_an_unpublished_programme(ws, periods):
    _old, new = periods
    rep = _draft(ws, new)
    with ws.session() as s:
        submit(s, EDITOR_A, "report", rep.id)
        approve(s, LEADER, "report", rep.id)
        assert list_reports(s, VISITOR, period_id=new) == []
        assert [r.id for r in list_reports(s, READER, period_id=new)] == [rep.id]
    assert visible_states(VISITOR, None, published=False) == frozenset()
    assert visible_states(READER, "akt-a") == frozenset({"approved"})
