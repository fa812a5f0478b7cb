"""Corrective actions: decided in one period, followed up in a later one, locked with their
periods."""

from __future__ import annotations

from datetime import date

import pytest
from cycle_helpers import EDITOR_A, EDITOR_B, LEADER, A, P

from jamlik.accounts.permissions import NotAllowed
from jamlik.cycle import (
    CycleConflict,
    CycleError,
    PeriodClosed,
    actions_to_follow_up,
    add_action,
    close_period,
    follow_up_action,
    list_actions,
)


def test_an_action_is_followed_up_in_the_next_period(ws, periods):
    old, new = periods
    with ws.session() as s:
        act = add_action(s, EDITOR_A, old, "Anställ en samordnare.", A, date(2026, 3, 31),
                         initiative_id="I1")  # fmt: skip
    assert (act.period_id, act.owner_id, act.followup_done) == (old, A, None)
    with pytest.raises(CycleError, match="senare period"), ws.session() as s:
        follow_up_action(s, EDITOR_A, act.id, old, True, None, act.version)
    with ws.session() as s:
        close_period(s, LEADER, old)
        assert [a.id for a in actions_to_follow_up(s, new)] == [act.id]
        assert actions_to_follow_up(s, old) == []
    with pytest.raises(CycleError, match="inte är genomförd"), ws.session() as s:
        follow_up_action(s, EDITOR_A, act.id, new, False, "  ", act.version)
    with pytest.raises(NotAllowed), ws.session() as s:
        follow_up_action(s, EDITOR_B, act.id, new, True, None, act.version)
    with ws.session() as s:
        done = follow_up_action(s, EDITOR_A, act.id, new, False, "Rekryteringen pågår.",
                                act.version)  # fmt: skip
    assert (done.followup_period_id, done.followup_done, done.followup_comment) == (
        new, False, "Rekryteringen pågår.")  # fmt: skip
    with pytest.raises(CycleConflict), ws.session() as s:  # a form opened before that save
        follow_up_action(s, EDITOR_A, act.id, new, True, None, act.version)
    with ws.session() as s:
        close_period(s, LEADER, new)
    with pytest.raises(PeriodClosed), ws.session() as s:
        follow_up_action(s, EDITOR_A, act.id, new, True, None, done.version)
    with pytest.raises(PeriodClosed), ws.session() as s:
        add_action(s, LEADER, old, "För sent.", A, None, node_id="S1")


def test_an_action_concerns_one_node_or_one_initiative_and_its_owner_writes_it(ws, periods):
    old, _new = periods
    with pytest.raises(CycleError, match="exactly one"), ws.session() as s:
        add_action(s, LEADER, old, "Två saker.", A, None, node_id="S1", initiative_id="I1")
    with pytest.raises(CycleError, match="exactly one"), ws.session() as s:
        add_action(s, LEADER, old, "Ingenting.", A, None)
    with pytest.raises(NotAllowed), ws.session() as s:
        add_action(s, EDITOR_B, old, "Åt A.", A, None, node_id="S1")
    with ws.session() as s:
        add_action(s, LEADER, old, "Processledaren för alla.", None, None, node_id="T2")
        assert [a.text for a in list_actions(s, P, old)] == ["Processledaren för alla."]
