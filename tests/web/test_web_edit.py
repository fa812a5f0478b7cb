"""Editing an initiative's partners, links and other fields, and creating initiatives, through
the web forms (TestClient on an accounts-enabled copy of the demo; every write goes to the
real SQLite workspace and is read back from it).

Forms are sent the way a browser sends them: every field of the page's form with its current
value (`forms.form_data`), with only the changes a test makes. Expected values are written out by
hand from the demo programme (src/jamlik/demo/initiatives.py).
"""

from __future__ import annotations

import re

import pytest
from accounts_site import OTHER, OWN, OWN_INITIATIVE, ROLES, copy_demo
from forms import error_summary, form_data, form_token

from jamlik.audit import current_version, read_log
from jamlik.programme import read_programme

PROGRAMME = "exempelstad-jamlik-stad"
EDIT = f"/initiatives/{OWN_INITIATIVE}/edit"


@pytest.fixture(scope="module")
def site(demo_workspace, tmp_path_factory):
    return copy_demo(demo_workspace, tmp_path_factory.mktemp("edit") / "ws")


def stored(site, initiative_id=OWN_INITIATIVE):
    with site.workspace.session() as s:
        p = read_programme(s, PROGRAMME)
    return p.initiative(initiative_id) if initiative_id else p


def log(site, initiative_id=None):
    with site.workspace.session() as s:
        return read_log(s, entity="initiative", entity_id=initiative_id)


def options_of(html: str, select_id: str) -> list[str]:
    block = re.search(rf'<select id="{select_id}".*?</select>', html, re.S)
    assert block, select_id
    return [v for v in re.findall(r'<option value="([^"]*)"', block.group(0)) if v]


# -- editing ----------------------------------------------------------------------------------


def test_partners_and_links_are_saved_and_audited_with_before_and_after(site):
    client = site.client("editor-own")
    before = stored(site)
    assert before.partners == ["ex-narvarden", "ex-forskolenamnden", "ex-foraldranatverket"]
    page = client.get(EDIT).text
    data = form_data(
        page,
        "edit-form",
        partners=["ex-narvarden", "ex-forskolenamnden", "ex-hogskolan"],
        nodes=["ex-ta1", "ex-fa1", "ex-ta1-s2", "ex-ta1-s3", "ex-ta1-s1"],
        indicators=["ex-forskola-1-5", "ex-lag-ek-standard-barn", "ex-behorighet-gymnasiet"],
        notes="Uppföljning 2025: två nya familjecentraler.\nHögskolan utvärderar.",
    )
    answer = client.post(EDIT, data=data)
    assert answer.status_code == 303, error_summary(answer.text)

    after = stored(site)
    expected = before.model_copy(
        update={
            "partners": ["ex-narvarden", "ex-forskolenamnden", "ex-hogskolan"],
            "nodes": ["ex-ta1", "ex-fa1", "ex-ta1-s2", "ex-ta1-s3", "ex-ta1-s1"],
            "indicators": ["ex-forskola-1-5", "ex-lag-ek-standard-barn", "ex-behorighet-gymnasiet"],
            "notes": "Uppföljning 2025: två nya familjecentraler.\nHögskolan utvärderar.",
        }
    )
    assert after == expected  # everything the form did not change came back as it was
    assert len(after.reach) == 60
    entries = log(site, OWN_INITIATIVE)
    assert [(e.action, e.user) for e in entries] == [("edit", "editor-own")]
    assert entries[0].before["partners"] == before.partners
    assert entries[0].after["partners"] == expected.partners
    assert entries[0].before["nodes"] == before.nodes and entries[0].after["nodes"] == after.nodes
    assert entries[0].after["indicators"][-1] == "ex-behorighet-gymnasiet"
    shown = client.get(f"/initiatives/{OWN_INITIATIVE}").text
    partners = re.search(r'<dd data-fact="partners">(.*?)</dd>', shown, re.S).group(1)
    assert re.findall(r">([^<]+)</a>", partners) == [
        "Närvården Exempellän (vårdcentraler och barnhälsovård)",
        "Förskolenämnden",
        "Högskolan i Exempelstad",
    ]


