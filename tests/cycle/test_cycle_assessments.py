"""Node assessments: the proposal worked out by hand on the test programme (cycle_helpers),
stored beside the judged status; overriding it needs a reason; who may write which node.

In 2026, I1 (under S1) is approved on track, I3 (under P1, below S2) submitted delayed, I4
(on T1 itself) only a draft; I2 ended in 2025 and is not expected. Indicators: ind-x (S2)
improving, ind-y (T1) worsening. By the rule:
  S1: on_track → 1 of 1 positive → good
  S2: delayed −, improving + → n 2, 1 negative ≥ half → not
  T1: S1 good +, S2 not −, ind-y worsening −; I4 missing → n 3, 2 negative → not
  T2: nothing → not_assessable
  G:  T1 not −, T2 uncounted → n 1, 1 negative → not
"""

from __future__ import annotations

import pytest
from cycle_helpers import EDITOR_A, EDITOR_B, LEADER, LEADER2, READER, A, P

from jamlik.accounts.permissions import NotAllowed
from jamlik.cycle import (
    AssessmentContent,
    CycleError,
    ReportContent,
    approve,
    get_assessment,
    list_assessments,
    propose,
    save_assessment,
    save_report,
    set_responsible,
    start_assessment,
    start_report,
    submit,
)

INDICATORS = {"ind-x": "improving", "ind-y": "worsening"}


@pytest.fixture
def reported(ws, periods):
    _old, new = periods
    with ws.session() as s:
        for user, ini, status, comment, step in (
            (EDITOR_A, "I1", "on_track", None, "approve"),
            (EDITOR_B, "I3", "delayed", "Lokalen blev klar i oktober.", "submit"),
            (EDITOR_B, "I4", "at_risk", "Oklart.", "draft"),
        ):
            rep = start_report(s, user, new, ini)
            save_report(s, user, rep.id, rep.version,
                        ReportContent(status=status, status_comment=comment))  # fmt: skip
            if step != "draft":
                submit(s, user, "report", rep.id)
            if step == "approve":
                approve(s, LEADER, "report", rep.id)
    return new


def test_the_proposals_follow_the_rule(ws, reported):
    with ws.session() as s:
        got = {n: propose(s, reported, n, INDICATORS) for n in ("S1", "S2", "T1", "T2", "G")}
    assert {n: r.status for n, r in got.items()} == {
        "S1": "good", "S2": "not", "T1": "not", "T2": "not_assessable", "G": "not",
    }  # fmt: skip
    assert (got["T1"].positive, got["T1"].partial, got["T1"].negative, got["T1"].missing) == (
        1, 0, 2, 1)  # fmt: skip
    assert got["T1"].counts["children"] == {"good": 1, "not": 1}
    assert "1 insats har inte rapporterat" in got["T1"].reason_sv


def test_a_submitted_child_counts_by_its_judged_status(ws, reported):
    with ws.session() as s:
        ass = start_assessment(s, LEADER, reported, "S2", INDICATORS)
        assert ass.computed_status == "not"
        ass = save_assessment(s, LEADER, ass.id, ass.version, AssessmentContent(
            analysis="Lokalen försenade starten, men frånvaron minskar.",
            judged_status="partly", judged_reason="Indikatorn förbättras trots förseningen."),
            INDICATORS)  # fmt: skip
        submit(s, LEADER, "assessment", ass.id)
        # T1 now weighs S1 good +, S2 partly ~, ind-y worsening −: n 3, 1 − < half → partly
        assert propose(s, reported, "T1", INDICATORS).status == "partly"


def test_without_indicator_statuses_the_reason_says_they_were_left_out(ws, reported):
    with ws.session() as s:
        result = propose(s, reported, "S2")
    assert result.status == "not"  # delayed alone: n 1, 1 negative
    assert result.reason_sv.endswith(
        "1 av nodens indikatorer saknar status och ingick inte i förslaget."
    )
    assert result.reason_en.endswith("1 of the node's indicators has no status and was left out.")


