"""A fictitious follow-up cycle for the demo programme (Exempelstad): a closed, approved
"Uppföljning 2025" and an open "Uppföljning 2026" with reports from several actors in every
workflow state, so the web and the report have something to show.

Everything here is invented, like the rest of the demo (`jamlik.demo`): the texts end with
"(Fiktivt exempel.)", the people are pseudo-accounts named "demo:…" in the audit log, and the
reminder addresses are at exempelstad.example (a domain reserved for examples, RFC 2606).
Seeding twice changes nothing: it stops when the programme already has the periods.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.accounts import User
from jamlik.cycle import actions, assessments, mail, periods, reports, workflow
from jamlik.cycle.model import AssessmentContent, ReachCell, ReportContent
from jamlik.cycle.tables import PeriodRow

MARK = " (Fiktivt exempel.)"
LEADER = User(id=0, name="demo:processledare", role="process_leader")
ADMIN = User(id=0, name="demo:administratör", role="administrator")

# (initiative, status, comment, done, next steps, share of budget used)
LAST_YEAR = (
    ("ex-familjecentraler", "on_track", None,
     "Två nya familjecentraler öppnade i Stenåsen och Norrmossen; barnavårdscentralen och "
     "öppna förskolan finns nu under samma tak i fem stadsdelar.",
     "Öppna en familjecentral i Lindhöjden under våren.", 0.97),
    ("ex-lasning", "on_track", None,
     "Bokgåvor delades ut vid 8-månadersbesöket på alla barnavårdscentraler; läsveckan i "
     "oktober hade 41 evenemang.",
     "Utbilda fler läsombud i förskolan.", 0.88),
    ("ex-kulturskolan", "at_risk",
     "Lärare saknas i två stadsdelar; kurserna där startade först i oktober.",
     "Avgiftsfria kurser direkt efter skoldagen på tolv skolor.",
     "Rekrytera lärare tillsammans med Idrottsalliansen.", 0.74),
    ("ex-kaa", "delayed",
     "Det nya registret över unga 16–20 år blev klart sex månader senare än planerat.",
     "Uppsökande arbete mot unga som varken studerar eller arbetar, med hembesök.",
     "Ta registret i bruk och följa upp varje ung person inom en månad.", 0.61),
    ("ex-jobbspranget", "on_track", None,
     "Sommarjobb och mentorer för 410 unga, med fler platser i stadsdelarna med lägst "
     "förvärvsfrekvens.", "Fler arbetsgivare från Näringslivsrådet.", 1.02),
    ("ex-storre-lagenheter", "on_track", None,
     "Sextio lägenheter byggdes om till större; 112 hushåll bytte till en större lägenhet.",
     "Fortsätta ombyggnaden i Stenåsen.", 0.93),
)  # fmt: skip

EDITORS_ACTORS = {
    "ex-familjecentraler": "ex-socialnamnden",
    "ex-lasning": "ex-kulturnamnden",
    "ex-kulturskolan": "ex-kulturnamnden",
    "ex-kaa": "ex-arbetsmarknadsnamnden",
    "ex-jobbspranget": "ex-arbetsmarknadsnamnden",
    "ex-storre-lagenheter": "ex-exempelstadshem",
}
CONTACTS = {
    "ex-socialnamnden": "uppfoljning.social@exempelstad.example",
    "ex-kulturnamnden": "uppfoljning.kultur@exempelstad.example",
    "ex-arbetsmarknadsnamnden": "uppfoljning.arbete@exempelstad.example",
    "ex-exempelstadshem": "registrator@exempelstadshem.example",
    "ex-utbildningsnamnden": "uppfoljning.utbildning@exempelstad.example",
}
TARGET_AREA = "ex-ta1"  # Skapa god start och goda uppväxtvillkor
TARGET_AREA_ACTOR = "ex-socialnamnden"


@dataclass(frozen=True)
class DemoCycle:
    """What `seed_demo_cycle` made (or found): the two periods and the reports' states."""

    closed_period_id: int
    open_period_id: int
    created: bool
    states: dict[str, int]


def _editor(actor: str) -> User:
    return User(id=0, name=f"demo:redaktör-{actor.removeprefix('ex-')}", role="editor",
                actors=frozenset({actor}))  # fmt: skip


def _grown(cells: tuple[ReachCell, ...], factor: float) -> tuple[ReachCell, ...]:
    return tuple(replace(c, reached=round(c.reached * factor)) for c in cells)


