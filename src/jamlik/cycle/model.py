"""The follow-up cycle as the rest of jamlik sees it: frozen values read from the store.

Nothing outside `jamlik.cycle` touches the cycle's tables; pages and commands get these.
Dates are `date`s, times timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from jamlik.cycle.codes import Level


@dataclass(frozen=True)
class Period:
    """A follow-up period (uppföljningsperiod) of a programme."""

    id: int
    programme_id: str
    label: str
    kind: str  # year | tertial | half_year
    start: date
    end: date
    deadlines: dict[Level, date]  # per level, in LEVELS order (initiatives first)
    state: str  # open | closed
    created_at: datetime
    created_by: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None

    @property
    def is_open(self) -> bool:
        return self.state == "open"


@dataclass(frozen=True)
class ReachCell:
    """People reached in one district (`area`) and group (`dimension`, `subgroup`) in the
    period. The whole population of a district is the group total/total."""

    area: str
    dimension: str
    subgroup: str
    reached: int


@dataclass(frozen=True)
class Attachment:
    """A file attached to a report (without its content; `read_attachment` gives that)."""

    id: int
    report_id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by: str | None = None


@dataclass(frozen=True)
class ReportContent:
    """What a person writes in an initiative report; a save stores all of it at once.

    `reach` None leaves the stored grid as it is; a tuple (empty included) replaces it.
    `status_comment` is required (at submission) when `status` is not on_track.
    """

    status: str | None = None
    status_comment: str | None = None
    done: str | None = None
    next_steps: str | None = None
    money_used_sek: int | None = None
    reach: tuple[ReachCell, ...] | None = None


@dataclass(frozen=True)
class Report:
    """An initiative's report for one period."""

    id: int
    period_id: int
    programme_id: str
    initiative_id: str
    initiative_title: str | None
    actor_id: str | None  # the owning actor
    state: str  # draft | submitted | returned | approved
    status: str | None
    status_comment: str | None
    done: str | None
    next_steps: str | None
    money_used_sek: int | None
    budget_sek: int | None  # the initiative's budget, to compare money used with
    return_comment: str | None
    prefilled_from: int | None  # the earlier report this one started from
    version: int
    updated_at: datetime
    updated_by: str | None
    submitted_at: datetime | None
    submitted_by: str | None
    reviewed_at: datetime | None
    reviewed_by: str | None
    reach: tuple[ReachCell, ...] = ()
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class AssessmentContent:
    """What a person writes in a node assessment. `judged_reason` is required (at submission)
    when `judged_status` differs from the computed proposal."""

    analysis: str | None = None
    judgement: str | None = None
    measures: str | None = None
    judged_status: str | None = None
    judged_reason: str | None = None


@dataclass(frozen=True)
class Assessment:
    """A programme node's assessment for one period: the judged status beside the computed
    proposal of the roll-up rule (`jamlik.cycle.rollup`)."""

    id: int
    period_id: int
    programme_id: str
    node_id: str
    node_kind: str
    node_title: str | None
    actor_id: str | None  # the responsible actor (None: the process leader)
    state: str
    analysis: str | None
    judgement: str | None
    measures: str | None
    judged_status: str | None
    judged_reason: str | None
    computed_status: str | None
    computed_reason_sv: str | None
    computed_reason_en: str | None
    computed_counts: dict | None
    computed_at: datetime | None
    return_comment: str | None
    version: int
    updated_at: datetime
    updated_by: str | None
    submitted_at: datetime | None
    submitted_by: str | None
    reviewed_at: datetime | None
    reviewed_by: str | None

    @property
    def overrides_proposal(self) -> bool:
        """True when the judged status differs from the computed one."""
        return (
            self.judged_status is not None
            and self.computed_status is not None
            and self.judged_status != self.computed_status
        )


@dataclass(frozen=True)
class Action:
    """A corrective action (åtgärd): decided in `period_id`, followed up in a later period."""

    id: int
    period_id: int
    programme_id: str
    node_id: str | None
    initiative_id: str | None
    text: str
    owner_id: str | None
    due: date | None
    created_at: datetime
    created_by: str | None
    followup_period_id: int | None
    followup_done: bool | None
    followup_comment: str | None
    followed_up_at: datetime | None
    followed_up_by: str | None
    version: int


@dataclass(frozen=True)
class OverviewItem:
    """One thing a period expects: an initiative report or a node assessment, and where it is.

    `state` is missing (nothing started), draft, returned, submitted or approved; `overdue` is
    true when it is not yet submitted (missing, draft or returned) after its level's deadline.
    """

    level: Level
    kind: str  # report | assessment
    subject_id: str  # initiative or node id
    title: str
    actor_id: str | None
    actor_name: str | None
    deadline: date
    state: str
    overdue: bool
    record_id: int | None = None


@dataclass(frozen=True)
class Progress:
    """Counts of items by state (missing, draft, returned, submitted, approved) and overdue."""

    total: int = 0
    missing: int = 0
    draft: int = 0
    returned: int = 0
    submitted: int = 0
    approved: int = 0
    overdue: int = 0

    @property
    def done(self) -> int:
        """Submitted or approved."""
        return self.submitted + self.approved


@dataclass(frozen=True)
class Overview:
    """Where a period stands, per item, per actor and per level."""

    period: Period
    today: date
    items: tuple[OverviewItem, ...]
    total: Progress
    by_actor: dict[str, Progress] = field(default_factory=dict)  # "" for no actor
    by_level: dict[str, Progress] = field(default_factory=dict)


@dataclass(frozen=True)
class Reminder:
    """Who must do what by when (one line of the reminder list)."""

    actor_id: str | None
    actor_name: str | None
    emails: tuple[str, ...]
    level: Level
    kind: str
    subject_id: str
    title: str
    deadline: date
    state: str
    overdue: bool
