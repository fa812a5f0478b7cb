"""Coverage findings on a constructed programme whose holes the test knows."""

from __future__ import annotations

from datetime import date

from followup_helpers import indicator, programme, sex_gap_rows, workspace

from jamlik.data import Target
from jamlik.followup import build_followup

NODES = [
    {"id": "g", "kind": "goal", "title": "Målet"},
    {
        "id": "ta",
        "kind": "target_area",
        "title": "Målområde",
        "parent": "g",
        "indicators": ["with-target", "without-target"],
    },
    {"id": "s1", "kind": "strategy", "title": "Betjänad strategi", "parent": "ta"},
    {"id": "a1", "kind": "aim", "title": "Inriktning utan insats", "parent": "s1"},
    {"id": "s2", "kind": "strategy", "title": "Strategi utan insats", "parent": "ta"},
    {"id": "s3", "kind": "strategy", "title": "Strategi via inriktning", "parent": "ta"},
    {"id": "a3", "kind": "aim", "title": "Betjänad inriktning", "parent": "s3"},
]
INITIATIVES = [
    {"id": "i-s1", "title": "Tjänar s1", "status": "ongoing", "nodes": ["s1"]},
    {"id": "i-a3", "title": "Tjänar a3", "status": "planned", "nodes": ["a3"]},
    {"id": "i-unlinked", "title": "Kopplad till inget", "status": "ongoing"},
    {
        "id": "i-overdue",
        "title": "Försenad",
        "status": "ongoing",
        "nodes": ["s1"],
        "period": {"start": "2020-01-01", "end": "2024-06-30"},
    },
    {
        "id": "i-done",
        "title": "Avslutad",
        "status": "completed",
        "nodes": ["s1"],
        "period": {"start": "2020-01-01", "end": "2024-06-30"},
    },
    {
        "id": "i-ends-later",
        "title": "Pågår",
        "status": "ongoing",
        "nodes": ["s1"],
        "period": {"start": "2020-01-01", "end": "2025-12-31"},
    },
]


def test_coverage_finds_exactly_the_holes(tmp_path) -> None:
    inds = [
        indicator("with-target", targets=[Target(year=2026, value=70.0)]),
        indicator("without-target"),
    ]
    rows = sex_gap_rows("with-target", lambda y: 60.0, lambda y: 5.0)
    ws = workspace(tmp_path / "ws", inds, rows, programme(NODES, INITIATIVES))
    fu = build_followup(ws, "test-prog", 2025, today=date(2025, 6, 1))
    found = {(f.code, f.item) for f in fu.coverage.findings}
    assert found == {
        ("node_without_initiative", "a1"),
        ("node_without_initiative", "s2"),
        ("initiative_unlinked", "i-unlinked"),
        ("initiative_overdue", "i-overdue"),
        ("indicator_without_target", "without-target"),
    }
    assert fu.coverage.counts == {
        "node_without_initiative": 2,
        "initiative_unlinked": 1,
        "initiative_overdue": 1,
        "indicator_without_target": 1,
    }
    overdue = next(f for f in fu.coverage.findings if f.code == "initiative_overdue")
    assert "2024-06-30" in overdue.text_sv and "pågående" in overdue.text_sv
    assert overdue.item_kind == "initiative" and overdue.title_sv == "Försenad"
    # Flags: the indicator without observations has no value in the follow-up year.
    no_data = [f for f in fu.flags if f.code == "no_latest_data"]
    assert [f.indicator for f in no_data] == ["without-target"]
    assert fu.indicator("without-target").status == "no_data"