def test_unknown_partner_node_and_indicator_are_named_and_nothing_is_written(site):
    client = site.client("admin")
    before = stored(site)
    entries = len(log(site))
    with site.workspace.session() as s:
        version = current_version(s, "initiative", OWN_INITIATIVE)
    page = client.get(EDIT).text
    data = form_data(
        page,
        "edit-form",
        partners=[*before.partners, "ex-nobody"],
        nodes=[*before.nodes, "ex-no-node"],
        indicators=[*before.indicators, "ex-no-indicator"],
        areas=[*before.areas, "ex-atlantis"],
        **{
            "reach-60-period": "våren 2024",
            "reach-60-area": "ex-stenasen",
            "reach-60-reached": "12",
        },
        notes="Ska inte sparas",
    )
    answer = client.post(EDIT, data=data)
    assert answer.status_code == 422
    found = error_summary(answer.text)
    messages = [m for _, m in found]
    assert "Samverkansparter: 'ex-nobody' finns inte bland programmets aktörer" in messages
    assert (
        "Delar av programmet som insatsen bidrar till: 'ex-no-node' finns inte i programmets "
        "struktur" in messages
    )
    assert "Indikatorer som följer insatsen: indikatorn 'ex-no-indicator' finns inte" in messages
    assert "Stadsområden där insatsen görs: området 'ex-atlantis' finns inte" in messages
    assert any(
        m.startswith("Nådda personer, rad 61: 'våren 2024' är ingen period") for m in messages
    )
    # Each line links to a control on the page, marked invalid.
    for field, _ in found:
        assert re.search(rf'id="{re.escape(field)}"[^>]*aria-invalid="true"', answer.text), field
    assert "reach-60-period" in dict(found)
    assert stored(site) == before
    assert len(log(site)) == entries
    with site.workspace.session() as s:
        assert current_version(s, "initiative", OWN_INITIATIVE) == version


def test_several_bad_fields_are_all_named_at_once(site):
    client = site.client("editor-own")
    before = stored(site)
    page = client.get(EDIT).text
    data = form_data(
        page,
        "edit-form",
        title="",
        start="2020-05-01",
        end="2019-12-31",
        tg_age_min="12",
        tg_age_max="5",
        budget_amount="mycket",
        partners=[*before.partners, OWN],
    )
    answer = client.post(EDIT, data=data)
    assert answer.status_code == 422
    found = dict(error_summary(answer.text))
    assert found["title"] == "Namn: fyll i fältet"
    assert found["end"] == "Slutdatum: slutdatumet 2019-12-31 ligger före startdatumet 2020-05-01"
    assert found["tg_age_max"] == "Högsta ålder: högsta åldern (5) är lägre än lägsta åldern (12)"
    assert found["budget_amount"].startswith("Belopp i kronor: skriv ett heltal")
    partner = [m for f, m in found.items() if f.startswith("partners-")]
    assert partner == [f"Samverkansparter: '{OWN}' är ansvarig organisation; ange den bara där"]
    assert stored(site) == before


def test_an_editor_cannot_hand_the_initiative_to_another_organisation(site):
    client = site.client("editor-own")
    before = stored(site)
    page = client.get(EDIT).text
    assert options_of(page, "owner") == [OWN]  # the form offers only the editor's own
    answer = client.post(EDIT, data=form_data(page, "edit-form", owner=OTHER))
    assert answer.status_code == 403
    assert "Du kan bara ge insatsen en ansvarig organisation som du själv redigerar för" in (
        answer.text
    )
    assert stored(site) == before


# -- creating ---------------------------------------------------------------------------------


def _new(client, **changes):
    page = client.get("/initiatives/new")
    assert page.status_code == 200
    return client.post("/initiatives/new", data=form_data(page.text, "edit-form", **changes))


def test_editor_creates_an_initiative_for_own_organisation(site):
    client = site.client("editor-own")
    page = client.get("/initiatives/new").text
    assert options_of(page, "owner") == [OWN]
    count = len(stored(site, None).initiatives)
    answer = _new(
        client,
        title="Läxhjälp på biblioteket",
        status="planned",
        start="2026-01-01",
        partners=["ex-kulturnamnden", "ex-lasframjarna"],
        nodes=["ex-fa2-school"],
        areas=["ex-stenasen", "ex-norrmossen"],
        tg_text="Elever i årskurs 4–9",
        tg_age_min="10",
        tg_age_max="16",
        budget_amount="450 000",
        notes="Startar vårterminen 2026.",
    )
    assert answer.status_code == 303, error_summary(answer.text)
    assert answer.headers["location"] == "/initiatives/ex-laxhjalp-pa-biblioteket?created=1"
    programme = stored(site, None)
    assert len(programme.initiatives) == count + 1
    it = programme.initiatives[-1]
    assert (it.id, it.title, it.owner, it.status) == (
        "ex-laxhjalp-pa-biblioteket", "Läxhjälp på biblioteket", OWN, "planned",
    )  # fmt: skip
    assert it.partners == ["ex-kulturnamnden", "ex-lasframjarna"]
    assert it.nodes == ["ex-fa2-school"] and it.areas == ["ex-stenasen", "ex-norrmossen"]
    assert (it.target_group.age_min, it.target_group.age_max) == (10, 16)
    assert it.budget.amount_sek == 450_000 and it.budget.funder is None
    entries = log(site, it.id)
    assert [(e.action, e.user, e.before) for e in entries] == [("create", "editor-own", None)]
    assert entries[0].after["title"] == "Läxhjälp på biblioteket"
    shown = client.get(answer.headers["location"])
    assert shown.status_code == 200
    assert "Insatsen är skapad." in shown.text and 'id="edit-link"' in shown.text
    # The new initiative can be edited at once (its first save claims version 0).
    edit = client.get(f"/initiatives/{it.id}/edit").text
    saved = client.post(
        f"/initiatives/{it.id}/edit", data=form_data(edit, "edit-form", status="ongoing")
    )
    assert saved.status_code == 303, error_summary(saved.text)


