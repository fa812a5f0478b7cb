"""A follow-up cycle set up the way a year of use leaves it, for the cycle's web tests: the
period "Uppföljning 2025" with approved reports of two actors' initiatives (through the domain,
as last year's web use would have stored them), and "Uppföljning 2026" open for reporting.

2025's figures are invented for the tests, like everything in the demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from accounts_site import OTHER_INITIATIVE, OWN_INITIATIVE

from jamlik.accounts import get_user
from jamlik.cycle import periods, reports, workflow
from jamlik.cycle.model import ReachCell, ReportContent
from jamlik.workspace import Workspace

PROGRAMME = "exempelstad-jamlik-stad"
# What each initiative's 2025 report said: 2026's form starts from it.
DONE_2025 = {
    OWN_INITIATIVE: "Två nya familjecentraler öppnade i Stenåsen och Norrmossen.",
    OTHER_INITIATIVE: "Läsombud i alla förskolor; bokgåvor via barnavårdscentralen.",
}
NEXT_2025 = {
    OWN_INITIATIVE: "Öppna en familjecentral i Lindhöjden.",
    OTHER_INITIATIVE: "Läsveckan flyttas till hösten.",
}
REACH_2025 = {OWN_INITIATIVE: 410, OTHER_INITIATIVE: 1250}  # people reached in Stenåsen


@dataclass(frozen=True)
class Cycle:
    last_year: int  # period ids
    this_year: int


def seed_cycle(workspace: Workspace, *, open_2026: bool = True) -> Cycle:
    """2025 reported and approved for OWN's and OTHER's initiatives; 2026 opened if asked."""
    with workspace.session() as s:
        leader = get_user(s, "leader")
        p25 = periods.open_period(
            s, leader, PROGRAMME, "Uppföljning 2025", "year", date(2025, 1, 1), date(2025, 12, 31)
        )
        for initiative, editor in (
            (OWN_INITIATIVE, "editor-own"),
            (OTHER_INITIATIVE, "editor-other"),
        ):
            who = get_user(s, editor)
            r = reports.start_report(s, who, p25.id, initiative)
            content = ReportContent(
                status="on_track",
                done=DONE_2025[initiative],
                next_steps=NEXT_2025[initiative],
                money_used_sek=1_000_000,
                reach=(ReachCell("ex-stenasen", "total", "total", REACH_2025[initiative]),),
            )
            saved = reports.save_report(s, who, r.id, r.version, content)
            version = workflow.submit(s, who, "report", r.id, version=saved.version)
            workflow.approve(s, leader, "report", r.id, version=version)
        p26 = None
        if open_2026:
            p26 = periods.open_period(
                s, leader, PROGRAMME, "Uppföljning 2026", "year", date(2026, 1, 1),
                date(2026, 12, 31),
            )  # fmt: skip
        return Cycle(p25.id, p26.id if p26 else 0)
