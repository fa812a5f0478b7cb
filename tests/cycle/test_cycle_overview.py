"""The reporting overview and the reminder list, counted by hand on the test programme.

Period 2026 (deadlines: initiatives 2027-01-28, strategies 2027-02-11, target areas
2027-02-25, goal 2027-03-11) expects reports from I1, I3, I4 (I2 ended in 2025) and
assessments of G, T1, S1, S2 (T2 has nothing to weigh: no initiative, indicator or node
below): 7 items. I1 is approved, I3 submitted, I4 returned.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from cycle_helpers import EDITOR_A, EDITOR_B, LEADER, A, B

from jamlik.cycle import (
    Progress,
    ReportContent,
    approve,
    overview,
    reminders,
    reminders_csv,
    save_report,
    send_back,
    start_report,
    submit,
)


@pytest.fixture
def midway(ws, periods):
    _old, new = periods
    with ws.session() as s:
        for user, ini in ((EDITOR_A, "I1"), (EDITOR_B, "I3"), (EDITOR_B, "I4")):
            rep = start_report(s, user, new, ini)
            save_report(s, user, rep.id, rep.version, ReportContent(status="on_track"))
            submit(s, user, "report", rep.id)
            if ini == "I1":
                approve(s, LEADER, "report", rep.id)
            if ini == "I4":
                send_back(s, LEADER, "report", rep.id, "Komplettera med nåendet.")
    return new


def test_counts_per_level_and_actor(ws, midway):
    with ws.session() as s:
        ov = overview(s, midway, date(2027, 2, 1))
    assert ov.total == Progress(total=7, missing=4, returned=1, submitted=1, approved=1, overdue=1)
    assert ov.total.done == 2
    assert ov.by_level == {
        "initiative": Progress(total=3, returned=1, submitted=1, approved=1, overdue=1),
        "strategy": Progress(total=2, missing=2),
        "target_area": Progress(total=1, missing=1),
        "goal": Progress(total=1, missing=1),
    }
    assert ov.by_actor == {
        "": Progress(total=4, missing=4),
        A: Progress(total=1, approved=1),
        B: Progress(total=2, returned=1, submitted=1, overdue=1),
    }
    overdue = [i.subject_id for i in ov.items if i.overdue]
    assert overdue == ["I4"]


def test_overdue_follows_each_levels_deadline(ws, midway):
    with ws.session() as s:
        on_deadline = overview(s, midway, date(2027, 1, 28))
        after_strategies = overview(s, midway, date(2027, 2, 12))
    assert on_deadline.total.overdue == 0  # the deadline day itself is in time
    assert sorted(i.subject_id for i in after_strategies.items if i.overdue) == ["I4", "S1", "S2"]


def test_the_reminder_list_and_its_csv(ws, midway):
    with ws.session() as s:
        items = reminders(s, midway, date(2027, 2, 1))
        late = reminders(s, midway, date(2027, 2, 1), overdue_only=True)
    assert [(r.subject_id, r.deadline.isoformat(), r.state) for r in items] == [
        ("I4", "2027-01-28", "returned"),
        ("S1", "2027-02-11", "missing"), ("S2", "2027-02-11", "missing"),
        ("T1", "2027-02-25", "missing"),
        ("G", "2027-03-11", "missing"),
    ]  # fmt: skip
    assert [r.subject_id for r in late] == ["I4"]
    rows = list(csv.reader(io.StringIO(reminders_csv(items))))
    assert rows[0][:3] == ["aktör", "aktör_id", "e-post"]
    assert rows[1] == ["Nämnd B", "akt-b", "", "insatser", "rapport", "I4", "Insats I4",
                       "2027-01-28", "återsänd", "ja"]  # fmt: skip
    assert rows[2][0] == "processledaren" and rows[2][4] == "bedömning"
    assert len(rows) == 6


def test_a_title_that_looks_like_a_formula_is_made_harmless_in_the_csv(ws, midway):
    from jamlik.programme.tables import InitiativeRow

    with ws.session() as s:
        s.get(InitiativeRow, "I4").title = '=HYPERLINK("http://x")'
        items = reminders(s, midway, date(2027, 2, 1))
    rows = list(csv.reader(io.StringIO(reminders_csv(items))))
    assert rows[1][6] == '\'=HYPERLINK("http://x")'


def test_a_node_with_nothing_to_weigh_is_not_asked_for_but_shown_once_written(ws, midway):
    from jamlik.cycle import start_assessment

    with ws.session() as s:
        before = [i.subject_id for i in overview(s, midway, date(2027, 2, 1)).items]
        start_assessment(s, LEADER, midway, "T2")
        after = overview(s, midway, date(2027, 2, 1))
    assert before == ["I1", "I3", "I4", "G", "T1", "S1", "S2"]
    assert [(i.subject_id, i.state) for i in after.items][-1] == ("T2", "draft")
    assert after.total.total == 8
