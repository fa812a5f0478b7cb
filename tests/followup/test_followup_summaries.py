"""The follow-up's own summaries for the report: initiatives (status, owner, latest reach with
small counts withheld), the method notes, and whether the data are invented."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from followup_helpers import CITY, indicator, programme, sex_gap_rows, workspace

from jamlik.data import import_observations
from jamlik.followup import build_followup, methods

YEAR = 2025


def _reach(*rows: tuple[str, str, int]) -> list[dict]:
    return [{"period": p, "area": a, "reached": n} for p, a, n in rows]


INITIATIVES = [
    # latest period 2024 has no row for the city: its districts add up to 8, which is withheld
    {"id": "i-small", "title": "Liten", "title_en": "Small", "status": "ongoing",
     "owner": "t-city", "reach": _reach(("2023", CITY, 120), ("2024", "d1", 5), ("2024", "d2", 3))},
    # the city's own row wins over the districts'; none reached is shown as 0
    {"id": "i-none", "title": "Ingen", "status": "planned",
     "reach": _reach(("2024", CITY, 0), ("2024", "d1", 40))},
    # a period after the follow-up year does not count
    {"id": "i-late", "title": "Sen", "status": "completed",
     "reach": _reach(("2025", CITY, 300), ("2026", CITY, 4))},
    # districts only: their sum
    {"id": "i-sum", "title": "Summa", "reach": _reach(("2024", "d1", 30), ("2024", "d2", 25))},
    {"id": "i-quiet", "title": "Tyst"},
]  # fmt: skip


@pytest.fixture(scope="module")
def followup(tmp_path_factory: pytest.TempPathFactory):
    prog = programme(
        [{"id": "g", "kind": "goal", "title": "Mål", "indicators": ["lvl"]}], INITIATIVES
    )
    rows = sex_gap_rows("lvl", lambda y: 60.0, lambda y: 4.0)
    ws = workspace(tmp_path_factory.mktemp("summaries"), [indicator("lvl")], rows, prog)
    return build_followup(ws, "test-prog", YEAR, today=date(2025, 6, 1), min_population=10)


def test_every_initiative_has_a_summary_in_programme_order(followup) -> None:
    assert [i.initiative for i in followup.initiatives] == [i["id"] for i in INITIATIVES]
    small = followup.initiative("i-small")
    assert (small.title_sv, small.title_en, small.status) == ("Liten", "Small", "ongoing")
    assert (small.owner, small.owner_name_sv, small.owner_name_en) == ("t-city", "Staden", "Staden")
    assert followup.initiative("i-none").title_en == "Ingen"  # no English title: the Swedish
    with pytest.raises(KeyError, match="i-nope"):
        followup.initiative("i-nope")


def test_latest_reach_withholds_one_to_nine_and_shows_none_reached(followup) -> None:
    expected = {
        # (period, reached, withheld), worked out by hand from INITIATIVES
        "i-small": ("2024", None, True),  # 5 + 3 = 8 people: could be recognised
        "i-none": ("2024", 0, False),  # the city row (0) over the district row (40)
        "i-late": ("2025", 300, False),  # 2026 begins after the follow-up year
        "i-sum": ("2024", 55, False),  # 30 + 25
        "i-quiet": (None, None, False),
    }
    for ini_id, (period, reached, hidden) in expected.items():
        s = followup.initiative(ini_id)
        assert (s.reach_period, s.reached, s.reach_suppressed) == (period, reached, hidden), ini_id


def test_a_higher_threshold_withholds_more(tmp_path) -> None:
    prog = programme([{"id": "g", "kind": "goal", "title": "Mål", "indicators": ["lvl"]}],
                     INITIATIVES)  # fmt: skip
    rows = sex_gap_rows("lvl", lambda y: 60.0, lambda y: 4.0)
    ws = workspace(tmp_path, [indicator("lvl")], rows, prog)
    fu = build_followup(ws, "test-prog", YEAR, today=date(2025, 6, 1), min_population=60)
    assert fu.initiative("i-sum").reached is None and fu.initiative("i-sum").reach_suppressed
    assert fu.initiative("i-none").reached == 0  # nobody reached still reveals nobody
    assert fu.initiative("i-late").reached == 300


def test_method_notes_come_with_the_follow_up(followup) -> None:
    ids = [m.id for m in followup.methods]
    assert ids == [m.id for m in methods()]
    assert {"suppression", "gaps", "trends", "reach"} <= set(ids)
    suppression = next(m for m in followup.methods if m.id == "suppression")
    assert "färre än 10 personer" in suppression.text_sv
    assert "fewer than 10 people" in suppression.text_en


def test_method_notes_state_the_threshold_used(tmp_path) -> None:
    prog = programme([{"id": "g", "kind": "goal", "title": "Mål", "indicators": ["lvl"]}])
    ws = workspace(tmp_path, [indicator("lvl")], sex_gap_rows("lvl", lambda y: 60.0,
                                                              lambda y: 4.0), prog)  # fmt: skip
    fu = build_followup(ws, "test-prog", YEAR, min_population=30, conf_level=0.9)
    notes = {m.id: m for m in fu.methods}
    assert "färre än 30 personer" in notes["suppression"].text_sv
    assert "90 %-konfidensintervallet" in notes["trends"].text_sv


def test_real_data_are_not_fictitious(followup) -> None:
    assert followup.fictitious is False


def test_the_demo_is_fictitious(demo_followup) -> None:
    fu = demo_followup
    assert fu.fictitious is True


@pytest.mark.parametrize("where", ["programme", "data", "nowhere", "text only"])
def test_one_invented_source_makes_the_follow_up_fictitious(tmp_path, where) -> None:
    """The stored flags decide (the programme's, or any import's), not marker text."""
    prog = programme([{"id": "g", "kind": "goal", "title": "Mål", "indicators": ["lvl"]}])
    if where == "programme":
        prog = prog.model_copy(update={"fictitious": True})
    if where == "text only":  # quoting the words no longer marks a real programme
        prog = prog.model_copy(update={"source": "Fiktiva exempeldata för ett test"})
    ws = workspace(tmp_path, [indicator("lvl")], [], prog)
    rows = sex_gap_rows("lvl", lambda y: 60.0, lambda y: 4.0)
    half = len(rows) // 2
    for i, row in enumerate(rows):  # each row names its source, as imported files do
        row["source"] = "a.csv" if i < half else "b.csv"
    import_observations(ws, pd.DataFrame(rows[:half]), source="a.csv", attribution="Riktig källa")
    import_observations(
        ws, pd.DataFrame(rows[half:]), source="b.csv", attribution="Riktig källa 2",
        fictitious=where == "data",
    )  # fmt: skip
    fu = build_followup(ws, "test-prog", YEAR)
    assert {s.source for s in fu.sources} == {"a.csv", "b.csv"}
    assert fu.fictitious is (where in ("programme", "data"))


def test_initiatives_past_their_end_date_are_flagged_as_of_today(tmp_path) -> None:
    ended = {"start": "2020-01-01", "end": "2024-12-31"}
    inits = [
        {"id": "i-late", "title": "Sen", "status": "ongoing", "period": ended},
        {"id": "i-unset", "title": "Utan status", "period": ended},
        {"id": "i-done", "title": "Klar", "status": "completed", "period": ended},
        {"id": "i-stopped", "title": "Stoppad", "status": "cancelled", "period": ended},
        {"id": "i-open", "title": "Öppen", "status": "ongoing", "period": {"start": "2020-01-01"}},
    ]
    prog = programme([{"id": "g", "kind": "goal", "title": "Mål", "indicators": ["lvl"]}], inits)
    rows = sex_gap_rows("lvl", lambda y: 60.0, lambda y: 4.0)
    ws = workspace(tmp_path, [indicator("lvl")], rows, prog)
    after = build_followup(ws, "test-prog", YEAR, today=date(2025, 1, 1))
    assert {i.initiative for i in after.initiatives if i.past_end} == {"i-late", "i-unset"}
    # The coverage finding follows the same rule, naming what the initiative is marked as.
    found = {f.item: f for f in after.coverage.findings if f.code == "initiative_overdue"}
    assert set(found) == {"i-late", "i-unset"}
    assert "fortfarande markerad som pågående" in found["i-late"].text_sv
    assert "inte markerad som avslutad" in found["i-unset"].text_sv
    on_the_day = build_followup(ws, "test-prog", YEAR, today=date(2024, 12, 31))
    assert not any(i.past_end for i in on_the_day.initiatives)  # the end date is inclusive
