"""Issue 18's whole follow-up cycle in a real browser (Debian's Chromium driven by Playwright)
against a real uvicorn serving a writable copy of the demo (live_site.py), with a real SMTP
server on 127.0.0.1 (aiosmtpd, smtp_sink.py) for the reminders:

the process leader opens "Uppföljning 2026"; two editors of different actors start their
initiatives' reports, prefilled from 2025, fill in the reach grid and submit; one report is
returned with a comment and resubmitted; both are approved; a node assessment is written from
the proposed roll-up; a visitor asks for a draft's page and its .json twin and gets 404 without
its text; the overview shows who is missing; a reminder reaches the SMTP server; the period is
closed and its pages are read-only. axe-core finds no WCAG 2.1 A/AA violation on any page, in
Swedish and in English.

2025 is what last year's use left (cycle_site.py, stored through the domain). An administrator
approves the leader's assessment (nobody approves their own); once the period is closed, the
yearly report for 2026 in HTML, PDF and Word carries the council summary, the approved
assessment and the approved initiative reports.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import httpx
import pytest
from accounts_site import OTHER_INITIATIVE, OWN_INITIATIVE
from cycle_site import DONE_2025, NEXT_2025, REACH_2025, seed_cycle
from smtp_sink import smtp_sink
from web_helpers import browser_tab, no_violations

from jamlik.accounts import get_user
from jamlik.cycle import mail
from jamlik.cycle.mail import SmtpSettings

NODE = "ex-ta1-s4"  # a strategy that Staden där vi läser (OTHER's initiative) serves
MISSING_ACTOR = "ex-arbetsmarknadsnamnden"  # runs KAA and Jobbsprånget; reports nothing here
DRAFT_TEXT = "Utkast om mötesplatserna som ingen utanför Socialnämnden får läsa."


SHOTS = os.environ.get("JAMLIK_SCREENSHOTS")  # a folder: docs/followup-cycle.md's screens


def _shot(tab, name: str) -> None:
    """With JAMLIK_SCREENSHOTS set, keep the page as a small PNG for the docs (960 px wide,
    256 colours, as docs/screenshots/ holds them)."""
    if not SHOTS:
        return
    from PIL import Image

    image = Image.open(io.BytesIO(tab.screenshot(full_page=False)))
    image = image.resize((960, round(image.height * 960 / image.width)), Image.LANCZOS)
    image.quantize(256).save(Path(SHOTS) / f"{name}.png", optimize=True)


@pytest.fixture
def tab(browser):
    # Refusals the test asks for (404 for the visitor, 422 for a form with a mistake) are
    # logged by Chromium as failed loads.
    refused = [f"the server responded with a status of {s}" for s in (404, 422)]
    with browser_tab(browser, *refused, timeout=60_000) as page:
        yield page


@pytest.fixture(scope="module")
def smtp():
    with smtp_sink() as sink:
        yield sink


@pytest.fixture(scope="module")
def cycle(live, smtp):
    """2025 reported; reminders go through the test's SMTP server to the actors' mailboxes."""
    seeded = seed_cycle(live.workspace, open_2026=False)
    with live.workspace.session() as s:
        admin = get_user(s, "admin")
        settings = SmtpSettings(host=smtp.host, port=smtp.port, security="none",
                                sender="uppfoljning@exempelstad.example")  # fmt: skip
        mail.write_smtp(s, admin, settings)
        for actor in ("ex-socialnamnden", "ex-kulturnamnden", MISSING_ACTOR):
            mail.set_contact(s, admin, actor, f"{actor.removeprefix('ex-')}@exempelstad.example")
    return seeded


def _leader_opens_2026(live, tab) -> str:
    live.sign_in(tab, "leader")
    tab.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    tab.wait_for_url("**/followup")
    no_violations(tab, "/followup")
    tab.get_by_label("År").fill("2026")
    tab.get_by_role("button", name="Öppna perioden").click()
    tab.wait_for_url(re.compile(r"/followup/\d+\?done=opened$"))
    assert tab.locator("h1").inner_text() == "Uppföljning 2026"
    no_violations(tab, "the new period's page")
    tab.goto(live.url + "/followup")
    _shot(tab, "cycle-periods")
    tab.go_back()
    return tab.url.split("?")[0].removeprefix(live.url)


def _report(live, tab, period: str, editor: str, initiative: str, **fill) -> None:
    """`editor` starts the initiative's report, finds last year's text in it, fills the reach
    grid and the rest, and submits."""
    live.sign_in(tab, editor)
    tab.goto(f"{live.url}{period}/initiatives/{initiative}")
    tab.get_by_role("button", name="Börja rapportera").click()
    tab.wait_for_url(re.compile(r"\?done=started$"))
    assert tab.get_by_label("Vad har gjorts?").input_value() == DONE_2025[initiative]
    assert tab.get_by_label("Nästa steg").input_value() == NEXT_2025[initiative]
    assert tab.get_by_label("Stenåsen: Totalt").input_value() == str(REACH_2025[initiative])
    assert DONE_2025[initiative] in tab.locator("#previous").inner_text()  # 2025 beside it
    no_violations(tab, f"{initiative}'s report form")
    if initiative == OWN_INITIATIVE:
        tab.locator("#current-heading").scroll_into_view_if_needed()
        _shot(tab, "cycle-report")
    tab.get_by_label("Hur går insatsen?").select_option(fill.pop("status"))
    for label, value in fill.items():
        tab.get_by_label(label, exact=True).fill(value)
    tab.get_by_role("button", name="Skicka in").click()


def test_a_whole_follow_up_cycle(live, cycle, smtp, browser, tab, tmp_path):
    period = _leader_opens_2026(live, tab)

    # Socialnämnden's editor: on track, the reach grid filled in for two districts and groups.
    with browser_tab(browser, timeout=60_000) as own:
        _report(live, own, period, "editor-own", OWN_INITIATIVE, status="Enligt plan",
                **{"Stenåsen: Totalt": "455", "Stenåsen: Kvinnor": "240",
                   "Norrmossen: Totalt": "1 210", "Vad har gjorts?": "Familjecentralen i "
                   "Lindhöjden öppnade i mars.", "Använda pengar (kronor)": "13 400 000"})  # fmt: skip
        own.wait_for_url(re.compile(r"\?done=submitted$"))
        assert own.locator("#notice").inner_text() == "Rapporten är inskickad till processledaren."
        # Another of the actor's reports is left as a draft: no one outside may read it.
        own.goto(f"{live.url}{period}/initiatives/ex-motesplatser")
        own.get_by_role("button", name="Börja rapportera").click()
        own.wait_for_url(re.compile(r"\?done=started$"))
        own.get_by_label("Vad har gjorts?").fill(DRAFT_TEXT)
        own.get_by_role("button", name="Spara utkast").click()
        own.wait_for_url(re.compile(r"\?done=saved$"))

    # Kulturnämnden's editor: "Risk" needs a comment; the refusal names it, accessibly.
    with browser_tab(browser, "status of 422", timeout=60_000) as other:
        _report(live, other, period, "editor-other", OTHER_INITIATIVE, status="Risk")
        summary = other.locator("#problems")
        summary.wait_for()
        assert summary.locator("li").all_inner_texts() == [
            "Kommentar till status: skriv en kommentar när insatsen inte går enligt plan"
        ]
        no_violations(other, "the report form with an error")
        other.get_by_label("Kommentar till status").fill("Färre läsombud än planerat.")
        other.get_by_role("button", name="Skicka in").click()
        other.wait_for_url(re.compile(r"\?done=submitted$"))

        # The leader returns it with a comment ...
        report_url = f"{live.url}{period}/initiatives/{OTHER_INITIATIVE}"
        tab.goto(report_url)
        no_violations(tab, "the review form")
        tab.get_by_label("Kommentar", exact=True).fill("Ange hur många barn som nåddes i Stenåsen.")
        tab.get_by_role("button", name="Skicka tillbaka").click()
        tab.wait_for_url(re.compile(r"\?done=returned$"))

        # ... the editor reads it, completes the grid and resubmits.
        other.goto(report_url)
        assert (
            "Ange hur många barn som nåddes i Stenåsen." in other.locator("#returned").inner_text()
        )
        other.get_by_label("Stenåsen: Totalt").fill("1 320")
        other.get_by_role("button", name="Skicka in").click()
        other.wait_for_url(re.compile(r"\?done=submitted$"))

    for initiative in (OWN_INITIATIVE, OTHER_INITIATIVE):
        tab.goto(f"{live.url}{period}/initiatives/{initiative}")
        tab.get_by_role("button", name="Godkänn").click()
        tab.wait_for_url(re.compile(r"\?done=approved$"))
    assert tab.locator('dd[data-fact="state"]').inner_text() == "Godkänd"
    assert "1\xa0320" in tab.locator("#reach-table").inner_text()

    _assess_from_the_proposal(live, tab, period)
    _administrator_approves_the_assessment(live, browser, period)
    _visitor_cannot_read_the_draft(live, browser, period)
    _overview_shows_who_is_missing(live, tab, period)
    _reminder_reaches_the_mailbox(tab, smtp)
    _close_and_lock(live, tab, period)
    _english_pages_pass_axe(live, tab, period)
    _report_holds_the_cycle(live, tmp_path)


def _assess_from_the_proposal(live, tab, period: str) -> None:
    tab.goto(f"{live.url}{period}/nodes/{NODE}")
    proposal = tab.locator("#proposal")
    # The reading initiative was approved "at risk": one partial signal of one.
    assert "Delvis i önskad riktning" in proposal.inner_text()
    assert "beräknad" in proposal.inner_text()
    tab.get_by_role("button", name="Börja bedömningen").click()
    tab.wait_for_url(re.compile(r"\?done=started$"))
    no_violations(tab, "the assessment form")
    tab.locator("#proposal").scroll_into_view_if_needed()
    _shot(tab, "cycle-assessment")
    # The proposal is the preselected status; the assessor confirms it.
    assert tab.get_by_label("Bedömd status").input_value() == "partly"
    children = tab.locator("#children").inner_text()
    assert "Staden där vi läser för våra barn" in children and "Risk" in children
    tab.get_by_label("Analys").fill(ANALYSIS)
    tab.get_by_label("Bedömning", exact=True).fill("Delvis i önskad riktning.")
    tab.get_by_label("Åtgärder", exact=True).fill("Utbilda fler läsombud.")
    tab.get_by_role("button", name="Skicka in").click()
    tab.wait_for_url(re.compile(r"\?done=submitted$"))
    assert tab.locator('dd[data-fact="judged"]').inner_text() == "Delvis i önskad riktning"


ANALYSIS = "Läsningen når fler barn, men läsombuden räcker inte."


def _administrator_approves_the_assessment(live, browser, period: str) -> None:
    with browser_tab(browser, timeout=60_000) as admin:
        live.sign_in(admin, "admin")
        admin.goto(f"{live.url}{period}/nodes/{NODE}")
        admin.get_by_role("button", name="Godkänn").click()
        admin.wait_for_url(re.compile(r"\?done=approved$"))
        assert admin.locator('dd[data-fact="state"]').inner_text() == "Godkänd"


def _report_holds_the_cycle(live, folder: Path) -> None:
    """The 2026 report, built from the closed period, in the three formats."""
    from docx import Document
    from pypdf import PdfReader

    from jamlik.report import build_report

    files = build_report(live.workspace, 2026, folder, programme_id="exempelstad-jamlik-stad",
                         formats=("html", "pdf", "docx"))  # fmt: skip
    summary = "Sammanfattning för kommunstyrelsen och kommunfullmäktige"
    html = files.html.read_text("utf-8")
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(files.pdf).pages)
    word = Document(str(files.docx))
    paragraphs = [p.text for p in word.paragraphs]
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    docx = " ".join(paragraphs + cells)
    for name, text in (("html", html), ("pdf", pdf), ("docx", docx)):
        assert summary in text, name
        assert ANALYSIS in text, name  # the approved assessment of the strategy
        assert "Färre läsombud än planerat." in text, name  # an approved report's comment
        assert DRAFT_TEXT not in text, name  # a draft never reaches the report
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert summary in headings[:3]  # the summary leads the Word file


def _visitor_cannot_read_the_draft(live, browser, period: str) -> None:
    draft = f"{period}/initiatives/ex-motesplatser"
    with browser_tab(browser, "status of 404", timeout=60_000) as visitor:
        for url in (draft, draft + ".json"):
            answer = visitor.goto(live.url + url)
            assert answer.status == 404, url
            assert DRAFT_TEXT not in visitor.content()
        visitor.goto(live.url + period)
        assert DRAFT_TEXT not in visitor.content()
        no_violations(visitor, "the period page for a visitor")
    # The same through plain HTTP, as any script would ask.
    for url in (draft, draft + ".json"):
        answer = httpx.get(live.url + url, timeout=60)
        assert answer.status_code == 404 and DRAFT_TEXT not in answer.text


def _overview_shows_who_is_missing(live, tab, period: str) -> None:
    tab.goto(live.url + period)
    row = tab.locator(f'#by-actor tr[data-actor="{MISSING_ACTOR}"]')
    assert int(row.locator('td[data-count="missing"]').inner_text()) == 2  # KAA, Jobbsprånget
    approved = tab.locator('#progress li[data-count="approved"] strong').inner_text()
    assert approved == "3"  # the two reports and the strategy's assessment
    no_violations(tab, "the overview")
    tab.locator("#progress").scroll_into_view_if_needed()
    _shot(tab, "cycle-overview")


def _reminder_reaches_the_mailbox(tab, smtp) -> None:
    before = len(smtp.messages)
    tab.get_by_role("button", name=re.compile(r"^Skicka påminnelser")).click()
    tab.wait_for_url(re.compile(r"\?done=sent"))
    new = smtp.messages[before:]
    to_missing = [m for m in new if "arbetsmarknadsnamnden@exempelstad.example" in m["To"]]
    assert len(to_missing) == 1
    body = to_missing[0].get_content()
    assert "Uppföljning 2026" in to_missing[0]["Subject"]
    assert "Stärkt kommunalt aktivitetsansvar (KAA)" in body
    assert f"{len(new)} påminnelser skickade" in tab.locator("#notice").inner_text()


def _close_and_lock(live, tab, period: str) -> None:
    tab.goto(live.url + period)
    tab.get_by_role("button", name="Stäng och lås perioden").click()
    tab.wait_for_url(re.compile(r"\?done=closed$"))
    assert tab.locator('dd[data-fact="state"]').inner_text() == "Stängd"
    tab.goto(f"{live.url}{period}/initiatives/{OWN_INITIATIVE}")
    assert tab.locator("#locked").is_visible()
    assert tab.locator("form").count() == 0  # nothing to save, return or approve
    no_violations(tab, "a locked report")


def _english_pages_pass_axe(live, tab, period: str) -> None:
    for path in ("/followup", period, f"{period}/initiatives/{OWN_INITIATIVE}",
                 f"{period}/nodes/{NODE}"):  # fmt: skip
        tab.goto(f"{live.url}{path}?lang=en")
        assert tab.locator("html").get_attribute("lang") == "en"
        no_violations(tab, f"{path} in English")
    tab.goto(f"{live.url}/followup?lang=sv")  # the language cookie back to Swedish
