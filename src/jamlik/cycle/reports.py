"""Initiative reports per period: started prefilled, saved whole (reach grid included) with
optimistic locking, with small attachments; earlier periods stay readable.

A report starts from the same initiative's report of the previous period (`previous_period`):
its texts (what was done, next steps, the status comment) are carried forward and its reach grid
copied as a starting point; without one, the grid starts from the reach the workspace already
holds for the initiative and the period (the programme's reach records). The status and the
money used are per period and start empty: carrying a status forward invites reporting by rote.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jamlik.cycle.access import may_read, programme_published, require_write
from jamlik.cycle.codes import REPORT_STATUSES, word
from jamlik.cycle.errors import CycleError, NotFound
from jamlik.cycle.model import Attachment, ReachCell, Report, ReportContent
from jamlik.cycle.periods import previous_period
from jamlik.cycle.records import (
    claim,
    first_save,
    open_period_row,
    snapshot,
    text,
    trace,
    utcnow,
    who,
)
from jamlik.cycle.tables import AttachmentRow, ReportReachRow, ReportRow

ENTITY = "cycle_report"
MAX_ATTACHMENT = 5 * 1024 * 1024  # bytes; larger files belong in the document system
MAX_ATTACHMENTS = 20  # per report
# What an attachment may be: documents, tables and pictures a report refers to. Checked here,
# not only in the web, so no other caller can store an HTML page or a program for others to open.
ATTACHMENT_SUFFIXES = (".pdf", ".docx", ".xlsx", ".odt", ".ods", ".csv", ".txt", ".png", ".jpg",
                       ".jpeg")  # fmt: skip
MAX_REACHED = 10_000_000  # people in one cell: more is a typo
EDITABLE = ("draft", "returned")
_SAFE = re.compile(r"[^A-Za-z0-9ÅÄÖåäöÉéÜü._ -]+")


def _initiative(session: Session, initiative_id: str):
    from jamlik.programme.tables import InitiativeRow

    return session.get(InitiativeRow, initiative_id)


def report_owner(session: Session, row: ReportRow) -> str | None:
    """The actor whose editors write the report: the initiative's owner now, else the owner
    it had when the report was started (the initiative left the programme)."""
    ini = _initiative(session, row.initiative_id)
    return ini.owner_id if ini is not None and ini.owner_id else row.actor_id


def _attachments(session: Session, report_id: int) -> tuple[Attachment, ...]:
    rows = session.scalars(
        select(AttachmentRow).where(AttachmentRow.report_id == report_id).order_by(AttachmentRow.id)
    )
    return tuple(_attachment(r) for r in rows)


def _attachment(r: AttachmentRow) -> Attachment:
    return Attachment(
        id=r.id, report_id=r.report_id, filename=r.filename, media_type=r.media_type,
        size=r.size, sha256=r.sha256, uploaded_at=r.uploaded_at, uploaded_by=r.uploaded_by,
    )  # fmt: skip


def _reach(session: Session, report_id: int) -> tuple[ReachCell, ...]:
    rows = session.scalars(
        select(ReportReachRow)
        .where(ReportReachRow.report_id == report_id)
        .order_by(ReportReachRow.area_id, ReportReachRow.dimension_id, ReportReachRow.subgroup_id)
    )
    return tuple(ReachCell(r.area_id, r.dimension_id, r.subgroup_id, r.reached) for r in rows)


def to_report(session: Session, row: ReportRow) -> Report:
    ini = _initiative(session, row.initiative_id)
    return Report(
        id=row.id,
        period_id=row.period_id,
        programme_id=row.programme_id,
        initiative_id=row.initiative_id,
        initiative_title=ini.title if ini is not None else None,
        actor_id=report_owner(session, row),
        state=row.state,
        status=row.status,
        status_comment=row.status_comment,
        done=row.done,
        next_steps=row.next_steps,
        money_used_sek=row.money_used_sek,
        budget_sek=ini.budget_amount_sek if ini is not None else None,
        return_comment=row.return_comment,
        prefilled_from=row.prefilled_from,
        version=row.version,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        submitted_at=row.submitted_at,
        submitted_by=row.submitted_by,
        reviewed_at=row.reviewed_at,
        reviewed_by=row.reviewed_by,
        reach=_reach(session, row.id),
        attachments=_attachments(session, row.id),
    )


def _report_row(session: Session, report_id: int) -> ReportRow:
    row = session.get(ReportRow, report_id)
    if row is None:
        raise NotFound(f"Ingen rapport med id {report_id} / no report {report_id}.")
    return row


def _workspace_reach(session: Session, initiative_id: str, start, end) -> list[ReachCell]:
    """The programme's reach records of the initiative for exactly this period's span."""
    from jamlik.programme.periods import span
    from jamlik.programme.tables import ReachRow

    cells = []
    for r in session.scalars(select(ReachRow).where(ReachRow.initiative_id == initiative_id)):
        try:
            first, last = span(r.period)
        except ValueError:
            continue
        if (first, last) == (start, end):
            cells.append(ReachCell(r.area_id, r.dimension_id, r.subgroup_id, r.reached))
    return cells


def start_report(
    session: Session, user, period_id: int, initiative_id: str, *, now: datetime | None = None
) -> Report:
    """The initiative's report for the period, started as a prefilled draft if there is none
    yet (see the module docstring). Starting is writing: the owning actor's editors, the
    process leader or an administrator. Audited as `create cycle_report`."""
    period = open_period_row(session, period_id)
    existing = session.scalar(
        select(ReportRow).where(
            ReportRow.period_id == period_id, ReportRow.initiative_id == initiative_id
        )
    )
    ini = _initiative(session, initiative_id)
    if existing is not None:
        require_write(user, "report", report_owner(session, existing))
        return to_report(session, existing)
    if ini is None or ini.programme_id != period.programme_id:
        raise NotFound(
            f"Programmet {period.programme_id} har ingen insats {initiative_id!r} / the programme "
            "has no such initiative."
        )
    require_write(user, "report", ini.owner_id)
    at = now or utcnow()
    prev_period = previous_period(session, period_id)
    prev = None
    if prev_period is not None:
        prev = session.scalar(
            select(ReportRow).where(
                ReportRow.period_id == prev_period.id, ReportRow.initiative_id == initiative_id
            )
        )
    row = ReportRow(
        period_id=period_id,
        programme_id=period.programme_id,
        initiative_id=initiative_id,
        actor_id=ini.owner_id,
        state="draft",
        status_comment=prev.status_comment if prev else None,
        done=prev.done if prev else None,
        next_steps=prev.next_steps if prev else None,
        prefilled_from=prev.id if prev else None,
        version=1,
        updated_at=at,
        updated_by=who(user),
    )
    session.add(row)
    first_save(session, "rapporten", "report")
    cells = (
        list(_reach(session, prev.id))
        if prev is not None
        else _workspace_reach(session, initiative_id, period.start_date, period.end_date)
    )
    for c in cells:
        session.add(ReportReachRow(report_id=row.id, area_id=c.area, dimension_id=c.dimension,
                                   subgroup_id=c.subgroup, reached=c.reached))  # fmt: skip
    session.flush()
    trace(session, user, "create", ENTITY, row.id, None,
          {**snapshot(row), "reach_cells": len(cells)}, now=at)  # fmt: skip
    return to_report(session, row)


def check_reach(session: Session, cells: tuple[ReachCell, ...]) -> list[str]:
    """Problems with a reach grid, one line each naming the cell (empty when it is fine)."""
    from jamlik.data.tables import AreaRow, SubgroupRow

    problems: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    areas = set(session.scalars(select(AreaRow.id)))
    groups = {(d, g) for d, g in session.execute(select(SubgroupRow.dimension_id, SubgroupRow.id))}
    for n, c in enumerate(cells, start=1):
        where = f"cell {n} ({c.area} × {c.dimension}/{c.subgroup})"
        key = (c.area, c.dimension, c.subgroup)
        if key in seen:
            problems.append(f"{where}: finns två gånger / appears twice")
        seen.add(key)
        if c.area not in areas:
            problems.append(f"{where}: okänt område / unknown area {c.area!r}")
        if (c.dimension, c.subgroup) not in groups:
            problems.append(f"{where}: okänd grupp / unknown group {c.dimension!r}/{c.subgroup!r}")
        if isinstance(c.reached, bool) or not isinstance(c.reached, int):
            problems.append(
                f"{where}: antalet ska vara ett heltal / reached must be a whole number"
            )
        elif not 0 <= c.reached <= MAX_REACHED:
            problems.append(
                f"{where}: antalet {c.reached} ska vara mellan 0 och {MAX_REACHED} / reached must "
                f"be between 0 and {MAX_REACHED}"
            )
    return problems


def _editable(session: Session, user, row: ReportRow) -> None:
    open_period_row(session, row.period_id)
    require_write(user, "report", report_owner(session, row))
    if row.state not in EDITABLE:
        raise CycleError(
            f"Rapporten är {word(row.state)} och kan inte ändras; processledaren kan skicka "
            f"tillbaka den. / The report is {row.state} and cannot be changed; the process "
            "leader may return it."
        )


def save_report(
    session: Session,
    user,
    report_id: int,
    version: int,
    content: ReportContent,
    *,
    now: datetime | None = None,
) -> Report:
    """Store a draft or returned report's content in one save (texts, money, reach grid).
    `version` is the one the form was opened at: a stale save raises `CycleConflict` and
    changes nothing. Audited as `edit cycle_report`."""
    row = _report_row(session, report_id)
    _editable(session, user, row)
    status = content.status or None
    if status is not None and status not in REPORT_STATUSES:
        raise CycleError(
            f"Okänd status {status!r} / unknown status: choose one of {', '.join(REPORT_STATUSES)}."
        )
    if content.money_used_sek is not None and (
        isinstance(content.money_used_sek, bool)
        or not isinstance(content.money_used_sek, int)
        or content.money_used_sek < 0
    ):
        raise CycleError(
            "Använda medel ska vara ett heltal kronor, 0 eller mer / money used must be whole "
            "kronor, 0 or more."
        )
    values = {
        "status": status,
        "status_comment": text(content.status_comment, "status_comment"),
        "done": text(content.done, "done"),
        "next_steps": text(content.next_steps, "next_steps"),
        "money_used_sek": content.money_used_sek,
    }
    if content.reach is not None:
        problems = check_reach(session, tuple(content.reach))
        if problems:
            raise CycleError(
                "Nåendet kunde inte sparas; inget har sparats / the reach grid was not saved, "
                "nothing was: " + "; ".join(problems)
            )
    before = {**snapshot(row), "reach": [c.__dict__ for c in _reach(session, row.id)]}
    claim(session, ReportRow, ENTITY, row.id, version)
    at = now or utcnow()
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_at, row.updated_by = at, who(user)
    if content.reach is not None:
        session.execute(delete(ReportReachRow).where(ReportReachRow.report_id == row.id))
        for c in content.reach:
            session.add(ReportReachRow(report_id=row.id, area_id=c.area, dimension_id=c.dimension,
                                       subgroup_id=c.subgroup, reached=c.reached))  # fmt: skip
    session.flush()
    after = {**snapshot(row), "reach": [c.__dict__ for c in _reach(session, row.id)]}
    trace(session, user, "edit", ENTITY, row.id, before, after, now=at)
    return to_report(session, row)


def check_submittable(row: ReportRow) -> list[str]:
    """What a report lacks before it can be submitted."""
    problems = []
    if row.status is None:
        problems.append("status saknas / status is missing")
    elif row.status != "on_track" and not row.status_comment:
        problems.append(
            f"status {word(row.status)} kräver en kommentar / status {row.status} needs a comment"
        )
    return problems


def get_report(session: Session, user, report_id: int) -> Report:
    """One report, if `user` may read it in its state (`NotFound` otherwise, so a draft's
    existence is not revealed)."""
    row = _report_row(session, report_id)
    if not may_read(user, report_owner(session, row), row.state,
                    published=programme_published(session, row.programme_id)):  # fmt: skip
        raise NotFound(f"Ingen rapport med id {report_id} / no report {report_id}.")
    return to_report(session, row)


def list_reports(
    session: Session,
    user,
    *,
    programme_id: str | None = None,
    period_id: int | None = None,
    initiative_id: str | None = None,
) -> list[Report]:
    """The reports `user` may read (drafts only to those who may write them; readers and
    visitors approved ones only), oldest period first: an initiative's history side by side."""
    from jamlik.cycle.tables import PeriodRow

    query = select(ReportRow).join(PeriodRow, PeriodRow.id == ReportRow.period_id)
    if programme_id is not None:
        query = query.where(ReportRow.programme_id == programme_id)
    if period_id is not None:
        query = query.where(ReportRow.period_id == period_id)
    if initiative_id is not None:
        query = query.where(ReportRow.initiative_id == initiative_id)
    query = query.order_by(PeriodRow.end_date, ReportRow.initiative_id)
    published: dict[str, bool] = {}
    out = []
    for row in session.scalars(query):
        if row.programme_id not in published:
            published[row.programme_id] = programme_published(session, row.programme_id)
        if may_read(user, report_owner(session, row), row.state,
                    published=published[row.programme_id]):  # fmt: skip
            out.append(to_report(session, row))
    return out


