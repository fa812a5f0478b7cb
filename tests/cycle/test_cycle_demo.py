"""The demo cycle: several fictitious actors' reports in every state, on the demo programme
(its definitions and programme only: observations are not needed for a cycle)."""

from __future__ import annotations

from datetime import date

import pytest

from jamlik.accounts import User
from jamlik.cycle import list_assessments, list_periods, list_reports, overview
from jamlik.cycle.demo import MARK, seed_demo_cycle
from jamlik.workspace import DB_FILE, Workspace

READER = User(id=9, name="läsare", role="reader")


@pytest.fixture(scope="module")
def demo_programme(tmp_path_factory) -> Workspace:
    from jamlik.data import import_definitions
    from jamlik.demo import DEFAULT_SEED, PROGRAMME_ID, definitions, exempelstad_programme
    from jamlik.programme import import_programme

    root = tmp_path_factory.mktemp("cycle-demo")
    ws = Workspace(root, f"sqlite:///{root / DB_FILE}")
    ws.init()
    import_definitions(ws, definitions())
    import_programme(ws, exempelstad_programme(DEFAULT_SEED))
    with ws.session() as s:
        first = seed_demo_cycle(s, PROGRAMME_ID)
    with ws.session() as s:
        second = seed_demo_cycle(s, PROGRAMME_ID)
    ws.first, ws.second = first, second  # type: ignore[attr-defined]
    return ws


def test_the_demo_cycle_has_a_closed_and_an_open_period(demo_programme):
    ws = demo_programme
    first = ws.first
    assert first.created and first.states == {"submitted": 1, "returned": 1, "draft": 1,
                                              "approved": 1}  # fmt: skip
    with ws.session() as s:
        found = {p.label: p.state for p in list_periods(s)}
    assert found == {"Uppföljning 2025": "closed", "Uppföljning 2026": "open"}


def test_the_open_periods_reports_started_from_last_years(demo_programme):
    ws = demo_programme
    leader = User(id=8, name="pl", role="process_leader")
    with ws.session() as s:
        old = {
            r.initiative_id: r for r in list_reports(s, leader, period_id=ws.first.closed_period_id)
        }
        new = {
            r.initiative_id: r for r in list_reports(s, leader, period_id=ws.first.open_period_id)
        }
    returned = new["ex-lasning"]
    assert returned.state == "returned" and returned.prefilled_from == old["ex-lasning"].id
    assert returned.done == old["ex-lasning"].done
    # the grid was copied and grown by a tenth, cell by cell
    assert [c.reached for c in returned.reach] == [
        round(c.reached * 1.1) for c in old["ex-lasning"].reach
    ]
    assert len(returned.reach) > 0


def test_seeding_twice_changes_nothing(demo_programme):
    second = demo_programme.second
    assert not second.created and second.open_period_id == demo_programme.first.open_period_id


def test_reports_come_from_several_actors_and_are_marked_fictitious(demo_programme):
    ws = demo_programme
    with ws.session() as s:
        old = list_reports(s, READER, period_id=ws.first.closed_period_id)
        new_public = list_reports(s, READER, period_id=ws.first.open_period_id)
        assessed = list_assessments(s, READER, period_id=ws.first.closed_period_id)
        ov = overview(s, ws.first.open_period_id, date(2027, 2, 1))
    assert len(old) == 6 and {r.state for r in old} == {"approved"}
    assert len({r.actor_id for r in old}) == 4
    assert all(r.done.endswith(MARK) for r in old)
    assert [r.initiative_id for r in new_public] == ["ex-jobbspranget"]  # only the approved one
    assert [a.node_id for a in assessed] == ["ex-ta1"]
    assert ov.by_level["initiative"].total == 9  # initiatives without an end date run in 2026
    assert ov.by_level["initiative"].missing == 5


def test_a_changed_programme_reimport_keeps_every_report_and_assessment(demo_programme):
    """The programme's rows are deleted and rewritten on a changed import; the cycle's records
    reference them by id only and stay (issue 18: re-imports must not erase people's work)."""
    from jamlik.demo import DEFAULT_SEED, exempelstad_programme
    from jamlik.programme import import_programme

    ws = demo_programme
    leader = User(id=8, name="pl", role="process_leader")
    with ws.session() as s:
        before = [(r.id, r.state, r.done, r.reach) for r in list_reports(s, leader)]
        assessed = [(a.id, a.judged_status) for a in list_assessments(s, leader)]
    changed = exempelstad_programme(DEFAULT_SEED)
    changed = changed.model_copy(update={"title": changed.title + " (reviderat)"})
    assert import_programme(ws, changed).replaced
    with ws.session() as s:
        assert [(r.id, r.state, r.done, r.reach) for r in list_reports(s, leader)] == before
        assert [(a.id, a.judged_status) for a in list_assessments(s, leader)] == assessed
    assert len(before) == 10
