"""Route x role rows for the follow-up cycle (issue 18, jamlik.web.routes.cycle).

Periods, the overview and the report and assessment pages answer every role: what a page
shows depends on the viewer (readers and visitors see approved reports only, and a report
they may not see is answered 404 like one that does not exist: test_web_cycle.py proves it
with a visitor asking for a draft). Opening, closing, reopening, reminders and review are
for the process leader (and administrators). A report is written by the editors of the
initiative's owner, the process leader and administrators; an assessment and its corrective
actions by the process leader and administrators (the demo names no responsible actor for a
node). The walk's POST carries only a CSRF token, so an allowed role stops at validation.
"""

from accounts_site import LEADERS

SAMPLE = {"period_id": "2026", "attachment_id": "1", "action_id": "1"}
REPORTERS = LEADERS | {"editor-own"}  # the sample initiative (SAMPLE["initiative_id"]) is OWN's

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/followup"): frozenset(
        {"public", "reader", "editor-own", "editor-other", "analyst", "admin", "leader"}
    ),
    ("POST", "/followup"): LEADERS,
    ("GET", "/followup/{period_id}"): frozenset(
        {"public", "reader", "editor-own", "editor-other", "analyst", "admin", "leader"}
    ),
    ("GET", "/followup/{period_id}/reminders.csv"): LEADERS,
    ("POST", "/followup/{period_id}/reminders"): LEADERS,
    ("POST", "/followup/{period_id}/close"): LEADERS,
    ("POST", "/followup/{period_id}/reopen"): LEADERS,
    ("GET", "/followup/{period_id}/initiatives/{initiative_id}"): frozenset(
        {"public", "reader", "editor-own", "editor-other", "analyst", "admin", "leader"}
    ),
    ("POST", "/followup/{period_id}/initiatives/{initiative_id}"): REPORTERS,
    ("POST", "/followup/{period_id}/initiatives/{initiative_id}/review"): LEADERS,
    ("POST", "/followup/{period_id}/initiatives/{initiative_id}/attachments"): REPORTERS,
    (
        "GET",
        "/followup/{period_id}/initiatives/{initiative_id}/attachments/{attachment_id}",
    ): frozenset({"public", "reader", "editor-own", "editor-other", "analyst", "admin", "leader"}),
    ("GET", "/followup/{period_id}/nodes/{node_id}"): frozenset(
        {"public", "reader", "editor-own", "editor-other", "analyst", "admin", "leader"}
    ),
    ("POST", "/followup/{period_id}/nodes/{node_id}"): LEADERS,
    ("POST", "/followup/{period_id}/nodes/{node_id}/review"): LEADERS,
    ("POST", "/followup/{period_id}/nodes/{node_id}/actions"): LEADERS,
    ("POST", "/followup/{period_id}/nodes/{node_id}/actions/{action_id}"): LEADERS,
}
