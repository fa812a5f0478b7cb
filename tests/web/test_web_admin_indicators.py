"""Administrators edit an indicator's details and targets in the browser's form: changes are
stored and audited with before and after, stale forms get 409 with a clear message, bad input
is named at its field and nothing is written, and other roles are refused."""

from __future__ import annotations

import pytest
from accounts_site import ROLES, copy_demo
from forms import bad_input_is_refused, error_summary, form_data, stale_save_is_refused
from sqlalchemy import select

from jamlik.audit import read_log
from jamlik.audit.tables import AuditRow
from jamlik.data import Target, read_definitions
from jamlik.data.tables import IndicatorRow, TargetRow

IND = "ex-behorighet-gymnasiet"
URL = f"/admin/indicators/{IND}"


@pytest.fixture(scope="module")
def site(demo_workspace, tmp_path_factory):
    return copy_demo(demo_workspace, tmp_path_factory.mktemp("admin-ind") / "ws")


def _stored(site):
    return {i.id: i for i in read_definitions(site.workspace).indicators}[IND]


def _state(site):
    with site.workspace.session() as s:
        return (
            s.execute(select(IndicatorRow.title, IndicatorRow.unit, IndicatorRow.scale)).all(),
            s.execute(select(TargetRow.indicator_id, TargetRow.year, TargetRow.value)).all(),
            len(s.execute(select(AuditRow.id)).all()),
        )


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_other_roles_are_refused(site, role):
    expected = 401 if role == "public" else 403
    assert site.client(role).get("/admin/indicators").status_code == expected
    assert site.client(role).get(URL).status_code == expected


def test_the_list_links_every_indicator(site):
    html = site.client("admin").get("/admin/indicators").text
    for ind in read_definitions(site.workspace).indicators:
        assert f'href="/admin/indicators/{ind.id}"' in html


def test_the_form_sent_back_unchanged_changes_nothing(site):
    admin = site.client("admin")
    before, kept = _stored(site), _state(site)
    answer = admin.post(URL, data=form_data(admin.get(URL).text, URL))
    assert answer.status_code == 303, error_summary(answer.text)
    assert _stored(site) == before and _state(site) == kept


def test_edit_details_and_targets_is_stored_and_audited(site):
    admin = site.client("admin")
    before = _stored(site)
    assert [(t.year, t.measure) for t in before.targets] == [(2026, None), (2026, "D")]
    page = admin.get(URL).text
    data = form_data(
        page, URL, title="Gymnasiebehörighet", unit="andel i procent", polarity="higher_is_better"
    )
    data |= {"target-0-value": "91,5",  # decimal comma
             "target-1-remove": "yes",  # the gap target goes
             "target-2-year": "2030", "target-2-value": "3",  # a new gap target by sex
             "target-2-measure": "R", "target-2-dimension": "sex"}  # fmt: skip
    answer = admin.post(URL, data=data)
    assert answer.status_code == 303, error_summary(answer.text)
    after = _stored(site)
    assert (after.title, after.unit) == ("Gymnasiebehörighet", "andel i procent")
    assert after.targets == [
        Target(year=2026, value=91.5),
        Target(year=2030, value=3.0, measure="R", dimension="sex"),
    ]
    with site.workspace.session() as s:
        (entry,) = read_log(s, entity="indicator", entity_id=IND)
    assert entry.user == "admin" and entry.action == "edit"
    assert entry.before["title"] == before.title and entry.after["title"] == "Gymnasiebehörighet"
    assert [t["measure"] for t in entry.before["targets"]] == [None, "D"]
    assert [t["measure"] for t in entry.after["targets"]] == [None, "R"]
    assert "Ändringarna är sparade" in admin.get(answer.headers["location"]).text


def test_a_stale_save_is_refused_with_409_and_a_clear_message(site):
    message = "Någon annan har sparat indikatorn sedan du öppnade den"
    stale_save_is_refused(site, URL, _state, "unit", ("procent", "promille"), message)
    assert _stored(site).unit == "procent"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": ""}, "title", "Namn: skriv indikatorns namn."),
        ({"scale": "noll"}, "scale", "Skala: skriv ett tal större än noll"),
        ({"source_kind": "kolada", "source_ref": ""}, "source_ref", "Källa: välj"),
        ({"target-0-year": "snart"}, "target-0-year", "Mål 1, år: skriv ett årtal"),
        ({"target-0-value": "hög"}, "target-0-value", "Mål 1, värde: skriv ett tal"),
        # The empty row 3 filled in: a gap target without its breakdown; a second level
        # target for a year that has one.
        ({"target-2-year": "2031", "target-2-value": "4", "target-2-measure": "D"},
         "target-2-dimension", "Mål 3: ett gapmål (D) behöver en dimension"),
        ({"target-2-year": "2026", "target-2-value": "50"},
         "target-2-year", "Mål 3: samma mål två gånger"),
    ],
)  # fmt: skip
def test_bad_input_is_named_at_its_field_and_nothing_written(site, changes, field, words):
    summary = bad_input_is_refused(site, URL, _state, changes, field)
    assert any(f == field and m.startswith(words) for f, m in summary), summary
