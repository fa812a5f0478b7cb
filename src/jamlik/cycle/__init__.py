"""The yearly follow-up cycle (issue 18): periods, initiative reports, node assessments,
corrective actions, the review workflow, the reporting overview and reminders.

Every function takes an open SQLAlchemy `session` (from `Workspace.session()`, one
transaction: a refused step leaves nothing half-written) and the acting `user` (a
`jamlik.accounts.User`; the CLI acts as an administrator named "cli:<os user>"). Every change is
recorded in the audit log (`jamlik.audit`) in the same transaction. Records are frozen
dataclasses (`jamlik.cycle.model`); codes and their Swedish/English words are in
`jamlik.cycle.codes` (`word(code, lang)`).

Periods (`periods`)::

    open_period(s, user, programme_id, label, kind, start, end, deadlines=None) -> Period
    close_period(s, user, period_id) -> Period         # locks everything in it
    reopen_period(s, user, period_id, reason) -> Period  # audited with the reason
    set_deadlines(s, user, period_id, {level: date}) -> Period
    get_period / find_period(s, programme_id, label) / list_periods(s, programme_id)
    period_span(kind, year, part) / default_label(kind, year, part) / default_deadlines(end)

Initiative reports (`reports`)::

    start_report(s, user, period_id, initiative_id) -> Report   # prefilled draft
    save_report(s, user, report_id, version, ReportContent(...)) -> Report  # CycleConflict if stale
    add_attachment(s, user, report_id, filename, bytes) / read_attachment / remove_attachment
    get_report(s, user, report_id) / list_reports(s, user, period_id=…, initiative_id=…)
    approved_reports(s, programme_id, period_id=None)   # all that readers and visitors may see

Node assessments (`assessments`; the rule in `rollup`)::

    start_assessment(s, user, period_id, node_id, indicators=None) -> Assessment
    save_assessment(s, user, assessment_id, version, AssessmentContent(...), indicators=None)
    propose(s, period_id, node_id, indicators=None) -> Rollup   # what the rule proposes now
    indicator_statuses(workspace, programme_id, year) -> {indicator: status}
    set_responsible(s, user, programme_id, node_id, actor_id | None)
    get_assessment / list_assessments / approved_assessments
    roll_up(initiatives, children, indicators, missing=0) -> Rollup   # pure

Workflow (`workflow`), for kind "report" or "assessment"::

    submit(s, user, kind, record_id, version=None) -> new version
    send_back(s, user, kind, record_id, comment, version=None)   # "returned"
    approve(s, user, kind, record_id, version=None)              # not by its submitter

Corrective actions (`actions`)::

    add_action(s, user, period_id, text, owner_id, due, node_id=…|initiative_id=…) -> Action
    follow_up_action(s, user, action_id, period_id, done, comment, version) -> Action
    list_actions(s, programme_id, period_id=None) / actions_to_follow_up(s, period_id)

Overview and reminders (`overview`, `mail`)::

    overview(s, period_id, today) -> Overview         # per item, actor and level, with counts
    reminders(s, period_id, today, overdue_only=False) -> list[Reminder]
    reminders_csv(reminders) -> str
    SmtpSettings / read_smtp(s) / write_smtp(s, user, settings)
    set_contact(s, user, actor_id, email) / contacts(s)
    send_reminders(s, user, period_id, today, settings=None) -> list[SentReminder]

Permissions: `jamlik.accounts.permissions` kinds "period", "report", "assessment", "action"
and the action "approve"; who reads which state: `access.visible_states` (readers and
visitors see approved records only). Demo: `jamlik.cycle.demo.seed_demo_cycle(session,
programme_id)`.
"""

from jamlik.cycle.codes import (
    LEVELS,
    NODE_STATUSES,
    PERIOD_KINDS,
    REPORT_STATUSES,
    WORKFLOW_STATES,
    word,
)
from jamlik.cycle.errors import CycleConflict, CycleError, NotFound, PeriodClosed, WorkflowError
from jamlik.cycle.model import (
    Action,
    Assessment,
    AssessmentContent,
    Attachment,
    Overview,
    OverviewItem,
    Period,
    Progress,
    ReachCell,
    Reminder,
    Report,
    ReportContent,
)
from jamlik.cycle.rollup import Rollup, roll_up

__all__ = [
    "LEVELS",
    "NODE_STATUSES",
    "PERIOD_KINDS",
    "REPORT_STATUSES",
    "WORKFLOW_STATES",
    "Action",
    "Assessment",
    "AssessmentContent",
    "Attachment",
    "CycleConflict",
    "CycleError",
    "NotFound",
    "Overview",
    "OverviewItem",
    "Period",
    "PeriodClosed",
    "Progress",
    "ReachCell",
    "Reminder",
    "Report",
    "ReportContent",
    "Rollup",
    "WorkflowError",
    "roll_up",
    "word",
]
