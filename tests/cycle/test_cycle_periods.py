"""Periods: staggered default deadlines, overrides in order, closing locks, reopening is the
process leader's and audited with its reason."""

from __future__ import annotations

from datetime import date

import pytest
from cycle_helpers import ADMIN, EDITOR_A, LEADER, READER, P

from jamlik.accounts.permissions import NotAllowed
from jamlik.audit import read_log
from jamlik.cycle import (
    CycleError,
    PeriodClosed,
    ReportContent,
    add_attachment,
    approve,
    close_period,
    open_period,
    period_span,
    previous_period,
    reopen_period,
    save_report,
    send_back,
    start_report,
    submit,
)


def test_default_deadlines_are_staggered_by_level(ws):
    with ws.session() as s:
        p = open_period(s, LEADER, P, "Uppföljning 2026", "year", date(2026, 1, 1),
                        date(2026, 12, 31))  # fmt: skip
    # 31 Dec 2026 + 4, 6, 8, 10 weeks (28, 42, 56, 70 days), counted on a calendar:
    assert p.deadlines == {
        "initiative": date(2027, 1, 28),
        "strategy": date(2027, 2, 11),
        "target_area": date(2027, 2, 25),
        "goal": date(2027, 3, 11),
    }
    assert p.state == "open"


def test_deadlines_may_be_set_but_not_out_of_order(ws):
    with ws.session() as s:
        p = open_period(s, LEADER, P, "U", "year", date(2026, 1, 1), date(2026, 12, 31),
                        {"initiative": date(2027, 1, 15)})  # fmt: skip
        assert p.deadlines["initiative"] == date(2027, 1, 15)
        assert p.deadlines["strategy"] == date(2027, 2, 11)
    with pytest.raises(CycleError, match="före den för insatser"), ws.session() as s:
        open_period(s, LEADER, P, "V", "year", date(2026, 1, 1), date(2026, 12, 31),
                    {"strategy": date(2027, 1, 10)})  # fmt: skip


def test_spans_of_tertials_and_half_years():
    assert period_span("tertial", 2026, 2) == (date(2026, 5, 1), date(2026, 8, 31))
    assert period_span("half_year", 2024, 1) == (date(2024, 1, 1), date(2024, 6, 30))
    with pytest.raises(CycleError, match="1–3"):
        period_span("tertial", 2026, 4)


def test_labels_are_unique_per_programme(ws, periods):
    with pytest.raises(CycleError, match="redan en period"), ws.session() as s:
        open_period(s, LEADER, P, "Uppföljning 2026", "year", date(2026, 1, 1), date(2026, 12, 31))


def test_only_process_leaders_and_administrators_open_periods(ws):
    for user in (EDITOR_A, READER, None):
        with pytest.raises(NotAllowed), ws.session() as s:
            open_period(s, user, P, "X", "year", date(2026, 1, 1), date(2026, 12, 31))
    with ws.session() as s:
        open_period(s, ADMIN, P, "X", "year", date(2026, 1, 1), date(2026, 12, 31))


def test_the_previous_period_is_the_latest_that_ended_before(ws, periods):
    old, new = periods
    with ws.session() as s:
        assert previous_period(s, new).id == old
        assert previous_period(s, old) is None


def test_closing_locks_reports_and_reopening_needs_a_reason(ws, periods):
    _old, new = periods
    with ws.session() as s:
        rep = start_report(s, EDITOR_A, new, "I1")
        close_period(s, LEADER, new)
    with pytest.raises(PeriodClosed, match="är stängd"), ws.session() as s:
        save_report(s, EDITOR_A, rep.id, rep.version, ReportContent(done="mer"))
    with pytest.raises(PeriodClosed), ws.session() as s:
        start_report(s, EDITOR_A, new, "I3")
    with pytest.raises(PeriodClosed), ws.session() as s:
        save_report(s, ADMIN, rep.id, rep.version, ReportContent(done="admin också"))
    for step in (lambda s: submit(s, EDITOR_A, "report", rep.id),
                 lambda s: approve(s, LEADER, "report", rep.id),
                 lambda s: send_back(s, LEADER, "report", rep.id, "nej"),
                 lambda s: add_attachment(s, EDITOR_A, rep.id, "a.txt", b"a")):  # fmt: skip
        with pytest.raises(PeriodClosed), ws.session() as s:
            step(s)
    with pytest.raises(NotAllowed), ws.session() as s:
        reopen_period(s, EDITOR_A, new, "vill ändra")
    with pytest.raises(CycleError, match="Ange varför"), ws.session() as s:
        reopen_period(s, LEADER, new, "  ")
    with ws.session() as s:
        reopen_period(s, LEADER, new, "Nämnd A rättar ett räknefel")
        save_report(s, EDITOR_A, rep.id, rep.version, ReportContent(done="rättat"))
        log = read_log(s, entity="cycle_period", entity_id=str(new))
    assert [e.action for e in log] == ["open", "close", "reopen"]
    assert log[-1].user == "lena"
    assert log[-1].after["reason"] == "Nämnd A rättar ett räknefel"
    assert log[1].after["state"] == "closed" and log[2].after["state"] == "open"


def test_a_failed_step_leaves_nothing_behind(ws, periods):
    """The refused save rolls back with its transaction: no audit entry, no version change."""
    _old, new = periods
    with ws.session() as s:
        rep = start_report(s, EDITOR_A, new, "I1")
        n_before = len(read_log(s))
    with pytest.raises(CycleError), ws.session() as s:
        save_report(s, EDITOR_A, rep.id, rep.version, ReportContent(status="bra"))
    with ws.session() as s:
        assert len(read_log(s)) == n_before
        assert start_report(s, EDITOR_A, new, "I1").version == rep.version


def test_a_process_leader_account_runs_the_cycle(ws):
    """The new role exists for accounts, not only in the permission table."""
    from jamlik.accounts import create_user, get_user

    with ws.session() as s:
        create_user(s, "Lena", "process_leader", by="cli:test")
        lena = get_user(s, "lena")
        assert lena.role == "process_leader"
        p = open_period(s, lena, P, "U", "year", date(2026, 1, 1), date(2026, 12, 31))
        assert p.created_by == "lena"
