"""The follow-up cycle's pages over HTTP (issue 18): drafts stay with their writers (an attack by
a visitor, a reader and another actor's editor), a stale save is refused without losing what was
typed, bad values are named and write nothing, the workflow's steps, the lock of a closed
period, the reminder list, CSRF, and both languages with their `.json` twins.

A writable copy of the demo with a 2025 cycle behind it (cycle_site.py); requests through
Starlette's TestClient with real session rows (accounts_site.py).
"""

from __future__ import annotations

import csv
import io

import pytest
import roles_cycle
from accounts_site import OTHER_INITIATIVE, OWN_INITIATIVE, ROLES, copy_demo
from cycle_site import DONE_2025, NEXT_2025, seed_cycle
from forms import error_summary, form_data, form_token

from jamlik.accounts import get_user
from jamlik.audit import read_log
from jamlik.cycle import reports

SECRET = "UTKAST-HEMLIG-7f3a: ännu inte granskat"


@pytest.fixture(scope="module")
def site(demo_workspace, tmp_path_factory):
    copy = copy_demo(demo_workspace, tmp_path_factory.mktemp("cycle") / "ws")
    copy.cycle = seed_cycle(copy.workspace)  # type: ignore[attr-defined]
    return copy


def _url(site, initiative=OWN_INITIATIVE, period=None) -> str:
    return f"/followup/{period or site.cycle.this_year}/initiatives/{initiative}"


def _stored(site, initiative=OWN_INITIATIVE, period=None):
    with site.workspace.session() as s:
        leader = get_user(s, "leader")
        found = reports.list_reports(
            s, leader, period_id=period or site.cycle.this_year, initiative_id=initiative
        )
    return found[0] if found else None


def _started(site, who="editor-own", initiative=OWN_INITIATIVE):
    """A client of `who` with the report started (the "Börja rapportera" button)."""
    client = site.client(who)
    url = _url(site, initiative)
    page = client.get(url)
    if 'value="start"' in page.text:
        done = client.post(url, data=form_data(page.text, "start-form", action="start"))
        assert done.status_code == 303, done.text
    return client


def test_a_new_report_starts_from_last_year(site):
    client = _started(site)
    page = client.get(_url(site))
    assert page.status_code == 200
    assert DONE_2025[OWN_INITIATIVE] in page.text and NEXT_2025[OWN_INITIATIVE] in page.text
    assert 'id="prefilled"' in page.text
    # Last year's report stays readable beside the form, and its reach is carried into the grid.
    assert 'id="previous-values"' in page.text
    assert (
        'name="reach-ex-stenasen|total/total" size="6" inputmode="numeric" value="410"' in page.text
    )
    # The status is per period: not carried forward.
    data = form_data(page.text, "report-form")
    assert data["status"] == [""]


def test_visitors_readers_and_other_actors_never_see_a_draft(site):
    """The attack: the draft's address and its .json twin, asked for by everyone who may not
    read it, answer 404 with nothing of the draft; the period page does not carry it either."""
    client = _started(site)
    page = client.get(_url(site))
    saved = client.post(
        _url(site), data=form_data(page.text, "report-form", action="save", done=SECRET)
    )
    assert saved.status_code == 303, error_summary(saved.text)
    assert SECRET in client.get(_url(site)).text  # its writer sees it

    for who in ("public", "reader", "analyst", "editor-other"):
        attacker = site.client(who)
        for url in (_url(site), _url(site) + ".json", f"/followup/{site.cycle.this_year}",
                    f"/followup/{site.cycle.this_year}.json"):  # fmt: skip
            answer = attacker.get(url)
            assert SECRET not in answer.text, (who, url)
            if "/initiatives/" in url:
                assert answer.status_code == 404, (who, url, answer.status_code)
    # The leader sees it (and approves later); last year's approved report is public.
    assert SECRET in site.client("leader").get(_url(site)).text
    public = site.client("public").get(_url(site, period=site.cycle.last_year) + ".json")
    assert public.status_code == 200
    assert public.json()["facts"]["form"]["done"] == DONE_2025[OWN_INITIATIVE]


