"""The shipped example programmes: faithful to their sources, valid, importable, round-trip.

Expected counts and texts below were read off the source documents by hand (the seeds the
examples were transcribed from), not from the example files.
"""

from __future__ import annotations

from datetime import date

import pytest
from programme_helpers import snapshot

from jamlik.programme import (
    dump_programme,
    examples,
    export_programme,
    import_programme,
    load_example,
    load_programme,
)
from jamlik.workspace import Workspace

NAMES = ["boras-god-start", "goteborg-jamlik-stad", "vgr-sociala-investeringar"]


def test_examples_are_listed_with_existing_paths() -> None:
    found = examples()
    assert sorted(found) == NAMES
    assert all(path.is_file() and path.suffix == ".yaml" for path in found.values())


@pytest.mark.parametrize("name", NAMES)
def test_every_title_has_an_english_title_beside_it(name: str) -> None:
    p = load_example(name)
    assert p.title_en
    assert all(n.title_en for n in p.nodes)
    assert all(i.title_en for i in p.initiatives)
    assert all(a.name_en for a in p.actors)
    assert all(item.text_en for s in p.sections for item in s.items)


@pytest.mark.parametrize("name", NAMES)
def test_nothing_invented_no_reach_areas_indicators_or_amounts(name: str) -> None:
    p = load_example(name)
    assert all(not i.reach and not i.areas and not i.indicators for i in p.initiatives)
    assert all(i.budget is None or i.budget.amount_sek is None for i in p.initiatives)
    assert all(not n.indicators for n in p.nodes)


def _titles(p, kind: str, parent: str) -> list[str]:
    return [n.title for n in p.children(parent) if n.kind == kind]


def test_goteborg_goal_prerequisites_target_areas_and_strategies() -> None:
    p = load_example("goteborg-jamlik-stad")
    assert p.title == "Göteborgs Stads program för en jämlik stad 2018–2026"
    assert (p.period.start, p.period.end) == (date(2018, 1, 1), date(2026, 12, 31))
    (root,) = p.roots
    assert (root.kind, root.title) == ("goal", "Göteborg ska vara en jämlik stad")
    assert root.description.startswith("Målet fokuserar på att öka jämlikheten i Göteborg")
    sections = {s.id: s for s in p.sections}
    assert len(sections["prerequisites"].items) == 6
    assert sections["prerequisites"].items[-1].text == (
        "Ett arbetssätt som är normmedvetet och intersektionellt"
    )
    assert [i.text for i in sections["plan-parts"].items] == [
        "Styrning och uppföljning för integrering och tvärasektoriellt arbete",
        "Ledning och koordinering för integrering och tvärasektoriellt arbete",
        "Tvärasektoriellt arbetssätt – konkreta samverkansprocesser",
    ]
    areas = [n for n in p.children(root.id) if n.kind == "target_area"]
    assert [a.order for a in areas] == [1, 2, 3, 4]
    strategies = [len(_titles(p, "strategy", a.id)) for a in areas]
    assert strategies == [7, 7, 5, 7]
    assert _titles(p, "strategy", areas[3].id)[1] == "Öka valdeltagande"
    assert _titles(p, "strategy", areas[2].id)[2] == "Minska boendesegregation"


def test_goteborg_focus_area_two_in_full() -> None:
    p = load_example("goteborg-jamlik-stad")
    focus = [n for n in p.children("gbg-goal") if n.kind == "focus_area"]
    assert [f.order for f in focus] == [1, 2, 3, 4, 5]
    fa2 = focus[1]
    assert fa2.title == "Ge barn fortsatt goda möjligheter genom skolåren (6–18 år)"
    assert fa2.target_group.text == (
        "Vuxna i barns vardag, vårdnadshavare och verksamheter som möter barn och unga"
    )
    assert _titles(p, "aim", fa2.id) == [
        "Minska skillnader och livsvillkor och hälsa för barn i skolåldern"
    ]
    assert _titles(p, "strategy", fa2.id) == [
        "Samverkan med idéburen sektor, näringsliv, akademi, hälso- och sjukvård",
        "Delaktighet och medskapande",
        "Kompetensutveckling",
        "Styrning/ledning – systematiskt kvalitetsarbete",
    ]
    priority = [n for n in p.children(fa2.id) if n.kind == "priority_area"]
    assert [n.title for n in priority] == ["Hem", "Skola/fritidshem", "Fritid"]
    aims = {n.title: [a.id for a in p.children(n.id)] for n in priority}
    assert [len(v) for v in aims.values()] == [1, 2, 1]
    per_area = [sum(len(p.initiatives_for(a)) for a in ids) for ids in aims.values()]
    assert per_area == [3, 5, 2]
    assert "Arbeta för ökad skolnärvaro" in [
        i.title for i in p.initiatives_for(aims["Skola/fritidshem"][1])
    ]
    schooling = p.initiative("gbg-fa2-complete-schooling")
    assert schooling.title == "Fullständig skolgång – samverkan mellan VGR och Göteborg Stad"
    assert {p.actor(a).name for a in schooling.partners} == {
        "Västra Götalandsregionen",
        "Göteborgs Stad",
    }


