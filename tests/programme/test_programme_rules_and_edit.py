"""Programme rules on in-memory models, reach periods, display order, and the editing helpers."""

from __future__ import annotations

from datetime import date

import pytest

from jamlik.errors import ValidationError
from jamlik.programme import (
    Actor,
    Initiative,
    Node,
    Period,
    Programme,
    Reach,
    add_items,
    import_programme,
    load_example,
    programme_issues,
    remove_items,
    replace_items,
    replace_prefix,
    validate_programme,
)
from jamlik.programme.periods import span
from jamlik.workspace import Workspace

KINDS = ["goal", "target_area", "focus_area", "priority_area", "strategy", "aim"]


def tree(*nodes: tuple[str, str, str | None]) -> Programme:
    return Programme(
        id="p",
        title="P",
        node_kinds=KINDS,
        nodes=[Node(id=i, kind=k, title=i, parent=parent) for i, k, parent in nodes],
    )


def messages(p: Programme, today: date | None = None) -> list[str]:
    return [i.message for i in programme_issues(p, today=today)]


def test_cross_cutting_strategies_may_hang_under_a_focus_area_or_the_goal() -> None:
    p = tree(
        ("g", "goal", None),
        ("ta", "target_area", "g"),
        ("s-ta", "strategy", "ta"),
        ("fa", "focus_area", "g"),
        ("s-fa", "strategy", "fa"),
        ("s-g", "strategy", "g"),
        ("pa", "priority_area", "fa"),
        ("aim", "aim", "pa"),
    )
    assert messages(p) == []


@pytest.mark.parametrize(
    ("child", "parent"),
    [("target_area", "strategy"), ("focus_area", "priority_area"), ("strategy", "aim"),
     ("target_area", "target_area")],
)  # fmt: skip
def test_a_kind_may_not_hang_under_a_kind_declared_after_it_or_its_own(child, parent) -> None:
    p = tree(("g", "goal", None), ("up", parent, "g"), ("down", child, "up"))
    assert any(f"cannot hang under 'up', a{'n' if parent[0] in 'aeiou' else ''} {parent}" in m
               for m in messages(p))  # fmt: skip


def test_children_keep_kinds_together_then_order_then_file_order() -> None:
    p = Programme(
        id="p",
        title="P",
        node_kinds=KINDS,
        nodes=[
            Node(id="g", kind="goal", title="g"),
            Node(id="ta2", kind="target_area", title="t", parent="g", order=2),
            Node(id="fa1", kind="focus_area", title="f", parent="g", order=1),
            Node(id="ta1", kind="target_area", title="t", parent="g", order=1),
            Node(id="ta-x", kind="target_area", title="t", parent="g"),
            Node(id="s", kind="strategy", title="s", parent="ta1"),
        ],
    )
    assert [n.id for n in p.children("g")] == ["ta1", "ta2", "ta-x", "fa1"]
    assert [(d, n.id) for d, n in p.walk()] == [
        (0, "g"), (1, "ta1"), (2, "s"), (1, "ta2"), (1, "ta-x"), (1, "fa1"),
    ]  # fmt: skip


def initiative(**fields) -> Initiative:
    return Initiative(id="i", title="I", **fields)


def test_reach_periods_overlapping_the_initiative_are_accepted() -> None:
    # The initiative starts in December 2023: reach for the year 2023 and the school year
    # 2023/24 overlap it, the school year 2022/23 (ends 30 June 2023) does not.
    it = initiative(
        period=Period(start=date(2023, 12, 1), end=date(2024, 5, 31)),
        reach=[
            Reach(period="2023", area="a", reached=1),
            Reach(period="2023/24", area="a", reached=1),
            Reach(period="2022/23", area="a", reached=1),
            Reach(period="2024-06", area="a", reached=1),
        ],
    )
    found = messages(Programme(id="p", title="P", initiatives=[it]))
    assert len(found) == 2
    assert "reach period 2022/23 (2022-07-01 – 2023-06-30)" in found[0]
    assert "reach period 2024-06 (2024-06-01 – 2024-06-30)" in found[1]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2023/24", date(2023, 7, 1), date(2024, 6, 30)),
        ("2023/2024", date(2023, 7, 1), date(2024, 6, 30)),
        ("2021-2023", date(2021, 1, 1), date(2023, 12, 31)),
        ("2021–2023", date(2021, 1, 1), date(2023, 12, 31)),
        ("2024Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2023Q4", date(2023, 10, 1), date(2023, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
    ],
)
def test_period_spans(text: str, first: date, last: date) -> None:
    assert span(text) == (first, last)