def test_a_stale_save_is_refused_and_keeps_what_was_typed(site):
    _started(site)
    first, second = site.client("editor-own"), site.client("leader")
    page_a, page_b = first.get(_url(site)).text, second.get(_url(site)).text
    saved = first.post(_url(site), data=form_data(page_a, "report-form", action="save",
                                                  next_steps="Först sparat."))  # fmt: skip
    assert saved.status_code == 303
    kept = _stored(site)
    stale = second.post(_url(site), data=form_data(page_b, "report-form", action="save",
                                                   next_steps="Processledarens version."))  # fmt: skip
    assert stale.status_code == 409
    assert "Någon annan har sparat sedan du öppnade sidan" in stale.text
    assert "Processledarens version." in stale.text  # what was typed is still in the form
    assert "Först sparat." in stale.text  # and what is saved is shown beside it
    assert _stored(site) == kept
    # Saving again from the refused page (it carries the current version) goes through.
    again = second.post(_url(site), data=form_data(stale.text, "report-form", action="save"))
    assert again.status_code == 303
    assert _stored(site).next_steps == "Processledarens version."


def test_bad_values_are_named_and_nothing_is_written(site):
    client = _started(site)
    page = client.get(_url(site)).text
    kept = _stored(site)
    bad = client.post(_url(site), data=form_data(
        page, "report-form", action="save", money_used="mycket",
        **{"reach-ex-kvarnbacken|total/total": "många"}))  # fmt: skip
    assert bad.status_code == 422
    assert error_summary(bad.text) == [
        ("money_used", "Använda pengar: skriv hela kronor, 0 eller mer, inte 'mycket'"),
        ("reach-ex-kvarnbacken|total/total",
         "Nådda personer, Kvarnbacken, Totalt: skriv ett heltal som är 0 eller större, inte 'många'"),
    ]  # fmt: skip
    assert 'value="många"' in bad.text  # shown again to correct
    assert _stored(site) == kept


def test_not_on_track_needs_a_comment_to_be_submitted(site):
    client = _started(site, "editor-other", OTHER_INITIATIVE)
    url = _url(site, OTHER_INITIATIVE)
    page = client.get(url).text
    refused = client.post(url, data=form_data(page, "report-form", action="submit",
                                              status="at_risk", status_comment=""))  # fmt: skip
    assert refused.status_code == 422
    assert [f for f, _ in error_summary(refused.text)] == ["status_comment"]
    assert _stored(site, OTHER_INITIATIVE).state == "draft"


def test_return_with_comment_resubmit_and_approve(site):
    client = _started(site, "editor-other", OTHER_INITIATIVE)
    url = _url(site, OTHER_INITIATIVE)
    sent = client.post(url, data=form_data(client.get(url).text, "report-form", action="submit",
                                           status="at_risk", status_comment="Färre läsombud."))  # fmt: skip
    assert sent.status_code == 303 and sent.headers["location"].endswith("?done=submitted")
    leader = site.client("leader")
    review = leader.get(url).text
    # Returning needs a comment; the 422 says so at the comment field.
    no_comment = leader.post(
        url + "/review", data=form_data(review, "review-form", action="return")
    )
    assert no_comment.status_code == 422 and error_summary(no_comment.text)[0][0] == "comment"
    returned = leader.post(url + "/review", data=form_data(
        review, "review-form", action="return", comment="Ange hur många barn som nåddes."))  # fmt: skip
    assert returned.status_code == 303
    page = client.get(url).text
    assert "Ange hur många barn som nåddes." in page and 'id="report-form"' in page
    client.post(url, data=form_data(page, "report-form", action="submit",
                                    **{"reach-ex-stenasen|total/total": "1300"}))  # fmt: skip
    approved = leader.post(url + "/review", data=form_data(leader.get(url).text, "review-form",
                                                           action="approve"))  # fmt: skip
    assert approved.status_code == 303
    stored = _stored(site, OTHER_INITIATIVE)
    assert stored.state == "approved"
    assert [c.reached for c in stored.reach if c.area == "ex-stenasen"] == [1300]
    # Now everyone reads it, visitors too, as a page without forms.
    public = site.client("public").get(url)
    assert public.status_code == 200 and "Färre läsombud." in public.text
    assert 'id="report-form"' not in public.text
    with site.workspace.session() as s:
        steps = [e.action for e in read_log(s, entity="cycle_report", entity_id=str(stored.id))]
    assert {"submit", "return", "approve"} <= set(steps)