def test_goteborg_seminar_initiatives_and_actors() -> None:
    p = load_example("goteborg-jamlik-stad")
    titles = [i.title for i in p.initiatives]
    assert "Staden där vi läser för våra barn" in titles
    hubs = p.initiative("gbg-family-centres-as-hubs")
    assert "familjecentraler utgör naven" in hubs.content
    assert "gbg-vgr" in hubs.partners
    kinds = {a.name: a.kind for a in p.actors}
    assert kinds["Göteborgs Stad"] == "municipality"
    assert kinds["Västra Götalandsregionen"] == "region"
    assert {"civil_society", "business", "academia", "health_care"} <= set(kinds.values())


def test_boras_priority_initiatives_and_kaa() -> None:
    p = load_example("boras-god-start")
    (root,) = p.roots
    assert (root.kind, root.title) == ("target_area", "God start i livet och goda uppväxtvillkor")
    assert [i.title for i in p.initiatives] == [
        "Utveckla det familjecentrerade arbetssättet",
        "Utveckla föräldraskapsstödet",
        "Främja närvaron och förhindra frånvaro i skolan",
        "Starta och driva en arenaskola",
        "Stärka det kommunala aktivitetsansvaret (KAA)",
    ]
    kaa = p.initiatives[-1].target_group
    assert (kaa.age_min, kaa.age_max) == (16, 20)
    family = p.initiatives[0]
    assert p.actor(family.owner).name == "Borås Stad"
    assert [p.actor(a).kind for a in family.partners] == ["region"]
    arena = p.initiatives[3]
    assert {p.actor(a).kind for a in arena.partners} == {"business", "civil_society"}


LE_CONTENT = (
    "Investeringen möjliggör en utökning av studie- och yrkesvägledningen för att förstärka, "
    "utveckla och bredda arbetet med arbetslivsdagar och prao. Genom att erbjuda "
    "sommarlovsskola, lovskola och andra gymnasieförberedande aktiviteter stärks eleverna och "
    "tränar sina entreprenöriella kompetenser. Satsningen förväntas öka framtidstron hos barn "
    "och unga, öka andelen med gymnasiekompetens och på sikt minska ungdomsarbetslösheten i "
    "kommunen."
)


def test_vgr_social_investments_as_written() -> None:
    p = load_example("vgr-sociala-investeringar")
    le, seen, parents = p.initiatives
    periods = [(i.period.start, i.period.end) for i in p.initiatives]
    assert periods == [
        (date(2023, 1, 1), date(2025, 12, 31)),
        (date(2022, 12, 1), date(2025, 11, 30)),
        (date(2023, 1, 1), date(2025, 12, 31)),
    ]
    assert all(i.status == "ongoing" for i in p.initiatives)
    assert le.content == LE_CONTENT
    assert le.purpose.endswith("Projektets mål är främst att alla unga ska nå gymnasiebehörighet.")
    assert p.actor(le.owner).name == "Åmåls kommun"
    assert le.target_group.text == "Elever i årskurs 6-9 i Åmåls kommun"
    owner = p.actor(seen.owner)
    assert (owner.name, p.actor(owner.parent).name) == (
        "Barn- och utbildningsförvaltningen",
        "Vänersborgs kommun",
    )
    assert (seen.target_group.age_min, seen.target_group.age_max) == (1, 5)
    assert seen.content.startswith(
        "Den huvudsakliga aktiviteten i projektet är att en insatskoordinator"
    )
    navet = p.actor(parents.owner)
    assert (navet.name, p.actor(navet.parent).name) == (
        "Navet science center",
        "Boråsregionen Sjuhärads kommunalförbund",
    )
    assert [p.actor(a).name for a in parents.partners] == ["Förskoleförvaltningen i Borås Stad"]
    assert (parents.target_group.age_min, parents.target_group.age_max) == (6, 12)
    assert parents.content.endswith("samt att sprida resultat")


@pytest.mark.parametrize("name", NAMES)
def test_example_imports_and_round_trips(name: str, tmp_path) -> None:
    path = examples()[name]
    programme = load_programme(path)
    ws = Workspace.resolve(tmp_path / "ws")
    summary = import_programme(ws, path)
    assert summary.changed and not summary.replaced
    exported = export_programme(ws, programme.id)
    assert exported == dump_programme(programme)

    # export → import (into a fresh workspace) → export gives the same bytes
    again = tmp_path / "exported.yaml"
    again.write_text(exported, encoding="utf-8")
    ws2 = Workspace.resolve(tmp_path / "ws2")
    import_programme(ws2, again)
    assert export_programme(ws2, programme.id) == exported

    # importing the same file again changes nothing
    before = snapshot(ws)
    assert not import_programme(ws, again).changed
    assert snapshot(ws) == before


def test_all_three_examples_share_one_workspace(tmp_path) -> None:
    ws = Workspace.resolve(tmp_path / "ws")
    for path in examples().values():
        import_programme(ws, path)
    for name, path in examples().items():
        p = load_programme(path)
        assert export_programme(ws, p.id) == dump_programme(p), name