def test_completed_status_depends_on_the_day_it_is_checked() -> None:
    it = initiative(status="completed", period=Period(start=date(2026, 1, 1)))
    p = Programme(id="p", title="P", initiatives=[it])
    assert messages(p, today=date(2026, 1, 1)) == []
    assert "only starts 2026-01-01" in messages(p, today=date(2025, 12, 31))[0]


def test_replace_prefix_renames_ids_and_every_reference(tmp_path) -> None:
    gbg = load_example("goteborg-jamlik-stad")
    ex = replace_prefix(gbg, "gbg-", "ex-", programme_id="exempelstad")
    assert ex.id == "exempelstad"
    assert all(n.id.startswith("ex-") for n in ex.nodes)
    assert all(a.id.startswith("ex-") for a in ex.actors)
    assert all(i.id.startswith("ex-") for i in ex.initiatives)
    assert all(n.parent is None or n.parent.startswith("ex-") for n in ex.nodes)
    hubs = ex.initiative("ex-family-centres-as-hubs")
    assert hubs.partners == ["ex-city", "ex-vgr", "ex-non-profit-sector"]
    assert hubs.nodes == ["ex-fa1", "ex-ta1-s2", "ex-ta1-s3"]
    assert gbg.nodes[0].id == "gbg-goal"  # the original is untouched
    # Both fit in one workspace, because no id is shared.
    ws = Workspace.resolve(tmp_path / "ws")
    import_programme(ws, gbg)
    assert import_programme(ws, ex).changed


def test_add_items_validates_the_result() -> None:
    gbg = load_example("goteborg-jamlik-stad")
    council = Actor(id="gbg-x-board", name="Nämnd", kind="municipal_committee", parent="gbg-city")
    new = Initiative(id="gbg-x-new", title="Ny insats", owner="gbg-x-board", nodes=["gbg-fa2"])
    bigger = add_items(gbg, council, new)
    assert bigger.initiatives[-1] == new and bigger.actors[-1] == council
    assert len(gbg.initiatives) + 1 == len(bigger.initiatives)
    with pytest.raises(ValidationError, match="owner 'nobody' refers to no actor"):
        add_items(gbg, Initiative(id="gbg-x-bad", title="Fel", owner="nobody"))


def test_validate_programme_catches_edits_that_skip_validation() -> None:
    gbg = load_example("goteborg-jamlik-stad")
    nodes = [n.model_copy(update={"parent": "gbg-nowhere"}) if n.id == "gbg-ta1" else n
             for n in gbg.nodes]  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        validate_programme(gbg.model_copy(update={"nodes": nodes}))
    assert raised.value.problems[0].field == "nodes[1].parent"


def test_replace_and_remove_items() -> None:
    vgr = load_example("vgr-sociala-investeringar")
    le = vgr.initiative("vgrsi-le-amal")
    with_reach = le.model_copy(update={"reach": [Reach(period="2024", area="amal", reached=40)]})
    changed = replace_items(vgr, with_reach)
    assert changed.initiatives[0].reach[0].reached == 40
    assert [i.id for i in changed.initiatives] == [i.id for i in vgr.initiatives]
    with pytest.raises(KeyError):
        replace_items(vgr, Initiative(id="vgrsi-none", title="X"))
    # Removing an actor that still owns an initiative is refused with the dangling reference.
    with pytest.raises(ValidationError, match="owner 'vgrsi-amal' refers to no actor"):
        remove_items(vgr, "vgrsi-amal")
    smaller = remove_items(vgr, "vgrsi-le-amal", "vgrsi-amal-business")
    assert len(smaller.initiatives) == 2 and len(smaller.actors) == len(vgr.actors) - 1