def test_small_reach_counts_are_hidden_from_readers(site):
    """An approved report's grid as a visitor reads it: 3 girls in Kvarnbacken is a small cell
    (below the workspace's threshold), so it is hidden, and so are the boys beside it (the
    total minus the boys would give the girls away); its writers see their figures whole."""
    url = _url(site, "ex-kulturskolan")
    editor, leader = _started(site, "editor-other", "ex-kulturskolan"), site.client("leader")
    cells = {"reach-ex-kvarnbacken|total/total": "40", "reach-ex-kvarnbacken|sex/women": "3",
             "reach-ex-kvarnbacken|sex/men": "37"}  # fmt: skip
    sent = editor.post(url, data=form_data(editor.get(url).text, "report-form", action="submit",
                                           status="on_track", **cells))  # fmt: skip
    assert sent.status_code == 303, error_summary(sent.text)
    leader.post(
        url + "/review", data=form_data(leader.get(url).text, "review-form", action="approve")
    )
    shown = site.client("public").get(url + ".json").json()["facts"]["form"]["reach"]
    assert shown["ex-kvarnbacken"] == {
        "total/total": 40,
        "sex/women": "hidden",
        "sex/men": "hidden",
    }
    page = site.client("public").get(url).text
    assert ">37<" not in page and "Dold (för få personer)" in page
    own = editor.get(url + ".json").json()["facts"]["form"]["reach"]
    assert own["ex-kvarnbacken"]["sex/women"] == 3


def test_the_period_page_shows_who_is_missing(site):
    page = site.client("leader").get(f"/followup/{site.cycle.this_year}.json").json()["facts"]
    counts = page["progress"]
    assert counts["total"] == sum(counts[k] for k in ("missing", "draft", "returned", "submitted",
                                                      "approved"))  # fmt: skip
    missing = {a["id"] for a in page["actors"] if a["counts"]["missing"]}
    # Arbetsmarknadsnämnden has running initiatives (KAA, Jobbsprånget) and no report started.
    assert "ex-arbetsmarknadsnamnden" in missing


def test_reminder_list_is_for_the_leader(site):
    url = f"/followup/{site.cycle.this_year}/reminders.csv"
    assert site.client("editor-own").get(url).status_code == 403
    answer = site.client("leader").get(url)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][0] == "aktör"
    assert any(r[1] == "ex-arbetsmarknadsnamnden" for r in rows[1:])


def test_attachments_are_kept_with_the_report_and_hidden_with_its_draft(site):
    client = _started(site, "editor-own", "ex-motesplatser")
    url = _url(site, "ex-motesplatser")
    token = form_token(client.get(url).text)
    pdf = b"%PDF-1.4\n% utvardering\n"
    sent = client.post(url + "/attachments", data={"csrf_token": token},
                       files={"file": ("Utvärdering 2026.pdf", pdf, "application/pdf")})  # fmt: skip
    assert sent.status_code == 303, sent.text[:500]
    facts = client.get(url + ".json").json()["facts"]
    [att] = facts["attachments"]
    assert att["name"] == "Utvärdering 2026.pdf" and att["size"] == len(pdf)
    download = client.get(att["href"])
    assert download.content == pdf
    assert download.headers["content-disposition"].startswith("attachment;")
    # The draft's attachment is as invisible as the draft.
    for who in ("public", "reader", "editor-other"):
        assert site.client(who).get(att["href"]).status_code == 404, who
    # A page is not an attachment: refused by name, nothing kept.
    html = client.post(url + "/attachments", data={"csrf_token": token},
                       files={"file": ("x.html", b"<script>alert(1)</script>", "text/html")})  # fmt: skip
    assert html.status_code == 422 and "Filen x.html går inte att bifoga" in html.text
    assert len(client.get(url + ".json").json()["facts"]["attachments"]) == 1