def test_editor_is_refused_for_another_organisation_and_nothing_is_created(site):
    client = site.client("editor-own")
    count, entries = len(stored(site, None).initiatives), len(log(site))
    answer = _new(client, title="Kulturnämndens nya insats", owner=OTHER)
    assert answer.status_code == 403
    assert "Du kan bara skapa insatser som din egen organisation ansvarar för" in answer.text
    assert len(stored(site, None).initiatives) == count and len(log(site)) == entries


def test_administrator_creates_for_any_owner_with_an_id_of_their_own(site):
    client = site.client("admin")
    page = client.get("/initiatives/new").text
    programme = stored(site, None)
    assert options_of(page, "owner") == [a.id for a in programme.actors]
    answer = _new(client, title="Sommarlovsaktiviteter", owner=OTHER, id="ex-sommarlov")
    assert answer.status_code == 303, error_summary(answer.text)
    it = stored(site, "ex-sommarlov")
    assert it.owner == OTHER and it.partners == [] and it.reach == []
    assert [e.user for e in log(site, "ex-sommarlov")] == ["admin"]


def test_duplicate_id_is_refused_clearly_and_a_derived_id_gets_a_number(site):
    client = site.client("admin")
    count = len(stored(site, None).initiatives)
    answer = _new(client, title="Läsning igen", owner=OTHER, id="ex-lasning")
    assert answer.status_code == 422
    assert error_summary(answer.text) == [
        (
            "id",
            "Id (valfritt): id 'ex-lasning' används redan av insatsen 'Staden där vi läser för "
            "våra barn' i programmet; välj ett annat id eller lämna fältet tomt",
        )
    ]
    taken_by_node = _new(client, title="Målet", owner=OTHER, id="ex-goal")
    assert taken_by_node.status_code == 422
    assert "används redan av en del av programmets struktur" in taken_by_node.text
    assert len(stored(site, None).initiatives) == count
    first = _new(client, title="Språkstöd i förskolan", owner=OTHER)
    second = _new(client, title="Språkstöd i förskolan!", owner=OTHER)
    assert first.headers["location"].startswith("/initiatives/ex-sprakstod-i-forskolan?")
    assert second.headers["location"].startswith("/initiatives/ex-sprakstod-i-forskolan-2?")


def test_new_form_with_nothing_filled_in_names_title_and_owner(site):
    client = site.client("editor-other")
    page = client.get("/initiatives/new").text
    token = form_token(page)
    answer = client.post("/initiatives/new", data={"csrf_token": token})
    assert answer.status_code == 422
    assert dict(error_summary(answer.text)) == {
        "title": "Namn: fyll i fältet",
        "owner": "Ansvarig organisation: fyll i fältet",
    }


# -- who sees the way in ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_edit_link_and_new_button_only_for_those_allowed(site, role):
    client = site.client(role)
    page = client.get(f"/initiatives/{OWN_INITIATIVE}")
    listing = client.get("/initiatives")
    may_edit = role in ("editor-own", "admin")
    may_create = role in ("editor-own", "editor-other", "admin")
    if page.status_code == 200:
        assert ('id="edit-link"' in page.text) is may_edit
        assert (f'href="{EDIT}"' in page.text) is may_edit
    else:  # an unpublished programme is not shown to visitors at all
        assert role == "public" and page.status_code == 401
    if listing.status_code == 200:
        assert ('href="/initiatives/new"' in listing.text) is may_create
    else:
        assert role == "public" and listing.status_code == 401
    other = client.get("/initiatives/ex-lasning")
    if other.status_code == 200:
        assert ('id="edit-link"' in other.text) is (role in ("editor-other", "admin"))
