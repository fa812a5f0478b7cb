"""Exempelstad's programme: Gothenburg's tree with Exempelstad's own actors and initiatives."""

from __future__ import annotations

from datetime import date

import pytest

from jamlik.demo import INDICATORS, exempelstad_programme
from jamlik.programme import dump_programme, load_example, load_programme, validate_programme


@pytest.fixture(scope="module")
def programme():
    return exempelstad_programme(2018)


def test_programme_is_valid_and_survives_its_yaml(programme, tmp_path):
    validate_programme(programme)
    path = tmp_path / "exempelstad.yaml"
    path.write_text(dump_programme(programme), encoding="utf-8")
    assert load_programme(path) == programme


def test_tree_is_gothenburgs_with_exempelstads_name(programme):
    gothenburg = load_example("goteborg-jamlik-stad")
    assert [(n.kind, n.parent is None) for n in programme.nodes] == [
        (n.kind, n.parent is None) for n in gothenburg.nodes
    ]
    assert not {n.id for n in programme.nodes} & {n.id for n in gothenburg.nodes}
    for node in programme.nodes:
        assert node.id.startswith("ex-")
        for text in (node.title, node.description, node.title_en, node.description_en):
            assert "Göteborg" not in (text or "") and "Gothenburg" not in (text or "")
    assert programme.roots[0].title == "Exempelstad ska vara en jämlik stad"


def test_says_it_is_fictitious(programme):
    assert "Fiktiva exempeldata" in programme.title
    assert "Fiktiva exempeldata" in programme.description
    assert all("Fiktiva exempeldata" in i.notes for i in programme.initiatives)


def test_every_target_area_follows_indicators(programme):
    target_areas = [n for n in programme.nodes if n.kind == "target_area"]
    assert len(target_areas) == 4
    assert all(n.indicators for n in target_areas)
    linked = {i for n in programme.nodes for i in n.indicators}
    assert linked == {i.id for i in INDICATORS}


def test_actors_span_every_kind_of_partner(programme):
    kinds = {a.kind for a in programme.actors}
    assert {"municipal_committee", "municipal_department", "municipal_company", "region",
            "civil_society", "business", "academia", "health_care"} <= kinds  # fmt: skip
    assert any("nämnden" in a.name for a in programme.actors)


def test_initiatives_are_complete_and_reach_stays_inside_them(programme):
    assert len(programme.initiatives) >= 12
    titles = " ".join(i.title for i in programme.initiatives)
    for seed_initiative in ("Familjecentraler", "Staden där vi läser för våra barn",
                            "Föräldrastöd", "skolnärvaro", "Kulturskolan når fler", "KAA",
                            "Lärande och entreprenörskap", "Sedd och saknad"):  # fmt: skip
        assert seed_initiative in titles
    for it in programme.initiatives:
        assert it.owner and it.partners and it.nodes and it.indicators and it.areas
        assert it.status and it.period and it.budget.amount_sek > 0
        assert it.reach, it.id
        years = {int(r.period) for r in it.reach}
        assert min(years) >= it.period.start.year
        assert max(years) <= min((it.period.end or date(2025, 12, 31)).year, 2025)
        assert {r.area for r in it.reach} <= set(it.areas)
        assert all(r.reached >= 0 for r in it.reach)
