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
    reach_axes(s, initiative_id, report_id=None, dimensions=()) -> ReachAxes  # the grid's rows/columns

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
                                                      # (a node is asked for only with something to weigh)
    reminders(s, period_id, today, overdue_only=False) -> list[Reminder]
    reminders_csv(reminders) -> str
    SmtpSettings / read_smtp(s) / write_smtp(s, user, settings)
    set_contact(s, user, actor_id, email) / contacts(s)
    send_reminders(s, user, period_id, today, settings=None) -> ReminderRun(sent, skipped)

Statuses: reports use REPORT_STATUSES (on_track, at_risk, delayed, completed, cancelled,
not_assessable); node assessments NODE_STATUSES (good, partly, not, not_assessable), see
`codes`. Workflow states: draft, submitted, returned, approved; `OverviewItem.state` adds
"missing".

Permissions: `jamlik.accounts.permissions` kinds "period", "report", "assessment", "action"
and the action "approve"; who reads which state: `access.visible_states` (readers and
visitors see approved records only). Demo: `jamlik.cycle.demo.seed_demo_cycle(session,
programme_id)`.
"""

from jamlik.cycle.access import visible_states
from jamlik.cycle.actions import actions_to_follow_up, add_action, follow_up_action, list_actions
from jamlik.cycle.assessments import (
    approved_assessments,
    get_assessment,
    indicator_statuses,
    list_assessments,
    propose,
    save_assessment,
    set_responsible,
    start_assessment,
)
from jamlik.cycle.codes import (
    LEVELS,
    NODE_STATUSES,
    PERIOD_KINDS,
    REPORT_STATUSES,
    WORKFLOW_STATES,
    word,
)
from jamlik.cycle.errors import CycleConflict, CycleError, NotFound, PeriodClosed, WorkflowError
from jamlik.cycle.mail import (
    ReminderRun,
    SentReminder,
    SmtpSettings,
    read_smtp,
    send_reminders,
    set_contact,
    write_smtp,
)
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
from jamlik.cycle.overview import contacts, overview, reminders, reminders_csv
from jamlik.cycle.periods import (
    close_period,
    default_deadlines,
    default_label,
    find_period,
    get_period,
    list_periods,
    open_period,
    period_span,
    previous_period,
    reopen_period,
    set_deadlines,
)
from jamlik.cycle.reports import (
    ReachAxes,
    add_attachment,
    approved_reports,
    get_report,
    list_reports,
    reach_axes,
    read_attachment,
    remove_attachment,
    save_report,
    start_report,
)
from jamlik.cycle.rollup import Rollup, roll_up
from jamlik.cycle.workflow import approve, send_back, submit

__all__ = [
    "Action",
    "Assessment",
    "AssessmentContent",
    "Attachment",
    "CycleConflict",
    "CycleError",
    "LEVELS",
    "NODE_STATUSES",
    "NotFound",
    "Overview",
    "OverviewItem",
    "PERIOD_KINDS",
    "Period",
    "PeriodClosed",
    "Progress",
    "REPORT_STATUSES",
    "ReachAxes",
    "ReachCell",
    "Reminder",
    "ReminderRun",
    "Report",
    "ReportContent",
    "Rollup",
    "SentReminder",
    "SmtpSettings",
    "WORKFLOW_STATES",
    "WorkflowError",
    "actions_to_follow_up",
    "add_action",
    "add_attachment",
    "approve",
    "approved_assessments",
    "approved_reports",
    "close_period",
    "contacts",
    "default_deadlines",
    "default_label",
    "find_period",
    "follow_up_action",
    "get_assessment",
    "get_period",
    "get_report",
    "indicator_statuses",
    "list_actions",
    "list_assessments",
    "list_periods",
    "list_reports",
    "open_period",
    "overview",
    "period_span",
    "previous_period",
    "propose",
    "reach_axes",
    "read_attachment",
    "read_smtp",
    "reminders",
    "reminders_csv",
    "remove_attachment",
    "reopen_period",
    "roll_up",
    "save_assessment",
    "save_report",
    "send_back",
    "send_reminders",
    "set_contact",
    "set_deadlines",
    "set_responsible",
    "start_assessment",
    "start_report",
    "submit",
    "visible_states",
    "word",
    "write_smtp",
]
