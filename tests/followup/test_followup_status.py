"""Node statuses and their reasons, indicator statuses, and the "worse and widening" flag on a
small constructed programme: one indicator built to improve, one built to get worse."""

from __future__ import annotations

import math
from datetime import date

import pytest
from followup_helpers import CITY, indicator, programme, sex_gap_rows, workspace

from jamlik.followup import STATUS_CODES, FollowUp, build_followup

NODES = [
    {"id": "g", "kind": "goal", "title": "Målet", "title_en": "The goal"},
    {
        "id": "ta-good",
        "kind": "target_area",
        "title": "Det goda",
        "parent": "g",
        "indicators": ["good"],
    },
    {"id": "s-good", "kind": "strategy", "title": "Strategi god", "parent": "ta-good"},
    {
        "id": "ta-bad",
        "kind": "target_area",
        "title": "Det dåliga",
        "parent": "g",
        "indicators": ["bad"],
    },
    {"id": "s-bad", "kind": "strategy", "title": "Strategi dålig", "parent": "ta-bad"},
    {"id": "a-empty", "kind": "aim", "title": "Inriktning", "parent": "s-bad"},
]
INITIATIVES = [
    {
        "id": "i1",
        "title": "Insats ett",
        "status": "ongoing",
        "nodes": ["s-good"],
        "period": {"start": "2019-01-01"},
    },
    {
        "id": "i2",
        "title": "Insats två",
        "status": "completed",
        "nodes": ["s-good"],
        "period": {"start": "2019-01-01", "end": "2020-12-31"},
    },
]


@pytest.fixture(scope="module")
def followup(tmp_path_factory: pytest.TempPathFactory) -> FollowUp:
    rows = sex_gap_rows("good", lambda y: 50.0 + (y - 2012), lambda y: 10 - 8 * (y - 2012) / 13)
    rows += sex_gap_rows("bad", lambda y: 70.0 - (y - 2012), lambda y: 2 + 8 * (y - 2012) / 13)
    path = tmp_path_factory.mktemp("status")
    ws = workspace(path, [indicator("good"), indicator("bad")], rows, programme(NODES, INITIATIVES))
    return build_followup(ws, "test-prog", 2025, today=date(2025, 6, 1))


def test_indicator_statuses_follow_level_and_gap(followup: FollowUp) -> None:
    good, bad = followup.indicator("good"), followup.indicator("bad")
    assert (good.level.verdict, good.status) == ("improved", "improving")
    assert (bad.level.verdict, bad.status) == ("worsened", "worsening")
    # Baseline is the programme's start year: 2018 (level 56) to 2025 (level 63), each total
    # with se 0.15, so the change is 7 with se √(2 · 0.15²).
    assert good.level.baseline.period == "2018"
    assert good.level.change == pytest.approx(7.0)
    assert good.level.change_se == pytest.approx(math.sqrt(2 * 0.15**2))
    assert "gapet minskar efter kön" in good.reason_sv
    assert "the gap is narrowing by sex" in good.reason_en
    assert "gapet ökar efter kön" in bad.reason_sv
    assert "försämrats sedan 2018" in bad.reason_sv
    assert good.target_status == "no_target" and "inget mål" in good.reason_sv
    assert good.target_reason_sv == "Inget mål är satt."


def test_every_node_has_a_status_and_a_reason(followup: FollowUp) -> None:
    assert [n.node for n in followup.nodes] == [n["id"] for n in NODES]
    for n in followup.nodes:
        assert n.status in STATUS_CODES
        assert n.reason_sv.strip() and n.reason_en.strip()
    status = {n.node: n.status for n in followup.nodes}
    assert status == {
        "g": "mixed",
        "ta-good": "improving",
        "s-good": "no_data",
        "ta-bad": "worsening",
        "s-bad": "no_data",
        "a-empty": "no_data",
    }


def test_node_reasons_say_why(followup: FollowUp) -> None:
    goal = followup.node("g")
    assert goal.indicators_below == ["good", "bad"]
    assert goal.counts["improving"] == 1 and goal.counts["worsening"] == 1
    assert "2 indikatorer: 1 förbättras, 1 försämras" in goal.reason_sv
    assert "försämras: Indikator bad" in goal.reason_sv
    assert "2 indicators: 1 improving, 1 worsening" in goal.reason_en
    assert "2 insatser här eller under, varav 1 pågående" in goal.reason_sv
    s_good = followup.node("s-good")
    assert s_good.initiatives == ["i1", "i2"]
    assert "inga indikatorer" in s_good.reason_sv.lower()
    assert "no initiative" in followup.node("s-bad").reason_en
    assert followup.node("a-empty").depth == 3


def test_worse_and_widening_is_flagged_only_where_both_hold(followup: FollowUp) -> None:
    flags = [(f.code, f.indicator, f.area) for f in followup.flags]
    assert ("worse_and_widening", "bad", CITY) in flags
    assert not any(f[1] == "good" and f[0] == "worse_and_widening" for f in flags)
    flag = next(f for f in followup.flags if f.code == "worse_and_widening")
    assert flag.items == ["sex"] and "kön" in flag.text_sv


def test_results_round_trip_through_json(followup: FollowUp) -> None:
    import json

    text = json.dumps(followup.to_dict())
    assert "NaN" not in text
    assert FollowUp.model_validate(json.loads(text)) == followup