def test_posts_without_a_csrf_token_are_refused(site):
    client = _started(site)
    answer = client.post(_url(site), data={"action": "save", "version": "1"})
    assert answer.status_code == 403
    assert "Formuläret har gått ut" in answer.text


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_page_in_both_languages_with_its_twin(site, lang):
    leader = site.client("leader")
    pages = ["/followup", f"/followup/{site.cycle.this_year}", _url(site),
             f"/followup/{site.cycle.this_year}/nodes/ex-ta1"]  # fmt: skip
    for path in pages:
        html = leader.get(f"{path}?lang={lang}")
        assert html.status_code == 200, (path, html.text[:300])
        assert f'<html lang="{lang}">' in html.text
        twin = leader.get(f"{path}.json?lang={lang}")
        assert twin.status_code == 200 and twin.json()["lang"] == lang


def test_closing_locks_the_period_and_reopening_needs_a_reason(demo_workspace, tmp_path_factory):
    site = copy_demo(demo_workspace, tmp_path_factory.mktemp("lock") / "ws")
    site.cycle = seed_cycle(site.workspace)  # type: ignore[attr-defined]
    client = _started(site)
    page = client.get(_url(site)).text
    leader = site.client("leader")
    period = f"/followup/{site.cycle.this_year}"
    closed = leader.post(period + "/close", data=form_data(leader.get(period).text, "close-form"))
    assert closed.status_code == 303
    locked = client.get(_url(site)).text
    assert 'id="locked"' in locked and 'id="report-form"' not in locked
    kept = _stored(site)
    late = client.post(_url(site), data=form_data(page, "report-form", action="save", done="Sent."))
    assert late.status_code == 422 and "är stängd" in late.text
    assert _stored(site) == kept
    no_reason = leader.post(
        period + "/reopen", data={"csrf_token": form_token(leader.get(period).text)}
    )
    assert no_reason.status_code == 422
    again = leader.post(period + "/reopen", data=form_data(leader.get(period).text, "reopen-form",
                                                           reason="Rättelse av nåendet."))  # fmt: skip
    assert again.status_code == 303
    with site.workspace.session() as s:
        log = read_log(s, entity="cycle_period", entity_id=str(site.cycle.this_year))
    assert [e.action for e in log][-2:] == ["close", "reopen"]
    assert log[-1].after["reason"] == "Rättelse av nåendet."


@pytest.fixture(scope="module")
def walk_site(demo_workspace, tmp_path_factory):
    copy = copy_demo(demo_workspace, tmp_path_factory.mktemp("cyclewalk") / "ws")
    copy.cycle = seed_cycle(copy.workspace)  # type: ignore[attr-defined]
    _started(copy)  # a draft of OWN's initiative: the walk meets a real record
    return copy


WALK = [(m, p, role) for (m, p) in roles_cycle.EXPECTED for role in ROLES]


@pytest.mark.parametrize(("method", "path", "role"), WALK)
def test_route_role_on_a_real_period(walk_site, method, path, role):
    """test_web_roles.py walks these routes where no period exists; here the period, the
    initiative and its draft are real, so a refusal cannot hide behind a 404."""
    client = walk_site.client(role)
    url = path.format(**{**roles_cycle.SAMPLE, "period_id": walk_site.cycle.this_year,
                         "initiative_id": OWN_INITIATIVE, "node_id": "ex-ta1"})  # fmt: skip
    if method == "GET":
        answer = client.get(url)
    else:
        answer = client.request(
            method, url, data={"csrf_token": form_token(client.get("/sign-in").text)}
        )
    if role in roles_cycle.EXPECTED[(method, path)]:
        assert answer.status_code not in (401, 403), (method, url, role, answer.status_code)
        assert answer.status_code < 500
    else:
        assert answer.status_code == (401 if role == "public" else 403), (method, url, role)