def approved_reports(
    session: Session, programme_id: str, period_id: int | None = None
) -> list[Report]:
    """Only approved reports: what readers, visitors and the published report may show."""
    query = select(ReportRow).where(
        ReportRow.programme_id == programme_id, ReportRow.state == "approved"
    )
    if period_id is not None:
        query = query.where(ReportRow.period_id == period_id)
    return [to_report(session, r) for r in session.scalars(query.order_by(ReportRow.id))]


def safe_filename(name: str) -> str:
    """A file name safe to store and to offer for download: no folders, no control or
    shell-special characters, at most 120 characters, never empty or hidden."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = _SAFE.sub("_", base).strip(" ._")
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 119 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else base[:120]
    return base or "bilaga"


def add_attachment(
    session: Session,
    user,
    report_id: int,
    filename: str,
    content: bytes,
    media_type: str | None = None,
    *,
    now: datetime | None = None,
) -> Attachment:
    """Attach a small file (at most `MAX_ATTACHMENT` bytes) to a draft or returned report.
    The name is made safe (`safe_filename`). Audited as `attach`."""
    row = _report_row(session, report_id)
    _editable(session, user, row)
    if not isinstance(content, bytes | bytearray):
        raise CycleError("Bilagan ska vara en fil / the attachment must be a file's bytes.")
    if len(content) > MAX_ATTACHMENT:
        raise CycleError(
            f"Filen {filename!r} är {len(content)} byte; högst {MAX_ATTACHMENT} byte (5 MB) går "
            f"att bifoga / the file is larger than 5 MB: link to it in the text instead."
        )
    count = len(_attachments(session, report_id))
    if count >= MAX_ATTACHMENTS:
        raise CycleError(
            f"Rapporten har redan {count} bilagor, högst {MAX_ATTACHMENTS} / too many attachments."
        )
    name = safe_filename(filename)
    if not name.lower().endswith(ATTACHMENT_SUFFIXES):
        allowed = ", ".join(ATTACHMENT_SUFFIXES)
        raise CycleError(
            f"Filen {name!r} kan inte bifogas; tillåtna filtyper: {allowed} / this type of file "
            f"cannot be attached; allowed: {allowed}."
        )
    kind = media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    at = now or utcnow()
    att = AttachmentRow(
        report_id=report_id, filename=name, media_type=kind[:100], size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), content=bytes(content), uploaded_at=at,
        uploaded_by=who(user),
    )  # fmt: skip
    session.add(att)
    session.flush()
    trace(session, user, "attach", ENTITY, report_id, None,
          snapshot(att, exclude=("content",)), now=at)  # fmt: skip
    return _attachment(att)


def read_attachment(session: Session, user, attachment_id: int) -> tuple[Attachment, bytes]:
    """An attachment and its bytes, if `user` may read its report."""
    att = session.get(AttachmentRow, attachment_id)
    if att is None:
        raise NotFound(f"Ingen bilaga med id {attachment_id} / no attachment {attachment_id}.")
    get_report(session, user, att.report_id)
    return _attachment(att), bytes(att.content)


def remove_attachment(session: Session, user, attachment_id: int, *, now=None) -> None:
    """Remove an attachment from a draft or returned report (audited as `detach`)."""
    att = session.get(AttachmentRow, attachment_id)
    if att is None:
        raise NotFound(f"Ingen bilaga med id {attachment_id} / no attachment {attachment_id}.")
    _editable(session, user, _report_row(session, att.report_id))
    before = snapshot(att, exclude=("content",))
    session.delete(att)
    session.flush()
    trace(session, user, "detach", ENTITY, att.report_id, before, None, now=now)


@dataclass(frozen=True)
class ReachAxes:
    """The rows and columns of a report's reach grid: districts × groups."""

    areas: tuple[tuple[str, str], ...]  # (area id, name)
    groups: tuple[tuple[str, str, str], ...]  # (dimension id, subgroup id, title)


