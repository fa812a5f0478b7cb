"""The follow-up cycle in the report: approved assessments and initiative reports of the period
that ends in the report's year, per target area and in the council summary; drafts and
submitted records never; overdue corrective actions among what needs decisions.

A copy of the demo workspace gets the demo cycle (`seed_demo_cycle`: "Uppföljning 2025" closed
with six approved initiative reports and an approved assessment of target area ex-ta1), then
the 2025 period is reopened to add a draft and a submitted assessment with texts that must not
be printed, and a corrective action due 2025-09-30 that nobody followed up."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from report_helpers import Page, collapse

from jamlik.cycle import (
    add_action,
    find_period,
    reopen_period,
    save_assessment,
    start_assessment,
    submit,
)
from jamlik.cycle.demo import LAST_YEAR, LEADER, MARK, TARGET_AREA, seed_demo_cycle
from jamlik.cycle.model import AssessmentContent
from jamlik.demo import PROGRAMME_ID
from jamlik.report.content import build_document
from jamlik.report.cycle_input import read_cycle
from jamlik.report.html import render_html
from jamlik.workspace import Workspace

DRAFT = "Hemligt utkast 4711 som ingen får läsa"
SUBMITTED = "Inskickad men inte godkänd 4712"
ACTION = "Kartlägga fritidsutbudet i Stenåsen (teståtgärd)"


@pytest.fixture(scope="module")
def cycle_ws(demo, tmp_path_factory) -> Workspace:
    path = tmp_path_factory.mktemp("cycle") / "ws"
    shutil.copytree(demo.ws.path, path)
    ws = Workspace(path, f"sqlite:///{path / 'jamlik.sqlite'}")
    with ws.session() as s:
        seed_demo_cycle(s, PROGRAMME_ID)
        s.commit()
    with ws.session() as s:
        period = find_period(s, PROGRAMME_ID, "Uppföljning 2025")
        reopen_period(s, LEADER, period.id, "Test: ett utkast och en inskickad bedömning")
        for node, text, send in (("ex-ta2", DRAFT, False), ("ex-ta3", SUBMITTED, True)):
            a = start_assessment(s, LEADER, period.id, node)
            a = save_assessment(
                s, LEADER, a.id, a.version,
                AssessmentContent(analysis=text, judgement=text, judged_status="not",
                                  judged_reason=text),
            )  # fmt: skip
            if send:
                submit(s, LEADER, "assessment", a.id)
        add_action(s, LEADER, period.id, ACTION, "ex-kulturnamnden", date(2025, 9, 30),
                   node_id="ex-ta1")  # fmt: skip
        s.commit()
    return ws


@pytest.fixture(scope="module", params=["sv", "en"])
def page(request, demo, cycle_ws) -> tuple[str, Page]:
    lang = request.param
    records = read_cycle(cycle_ws, demo.programme, 2025, lang, today=date(2026, 3, 1))
    assert records is not None and records.period == "Uppföljning 2025"
    doc = build_document(demo.followup, demo.programme, lang, draw=False, cycle=records)
    return lang, Page(render_html(doc))


def _section(page: Page, section_id: str) -> str:
    [section] = [s for s in page.find("section") if s["attrs"].get("aria-labelledby") == section_id]
    return collapse(Page.text(section))


def test_approved_reports_are_printed_in_their_target_areas(page):
    lang, html = page
    text = collapse(Page.text(html.find("main")[0]))
    for initiative, _status, comment, done, nxt, _used in LAST_YEAR:
        assert collapse(done + MARK) in text, initiative
        assert collapse(nxt + MARK) in text, initiative
        if comment:
            assert collapse(comment + MARK) in text
    # The target area's chapter holds its approved assessment, judged beside computed.
    chapter = _section(html, TARGET_AREA)
    assert "Fler barn nås tidigt genom familjecentralerna" in chapter
    judged = "delvis i önskad riktning" if lang == "sv" else "partly in the desired direction"
    assert judged in chapter
    assert ("Beräknat förslag enligt regeln" if lang == "sv" else "Computed proposal") in chapter


def test_drafts_and_submitted_records_are_never_printed(page):
    _, html = page
    text = collapse(" ".join(Page.text(e) for e in html.find("main")))
    assert DRAFT not in text and SUBMITTED not in text
    assert "Hemligt utkast" not in text and "4712" not in text


def test_council_summary_says_what_was_judged_and_what_is_overdue(page):
    lang, html = page
    council = _section(html, "council-summary")
    judged = "Delvis i önskad riktning (bedömd)" if lang == "sv" else (
        "Partly in the desired direction (judged)")  # fmt: skip
    assert judged in council
    counts = "6 godkända insatsrapporter" if lang == "sv" else "6 approved initiative reports"
    assert counts in council
    assert ACTION in council and "2025-09-30" in council
    # The demo's own action is due 2026-06-30: not overdue for the 2025 report.
    assert "Ta det nya registret" not in council
