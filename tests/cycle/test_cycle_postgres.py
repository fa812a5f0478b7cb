"""The cycle on PostgreSQL: the migration, a report through the workflow, the stale-save
conflict, an attachment's bytes and the stored proposal, on a real server (tests/conftest.py)."""

from __future__ import annotations

from datetime import date

import pytest
from cycle_helpers import EDITOR_A, LEADER, LEADER2, READER, P, add_programme

from jamlik.cycle import (
    AssessmentContent,
    CycleConflict,
    ReachCell,
    ReportContent,
    add_attachment,
    approve,
    open_period,
    read_attachment,
    save_assessment,
    save_report,
    start_assessment,
    start_report,
    submit,
)
from jamlik.workspace import Workspace

BYTES = b"\x00\xff" + "åäö".encode()  # a NUL, a byte that is no UTF-8, and UTF-8 text


@pytest.fixture
def pg(tmp_path, postgres_db_url) -> Workspace:
    ws = Workspace(tmp_path / "ws", postgres_db_url)
    ws.init()
    add_programme(ws)
    yield ws
    ws.engine().dispose()


def test_a_report_and_an_assessment_on_postgresql(pg):
    with pg.session() as s:
        period = open_period(s, LEADER, P, "Uppföljning 2026", "year", date(2026, 1, 1),
                             date(2026, 12, 31))  # fmt: skip
        rep = start_report(s, EDITOR_A, period.id, "I1")
    with pg.session() as s:
        save_report(s, LEADER, rep.id, rep.version, ReportContent(status="on_track"))
    with pytest.raises(CycleConflict), pg.session() as s:
        save_report(s, EDITOR_A, rep.id, rep.version, ReportContent(status="delayed"))
    with pg.session() as s:
        rep = save_report(s, EDITOR_A, rep.id, rep.version + 1, ReportContent(
            status="on_track", reach=(ReachCell("d1", "sex", "f", 7),)))  # fmt: skip
        att = add_attachment(s, EDITOR_A, rep.id, "protokoll.txt", BYTES)
        submit(s, EDITOR_A, "report", rep.id)
        approve(s, LEADER, "report", rep.id)
        _info, data = read_attachment(s, READER, att.id)
        ass = start_assessment(s, LEADER, period.id, "S1")
        ass = save_assessment(s, LEADER, ass.id, ass.version,
                              AssessmentContent(judged_status="good"))  # fmt: skip
        submit(s, LEADER, "assessment", ass.id)
        approve(s, LEADER2, "assessment", ass.id)
    assert data == BYTES
    # S1: I1 approved on track → 1 of 1 positive → good, stored as JSON counts
    assert ass.computed_status == "good" and ass.computed_counts["positive"] == 1
    assert rep.reach == (ReachCell("d1", "sex", "f", 7),)