def reach_axes(
    session: Session,
    initiative_id: str,
    report_id: int | None = None,
    dimensions: tuple[str, ...] = (),
) -> ReachAxes:
    """The grid a form shows for an initiative's report. Rows: the areas the initiative runs in
    (the programme's `areas`), else every district. Columns: the whole population (total),
    every group the report's grid or the initiative's stored reach already uses, and every
    subgroup of `dimensions` (e.g. ("sex",)), in the definitions' order."""
    from jamlik.data.tables import AreaRow, SubgroupRow
    from jamlik.programme.tables import InitiativeAreaRow, ReachRow

    names = {a.id: a.name for a in session.scalars(select(AreaRow))}
    own = list(session.scalars(
        select(InitiativeAreaRow.area_id).where(InitiativeAreaRow.initiative_id == initiative_id)
        .order_by(InitiativeAreaRow.position)
    ))  # fmt: skip
    if not own:
        own = list(session.scalars(
            select(AreaRow.id).where(AreaRow.level == "district").order_by(AreaRow.name)
        ))  # fmt: skip
    used: set[tuple[str, str]] = {("total", "total")}
    used |= {(d, g) for d, g in session.execute(
        select(ReachRow.dimension_id, ReachRow.subgroup_id).where(
            ReachRow.initiative_id == initiative_id)
    )}  # fmt: skip
    if report_id is not None:
        used |= {(c.dimension, c.subgroup) for c in _reach(session, report_id)}
    subgroups = session.scalars(
        select(SubgroupRow).order_by(
            SubgroupRow.dimension_id != "total", SubgroupRow.dimension_id,
            SubgroupRow.subgroup_order, SubgroupRow.id,
        )
    )  # fmt: skip
    groups = tuple(
        (s.dimension_id, s.id, s.title)
        for s in subgroups
        if (s.dimension_id, s.id) in used or s.dimension_id in dimensions
    )
    return ReachAxes(tuple((a, names.get(a, a)) for a in own), groups)