def seed_demo_cycle(session: Session, programme_id: str, *, year: int = 2026) -> DemoCycle:
    """Seed the demo cycle into the programme (the demo's `exempelstad-jamlik-stad`): period
    `year - 1` closed with approved reports from six initiatives of four actors, an approved
    target-area assessment and a corrective action; period `year` open with reports prefilled
    from it in the states submitted, returned, draft and approved, and others missing. Call it
    in the transaction that built the demo, or in one of its own."""
    last_label, this_label = f"Uppföljning {year - 1}", f"Uppföljning {year}"
    found = {
        r.label: r.id
        for r in session.scalars(select(PeriodRow).where(PeriodRow.programme_id == programme_id))
    }
    if last_label in found and this_label in found:
        return DemoCycle(found[last_label], found[this_label], False, {})

    for actor, address in CONTACTS.items():
        mail.set_contact(session, ADMIN, actor, address)
    assessments.set_responsible(session, ADMIN, programme_id, TARGET_AREA, TARGET_AREA_ACTOR)

    first, last = periods.period_span("year", year - 1)
    old = periods.open_period(session, LEADER, programme_id, last_label, "year", first, last)
    budgets = {}
    for ini, status, comment, done, nxt, used in LAST_YEAR:
        editor = _editor(EDITORS_ACTORS[ini])
        rep = reports.start_report(session, editor, old.id, ini)
        budgets[ini] = rep.budget_sek
        rep = reports.save_report(
            session, editor, rep.id, rep.version,
            ReportContent(status=status, status_comment=comment and comment + MARK,
                          done=done + MARK, next_steps=nxt + MARK,
                          money_used_sek=round((rep.budget_sek or 0) * used), reach=rep.reach),
        )  # fmt: skip
        workflow.submit(session, editor, "report", rep.id)
        workflow.approve(session, LEADER, "report", rep.id)
    ta_editor = _editor(TARGET_AREA_ACTOR)
    ass = assessments.start_assessment(session, ta_editor, old.id, TARGET_AREA)
    ass = assessments.save_assessment(
        session, ta_editor, ass.id, ass.version,
        AssessmentContent(
            analysis="Fler barn nås tidigt genom familjecentralerna, men gapet i förskoledeltagande "
            "mellan stadsdelarna minskar långsamt." + MARK,
            judgement="Utvecklingen går delvis i önskad riktning." + MARK,
            measures="Familjecentral i Lindhöjden; uppsökande arbete för förskolan." + MARK,
            judged_status="partly",
            judged_reason="Insatserna går enligt plan men indikatorerna visar ingen säker "
            "minskning av gapen ännu." + MARK,
        ),
    )  # fmt: skip
    workflow.submit(session, ta_editor, "assessment", ass.id)
    workflow.approve(session, LEADER, "assessment", ass.id)
    actions.add_action(
        session, LEADER, old.id,
        "Ta det nya registret för det kommunala aktivitetsansvaret i bruk." + MARK,
        "ex-arbetsmarknadsnamnden", date(year, 6, 30), initiative_id="ex-kaa",
    )  # fmt: skip
    periods.close_period(session, LEADER, old.id)

    first, last = periods.period_span("year", year)
    new = periods.open_period(session, LEADER, programme_id, this_label, "year", first, last)
    plan = (
        ("ex-familjecentraler", "submit", "on_track", None),
        ("ex-lasning", "return", "on_track", None),
        ("ex-kulturskolan", "draft", "at_risk", "Fortfarande lärarbrist i Norrmossen."),
        ("ex-jobbspranget", "approve", "on_track", None),
    )
    for ini, step, status, comment in plan:
        editor = _editor(EDITORS_ACTORS[ini])
        rep = reports.start_report(session, editor, new.id, ini)  # prefilled from last year
        rep = reports.save_report(
            session, editor, rep.id, rep.version,
            ReportContent(status=status, status_comment=comment and comment + MARK,
                          done=rep.done, next_steps=rep.next_steps,
                          money_used_sek=round((budgets[ini] or 0) * 0.5),
                          reach=_grown(rep.reach, 1.1)),
        )  # fmt: skip
        if step == "draft":
            continue
        workflow.submit(session, editor, "report", rep.id)
        if step == "return":
            workflow.send_back(
                session, LEADER, "report", rep.id,
                "Beskriv gärna vad läsveckan gav i de stadsdelar där få barn deltog." + MARK,
            )  # fmt: skip
        elif step == "approve":
            workflow.approve(session, LEADER, "report", rep.id)
    states: dict[str, int] = {}
    for r in reports.list_reports(session, ADMIN, period_id=new.id):
        states[r.state] = states.get(r.state, 0) + 1
    return DemoCycle(old.id, new.id, True, states)