def test_computed_and_judged_are_stored_side_by_side_and_overriding_needs_a_reason(ws, reported):
    with ws.session() as s:
        set_responsible(s, LEADER, P, "T1", A)
        ass = start_assessment(s, EDITOR_A, reported, "T1", INDICATORS)
        ass = save_assessment(s, EDITOR_A, ass.id, ass.version,
                              AssessmentContent(judged_status="partly"), INDICATORS)  # fmt: skip
    assert (ass.computed_status, ass.judged_status) == ("not", "partly")
    assert ass.overrides_proposal and ass.computed_reason_sv.endswith("inte i önskad riktning.")
    assert ass.computed_counts["negative"] == 2
    with pytest.raises(CycleError, match="avviker från förslaget"), ws.session() as s:
        submit(s, EDITOR_A, "assessment", ass.id)
    with ws.session() as s:
        ass = save_assessment(s, EDITOR_A, ass.id, ass.version, AssessmentContent(
            judged_status="partly", judged_reason="S2:s förseningen är redan åtgärdad."),
            INDICATORS)  # fmt: skip
        submit(s, EDITOR_A, "assessment", ass.id)
        approve(s, LEADER2, "assessment", ass.id)
        seen = get_assessment(s, READER, ass.id)
    assert (seen.state, seen.computed_status, seen.judged_status) == ("approved", "not", "partly")


def test_confirming_the_proposal_needs_no_reason(ws, reported):
    with ws.session() as s:
        ass = start_assessment(s, LEADER, reported, "S1", INDICATORS)
        save_assessment(s, LEADER, ass.id, ass.version, AssessmentContent(judged_status="good"),
                        INDICATORS)  # fmt: skip
        submit(s, LEADER, "assessment", ass.id)


def test_who_may_write_a_node_assessment(ws, reported):
    with ws.session() as s:
        set_responsible(s, LEADER, P, "T1", A)
    with pytest.raises(NotAllowed), ws.session() as s:  # another actor's editor
        start_assessment(s, EDITOR_B, reported, "T1")
    with pytest.raises(NotAllowed), ws.session() as s:  # no responsible actor: leader only
        start_assessment(s, EDITOR_A, reported, "T2")
    with pytest.raises(NotAllowed), ws.session() as s:  # editors do not assign responsibility
        set_responsible(s, EDITOR_A, P, "T2", A)
    with ws.session() as s:
        mine = start_assessment(s, EDITOR_A, reported, "T1")
        start_assessment(s, LEADER, reported, "T2")
    with pytest.raises(NotAllowed), ws.session() as s:
        save_assessment(s, EDITOR_B, mine.id, mine.version, AssessmentContent(judgement="x"))
    with pytest.raises(NotAllowed), ws.session() as s:
        approve(s, EDITOR_A, "assessment", mine.id)
    with ws.session() as s:  # drafts stay hidden from readers
        assert list_assessments(s, READER, period_id=reported) == []
        assert len(list_assessments(s, LEADER, period_id=reported)) == 2


def test_unassessed_kinds_are_refused_with_the_kinds_that_are(ws, reported):
    with pytest.raises(CycleError, match="priority_area"), ws.session() as s:
        start_assessment(s, LEADER, reported, "P1")


def test_texts_carry_forward_to_the_next_period(ws, periods):
    old, new = periods
    with ws.session() as s:
        ass = start_assessment(s, LEADER, old, "T2")
        save_assessment(s, LEADER, ass.id, ass.version, AssessmentContent(
            analysis="Analys 2025", judgement="Bedömning 2025", measures="Åtgärder 2025",
            judged_status="not_assessable"))  # fmt: skip
        nxt = start_assessment(s, LEADER, new, "T2")
    assert (nxt.analysis, nxt.judgement, nxt.measures) == (
        "Analys 2025", "Bedömning 2025", "Åtgärder 2025")  # fmt: skip
    assert nxt.judged_status is None
