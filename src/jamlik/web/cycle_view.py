"""The follow-up cycle's pages as facts, and the form handling behind them (over `jamlik.cycle`).

Everything a page states comes from the domain: periods, reports, assessments, the overview and
the roll-up proposal. This module turns them into facts (ids, words in the reader's language,
links) and typed form values into the domain's content objects, naming every field a value
was refused for. Visibility is the domain's (`jamlik.cycle.access`): what the viewer may not
read is answered 404, as what does not exist.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from jamlik.accounts import NotAllowed, Resource, can
from jamlik.cycle import assessments as cycle_assessments
from jamlik.cycle import periods as cycle_periods
from jamlik.cycle import reports as cycle_reports
from jamlik.cycle import workflow
from jamlik.cycle.access import may_read
from jamlik.cycle.codes import ASSESSED_KINDS, LEVELS, NODE_STATUSES, REPORT_STATUSES, word
from jamlik.cycle.errors import CycleConflict, CycleError, NotFound
from jamlik.cycle.model import (
    Assessment,
    AssessmentContent,
    Period,
    ReachCell,
    Report,
    ReportContent,
)
from jamlik.cycle.scope import responsible
from jamlik.data.models import TOTAL
from jamlik.web.admin_view import LOCAL_ZONE, when
from jamlik.web.context import PageContext
from jamlik.web.form_values import day, shown, whole
from jamlik.web.refs import actor_ref, indicator_ref, initiative_href, node_ref
from jamlik.web.uploads import clean_name

__all__ = ["CycleError"]
GRID_DIMENSION = "sex"  # the group a reach grid breaks the districts down by, beside the total
MAX_MONEY = 10**12  # kronor: more is a typo
# Attachments are served as downloads; only these types keep their own media type.
SAFE_MEDIA = frozenset({"application/pdf", "text/csv", "text/plain", "image/png", "image/jpeg",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})  # fmt: skip


@dataclass
class Outcome:
    """What a form's POST came to: `done` names the step for the notice after the redirect."""

    done: str = ""
    problems: list[dict[str, str | None]] = field(default_factory=list)
    conflict: bool = False


def period_href(period_id: int) -> str:
    return f"/followup/{period_id}"


def report_href(period_id: int, initiative_id: str) -> str:
    return f"{period_href(period_id)}/initiatives/{quote(initiative_id)}"


def assessment_href(period_id: int, node_id: str) -> str:
    return f"{period_href(period_id)}/nodes/{quote(node_id)}"


def _word(ctx: PageContext, code: str | None) -> dict[str, str] | None:
    if code is None:
        return None
    label = word(code, ctx.lang)
    return {"code": code, "label": label[:1].upper() + label[1:]}


def _not_found(ctx: PageContext) -> HTTPException:
    return HTTPException(404, ctx.t("cycle.not_found"))


def _session(ctx: PageContext):
    return ctx.settings.workspace.session()


def _user(ctx: PageContext):
    return ctx.viewer.user


def period_ref(ctx: PageContext, p: Period) -> dict[str, Any]:
    return {
        "id": p.id,
        "label": p.label,
        "href": period_href(p.id),
        "kind": _word(ctx, p.kind),
        "start": p.start,
        "end": p.end,
        "state": _word(ctx, p.state),
        "locked": not p.is_open,
        "closed_at": when(p.closed_at),
        "deadlines": [{"level": _word(ctx, lv), "due": p.deadlines[lv]} for lv in LEVELS],
    }


def _period(ctx: PageContext, session, period_id: int) -> Period:
    """The period, when it belongs to the programme the site shows (404 otherwise)."""
    try:
        period = cycle_periods.get_period(session, period_id)
    except NotFound:
        raise _not_found(ctx) from None
    if period.programme_id != ctx.snap.programme.id:
        raise _not_found(ctx)
    return period


# --- periods ------------------------------------------------------------------------------


def periods_facts(ctx: PageContext) -> dict[str, Any]:
    from jamlik.cycle.overview import overview

    with _session(ctx) as session:
        periods = cycle_periods.list_periods(session, ctx.snap.programme.id)
        rows = []
        for p in periods:
            progress = overview(session, p.id, today()).total
            rows.append({**period_ref(ctx, p), "progress": _progress(progress)})
    return {"periods": rows, "may_open": can(_user(ctx), "create", Resource("period"))}


def open_period(ctx: PageContext, year: int, kind: str, part: str) -> Period:
    number = whole(part, 1, 3) or 1
    start, end = cycle_periods.period_span(kind, year, number)
    label = cycle_periods.default_label(kind, year, number)
    with _session(ctx) as session:
        return cycle_periods.open_period(
            session, _user(ctx), ctx.snap.programme.id, label, kind, start, end
        )


def _progress(p) -> dict[str, int]:
    return {k: getattr(p, k) for k in
            ("total", "missing", "draft", "returned", "submitted", "approved", "overdue")}  # fmt: skip


NOTICES = {
    "opened": "cycle.opened_notice",
    "closed": "cycle.closed",
    "reopened": "cycle.reopened",
    "sent": "cycle.reminders_sent",
    "started": "cycle.started",
    "saved": "cycle.saved",
    "submitted": "cycle.submitted",
    "returned": "cycle.returned",
    "approved": "cycle.approved",
    "attached": "cycle.attached",
    "action_added": "cycle.action_added",
    "action_saved": "cycle.action_saved",
}


def notice(ctx: PageContext, done: str | None) -> str | None:
    """The line a page shows after a step redirected to it (`?done=`); unknown steps none."""
    if done not in NOTICES:
        return None
    query = ctx.request.query_params
    n = whole(query.get("n", "0"), 0, 10**6) or 0
    skipped = whole(query.get("skipped", "0"), 0, 10**6) or 0
    text = ctx.t(NOTICES[done], n=n)
    return text + (" " + ctx.t("cycle.reminders_skipped", n=skipped) if skipped else "")


def period_facts(ctx: PageContext, period_id: int) -> dict[str, Any]:
    from jamlik.cycle.overview import overview

    user = _user(ctx)
    leader = can(user, "edit", Resource("period"))
    published = ctx.snap.programme.published
    with _session(ctx) as session:
        period = _period(ctx, session, period_id)
        ov = overview(session, period.id, today())
        reminders = len(_reminders(session, period)) if leader and period.is_open else 0
    items = []
    for item in ov.items:
        readable = may_read(user, item.actor_id, item.state, published=published)
        if user is None and not readable:
            continue  # visitors see approved reports and assessments only
        href = (
            report_href(period.id, item.subject_id)
            if item.kind == "report"
            else assessment_href(period.id, item.subject_id)
        )
        writes = can(user, "edit", Resource(item.kind, owner=item.actor_id))  # type: ignore[arg-type]
        items.append({
            "id": item.subject_id,
            "kind": item.kind,
            "title": item.title,
            "level": _word(ctx, item.level),
            "actor": {"id": item.actor_id, "name": item.actor_name} if item.actor_id else None,
            "due": item.deadline,
            "overdue": item.overdue,
            "state": _word(ctx, item.state),
            # A link where the viewer can read or start the record.
            "href": href if readable or writes or leader else None,
        })  # fmt: skip
    actors = []
    if user is not None:
        for actor_id, progress in sorted(ov.by_actor.items(), key=lambda kv: _name(ctx, kv[0])):
            actors.append({"id": actor_id or None, "name": _name(ctx, actor_id),
                           "counts": _progress(progress)})  # fmt: skip
    return {
        "period": period_ref(ctx, period),
        "notice": notice(ctx, ctx.request.query_params.get("done")),
        "progress": _progress(ov.total),
        "actors": actors,
        "all_items": user is not None,
        "records": items,
        "reminders": reminders,
        "may": {
            "remind": leader and period.is_open,
            "close": leader and period.is_open,
            "reopen": leader and not period.is_open,
        },
    }


def _name(ctx: PageContext, actor_id: str | None) -> str:
    if not actor_id:
        return ctx.t("cycle.process_leader")
    ref = actor_ref(ctx.t, ctx.snap, actor_id)
    return ref["name"] if ref else actor_id


def today() -> date:
    """Today in Swedish time: deadlines are Swedish days."""
    return datetime.now(LOCAL_ZONE).date()


def _reminders(session, period: Period) -> list:
    from jamlik.cycle.overview import reminders

    return reminders(session, period.id, today())


def reminder_csv(ctx: PageContext, period_id: int) -> tuple[bytes, str]:
    """The reminder list as CSV (`jamlik.cycle.overview.reminders_csv`), with a byte-order
    mark so that Excel reads it as UTF-8."""
    from jamlik.cycle.overview import reminders_csv

    with _session(ctx) as session:
        period = _period(ctx, session, period_id)
        found = _reminders(session, period)
    # An ASCII file name (a header carries it): "Uppföljning 2026" -> "uppfoljning-2026".
    plain = unicodedata.normalize("NFKD", period.label).encode("ascii", "ignore").decode()
    safe = "-".join("".join(c if c.isalnum() else " " for c in plain).split()).lower()
    return ("\ufeff" + reminders_csv(found)).encode("utf-8"), f"paminnelser-{safe}.csv"


def send_reminders(ctx: PageContext, period_id: int) -> tuple[int, int]:
    """Send the period's reminders by e-mail: (messages sent, actors skipped)."""
    from jamlik.cycle.mail import send_reminders as send

    with _session(ctx) as session:
        period = _period(ctx, session, period_id)
        run = send(session, _user(ctx), period.id, today())
    return len(run.sent), len(run.skipped)


def close_period(ctx: PageContext, period_id: int) -> None:
    with _session(ctx) as session:
        cycle_periods.close_period(session, _user(ctx), _period(ctx, session, period_id).id)


def reopen_period(ctx: PageContext, period_id: int, reason: str) -> None:
    with _session(ctx) as session:
        period = _period(ctx, session, period_id)
        cycle_periods.reopen_period(session, _user(ctx), period.id, reason)


# --- initiative reports -------------------------------------------------------------------


def _grid(ctx: PageContext, *cells: tuple[ReachCell, ...]) -> tuple[list, list]:
    """The reach grid's rows (districts) and columns (groups): the whole group, the
    subgroups of GRID_DIMENSION, and any other group the report already has figures for."""
    areas = [{"id": a.id, "name": a.name} for a in ctx.snap.districts]
    known = {a["id"] for a in areas}
    for c in (c for group in cells for c in group):
        if c.area not in known:  # a district since removed: its figures stay in sight
            areas.append({"id": c.area, "name": c.area})
            known.add(c.area)
    groups = [(TOTAL, TOTAL)]
    dim = ctx.snap.dimensions.get(GRID_DIMENSION)
    if dim is not None:
        groups += [(dim.id, s.id) for s in dim.subgroups]
    for c in (c for group in cells for c in group):
        if (c.dimension, c.subgroup) not in groups:
            groups.append((c.dimension, c.subgroup))
    return areas, [_group(ctx, d, s) for d, s in groups]


def _group(ctx: PageContext, dimension: str, subgroup: str) -> dict[str, str]:
    if dimension == TOTAL:
        label = ctx.t("common.total")
    else:
        dim = ctx.snap.dimensions.get(dimension)
        sub = next((s for s in dim.subgroups if s.id == subgroup), None) if dim else None
        label = ctx.t.pick(sub.title, sub.title_en) if sub else f"{dimension}/{subgroup}"
    return {"code": f"{dimension}/{subgroup}", "dimension": dimension, "subgroup": subgroup,
            "label": label}  # fmt: skip


def _cells(cells: tuple[ReachCell, ...]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for c in cells:
        out.setdefault(c.area, {})[f"{c.dimension}/{c.subgroup}"] = c.reached
    return out


def _values(r: Report) -> dict[str, Any]:
    return {
        "status": _word_plain(r.status),
        "status_comment": r.status_comment,
        "done": r.done,
        "next_steps": r.next_steps,
        "money_used": r.money_used_sek,
        "reach": _cells(r.reach),
    }


def _word_plain(code: str | None) -> str | None:
    return code


def _shown_values(ctx: PageContext, values: dict[str, Any], protect: bool = True) -> dict[str, Any]:
    """Stored values as a read-only block shows them: the status with its word, and with
    `protect` the reach grid's small counts hidden as every other page hides them."""
    reach = _protected(values["reach"], ctx.settings.min_population) if protect else values["reach"]
    return {**values, "status": _word(ctx, values["status"]), "reach": reach}


def _protected(reach: dict[str, dict[str, Any]], limit: int) -> dict[str, dict[str, Any]]:
    """Counts from 1 to `limit` - 1 become "hidden"; so does every other group of the same
    dimension in that district (with the total beside them, one hidden group could be
    recovered from the others)."""
    out = {}
    for area, row in reach.items():
        small = {
            code.split("/")[0] for code, n in row.items() if isinstance(n, int) and 0 < n < limit
        }
        out[area] = {
            code: "hidden" if code.split("/")[0] in small and code != f"{TOTAL}/{TOTAL}" else n
            for code, n in row.items()
        }
        if f"{TOTAL}/{TOTAL}" in small:
            out[area][f"{TOTAL}/{TOTAL}"] = "hidden"
    return out


def _find_report(session, user, period_id: int, initiative_id: str) -> Report | None:
    found = cycle_reports.list_reports(
        session, user, period_id=period_id, initiative_id=initiative_id
    )
    return found[0] if found else None


def _initiative(ctx: PageContext, initiative_id: str):
    try:
        return ctx.snap.programme.initiative(initiative_id)
    except KeyError:
        raise _not_found(ctx) from None


def report_facts(
    ctx: PageContext,
    period_id: int,
    initiative_id: str,
    *,
    typed: dict[str, Any] | None = None,
    problems=(),
    conflict: bool = False,
    review_comment: str = "",
    done: str | None = None,
) -> dict[str, Any]:
    user = _user(ctx)
    it = _initiative(ctx, initiative_id)
    writes = can(user, "edit", Resource("report", owner=it.owner))
    with _session(ctx) as session:
        period = _period(ctx, session, period_id)
        report = _find_report(session, user, period.id, it.id)
        if report is None and not writes:
            raise _not_found(ctx)  # a draft or nothing: the same answer
        before = cycle_periods.previous_period(session, period.id)
        earlier = _find_report(session, user, before.id, it.id) if before else None
    open_ = period.is_open
    state = report.state if report else "missing"
    editable = writes and open_ and state in cycle_reports.EDITABLE
    reviewable = can(user, "approve", Resource("report")) and open_ and state == "submitted"
    stored = _values(report) if report else None
    # What was typed goes back into the form; a page without the form shows what is stored.
    values = typed if typed is not None and editable else stored or _empty_values()
    areas, groups = _grid(ctx, report.reach if report else (), earlier.reach if earlier else ())
    return {
        "period": period_ref(ctx, period),
        "href": report_href(period.id, it.id),
        "notice": notice(ctx, done),
        "initiative": {
            "id": it.id,
            "title": ctx.t.pick(it.title, it.title_en),
            "href": initiative_href(it.id),
            "owner": actor_ref(ctx.t, ctx.snap, it.owner),
            "budget_sek": it.budget.amount_sek if it.budget else None,
        },
        "report": {
            "id": report.id if report else None,
            "state": _word(ctx, state),
            "version": report.version if report else None,
            "due": period.deadlines["initiative"],
            "returned_comment": report.return_comment if report and state == "returned" else None,
            "prefilled_from": report.prefilled_from if report else None,
            # Account names are for signed-in readers only.
            "submitted": _step(report.submitted_at, report.submitted_by)
            if report and user
            else None,
            "reviewed": _step(report.reviewed_at, report.reviewed_by) if report and user else None,
        },
        "may_start": writes and open_ and report is None,
        "editable": editable,
        "reviewable": reviewable,
        "prefilled": bool(report and report.prefilled_from and earlier and report.version == 1),
        # The report's writers see their own figures whole; everyone else as any page shows them.
        "form": values if editable else _shown_values(ctx, values, protect=not writes),
        "stored": _shown_values(ctx, stored, protect=False) if conflict and stored else None,
        "statuses": [_word(ctx, s) for s in REPORT_STATUSES],
        "grid": {"areas": areas, "groups": groups},
        "previous": {
            "label": before.label,
            "href": report_href(before.id, it.id),
            "report": _shown_values(ctx, _values(earlier), protect=not writes) if earlier else None,
        }
        if before
        else None,
        "attachments": [
            {
                "id": a.id,
                "name": a.filename,
                "size": a.size,
                "media_type": a.media_type,
                "href": f"{report_href(period.id, it.id)}/attachments/{a.id}",
            }
            for a in (report.attachments if report else ())
        ],  # fmt: skip
        "attachment_limit_mb": cycle_reports.MAX_ATTACHMENT // 2**20,
        "problems": list(problems),
        "invalid": sorted({p["field"] for p in problems if p.get("field")}),
        "conflict": conflict,
        "review_comment": review_comment,
    }


def _step(at, by) -> dict[str, Any] | None:
    return {"when": when(at), "who": by} if at else None


def _empty_values() -> dict[str, Any]:
    return {"status": None, "status_comment": None, "done": None, "next_steps": None,
            "money_used": None, "reach": {}}  # fmt: skip


def report_form(ctx: PageContext, form: FormData) -> dict[str, Any]:
    """What the report form sent, as typed (shown again when it is refused)."""
    areas, groups = _grid(ctx)
    reach: dict[str, dict[str, str]] = {}
    for key, value in form.multi_items():
        if not key.startswith("reach-") or not isinstance(value, str) or not value.strip():
            continue
        area, _, group = key.removeprefix("reach-").partition("|")
        reach.setdefault(area, {})[group] = value.strip()
    text = {k: str(form.get(k) or "").strip() for k in
            ("status", "status_comment", "done", "next_steps", "money_used")}  # fmt: skip
    return {**text, "status": text["status"] or None, "reach": reach}


def _content(
    ctx: PageContext, typed: dict[str, Any], submitting: bool
) -> tuple[ReportContent | None, list]:
    t = ctx.t
    problems: list[dict[str, str | None]] = []
    status = typed["status"]
    if status is not None and status not in REPORT_STATUSES:
        problems.append({"field": "status", "message": t("cycle.err.status")})
    if submitting and status is None:
        problems.append({"field": "status", "message": t("cycle.err.status")})
    if submitting and status not in (None, "on_track") and not typed["status_comment"]:
        problems.append({"field": "status_comment", "message": t("cycle.err.status_comment")})
    money = None
    if typed["money_used"]:
        money = whole(typed["money_used"], 0, MAX_MONEY)
        if money is None:
            problems.append({"field": "money_used",
                             "message": t("cycle.err.money", value=shown(typed["money_used"]))})  # fmt: skip
    areas, groups = _grid(ctx)
    names = {a["id"]: a["name"] for a in areas}
    labels = {g["code"]: g for g in groups}
    cells = []
    for area, row in typed["reach"].items():
        for code, text in row.items():
            group = labels.get(code)
            if area not in names or group is None:
                continue  # not a cell the form offers
            n = whole(text, 0, cycle_reports.MAX_REACHED)
            if n is None:
                problems.append({"field": f"reach-{area}|{code}", "message": t(
                    "cycle.err.reach", area=names[area], group=group["label"], value=shown(text))})  # fmt: skip
                continue
            cells.append(ReachCell(area, group["dimension"], group["subgroup"], n))
    if problems:
        return None, problems
    return ReportContent(
        status=status,
        status_comment=typed["status_comment"] or None,
        done=typed["done"] or None,
        next_steps=typed["next_steps"] or None,
        money_used_sek=money,
        reach=tuple(cells),
    ), []


def _version(form: FormData) -> int | None:
    return whole(str(form.get("version", "")), 0, 10**15)


def save_report(
    ctx: PageContext, period_id: int, initiative_id: str, form: FormData, typed: dict[str, Any]
) -> Outcome:
    """Start, save or submit (the form's `action`): all in one transaction or nothing."""
    user = _user(ctx)
    action = str(form.get("action") or "")
    with _session(ctx) as session:
        period = _period(ctx, session, period_id)
        if action == "start":
            try:
                cycle_reports.start_report(session, user, period.id, initiative_id)
            except NotFound:
                raise _not_found(ctx) from None
            except CycleError as exc:
                return Outcome(problems=[{"field": None, "message": str(exc)}])
            return Outcome("started")
    if action not in ("save", "submit"):
        raise HTTPException(400, ctx.t("cycle.err.action"))
    version = _version(form)
    if version is None:
        raise HTTPException(400, ctx.t("admin.error_no_version"))
    content, problems = _content(ctx, typed, action == "submit")
    if content is None:
        return Outcome(problems=problems)
    try:
        with _session(ctx) as session:
            report = _find_report(session, user, period_id, initiative_id)
            if report is None:
                raise _not_found(ctx)
            saved = cycle_reports.save_report(session, user, report.id, version, content)
            if action == "submit":
                workflow.submit(session, user, "report", report.id, version=saved.version)
    except CycleConflict:
        return Outcome(conflict=True)
    except CycleError as exc:
        return Outcome(problems=[{"field": None, "message": str(exc)}])
    return Outcome("submitted" if action == "submit" else "saved")


def review(ctx: PageContext, kind: str, period_id: int, subject_id: str, form: FormData) -> Outcome:
    """Return (with a comment) or approve a submitted report or assessment."""
    user = _user(ctx)
    action = str(form.get("action") or "")
    if action not in ("return", "approve"):
        raise HTTPException(400, ctx.t("cycle.err.action"))
    comment = str(form.get("comment") or "").strip()
    if action == "return" and not comment:
        return Outcome(problems=[{"field": "comment", "message": ctx.t("cycle.err.comment")}])
    version = _version(form)
    try:
        with _session(ctx) as session:
            period = _period(ctx, session, period_id)
            record_id = _record_id(ctx, session, kind, period.id, subject_id)
            if action == "return":
                workflow.send_back(session, user, kind, record_id, comment, version=version)  # type: ignore[arg-type]
            else:
                workflow.approve(session, user, kind, record_id, version=version)  # type: ignore[arg-type]
    except CycleConflict:
        return Outcome(conflict=True)
    except CycleError as exc:
        return Outcome(problems=[{"field": None, "message": str(exc)}])
    return Outcome("returned" if action == "return" else "approved")


def _record_id(ctx: PageContext, session, kind: str, period_id: int, subject_id: str) -> int:
    if kind == "report":
        found = _find_report(session, _user(ctx), period_id, subject_id)
    else:
        found = _find_assessment(session, _user(ctx), period_id, subject_id)
    if found is None:
        raise _not_found(ctx)
    return found.id


async def attach(
    ctx: PageContext, request: Request, period_id: int, initiative_id: str, file: UploadFile
) -> None:
    """Keep an uploaded file with the report (read in chunks, refused past the size limit)."""
    limit = cycle_reports.MAX_ATTACHMENT
    content = bytearray()
    while chunk := await file.read(1024 * 1024):
        content += chunk
        if len(content) > limit:
            raise CycleError(ctx.t("cycle.err.too_large", mb=limit // 2**20))
    name = clean_name(file.filename or "")
    user = _user(ctx)
    with _session(ctx) as session:
        period = _period(ctx, session, period_id)
        report = cycle_reports.start_report(session, user, period.id, initiative_id)
        cycle_reports.add_attachment(session, user, report.id, name, bytes(content))


def attachment_response(
    ctx: PageContext, period_id: int, initiative_id: str, attachment_id: int
) -> Response:
    """An attachment as a download, if the viewer may read its report (404 otherwise)."""
    with _session(ctx) as session:
        period = _period(ctx, session, period_id)
        report = _find_report(session, _user(ctx), period.id, initiative_id)
        try:
            att, content = cycle_reports.read_attachment(session, _user(ctx), attachment_id)
        except NotFound:
            raise _not_found(ctx) from None
    if report is None or att.report_id != report.id:
        raise _not_found(ctx)
    media = att.media_type if att.media_type in SAFE_MEDIA else "application/octet-stream"
    return Response(content, media_type=media, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(att.filename)}",
        "Cache-Control": "private, no-store",
    })  # fmt: skip


# --- node assessments ---------------------------------------------------------------------


def _find_assessment(session, user, period_id: int, node_id: str) -> Assessment | None:
    found = cycle_assessments.list_assessments(session, user, period_id=period_id, node_id=node_id)
    return found[0] if found else None


def _assessed_node(ctx: PageContext, node_id: str):
    try:
        node = ctx.snap.programme.node(node_id)
    except KeyError:
        raise _not_found(ctx) from None
    if node.kind not in ASSESSED_KINDS:
        raise _not_found(ctx)
    return node


def node_owner(ctx: PageContext, node_id: str) -> str | None:
    """The actor responsible for assessing the node (None: the process leader); 404 for a
    node that is not assessed."""
    _assessed_node(ctx, node_id)
    with _session(ctx) as session:
        return responsible(session, ctx.snap.programme.id).get(node_id)


def _indicator_statuses(ctx: PageContext, period: Period) -> dict[str, str] | None:
    """Indicator id -> follow-up status in the period's year (or the latest year with data),
    from the site's cached follow-up; None when there is none."""
    from jamlik.web.followup_view import FollowUpUnavailable, get_followup

    latest = ctx.snap.latest_year
    if latest is None:
        return None
    try:
        fu = get_followup(ctx, min(period.end.year, latest))
    except FollowUpUnavailable:
        return None
    return {i.indicator: i.status for i in fu.indicators}


def assessment_facts(
    ctx: PageContext,
    period_id: int,
    node_id: str,
    *,
    typed: dict[str, Any] | None = None,
    problems=(),
    conflict: bool = False,
    review_comment: str = "",
    done: str | None = None,
    action_form: dict[str, str] | None = None,
) -> dict[str, Any]:
    from jamlik.cycle.actions import actions_to_follow_up, list_actions
    from jamlik.cycle.assessments import propose
    from jamlik.cycle.rollup import INDICATOR_WORDS
    from jamlik.cycle.scope import gather

    user = _user(ctx)
    t = ctx.t
    node = _assessed_node(ctx, node_id)
    indicators = None
    with _session(ctx) as session:
        period = _period(ctx, session, period_id)
        owner = responsible(session, ctx.snap.programme.id).get(node.id)
        writes = can(user, "edit", Resource("assessment", owner=owner))
        found = _find_assessment(session, user, period.id, node.id)
        if found is None and not writes:
            raise _not_found(ctx)
        editable_state = found is None or found.state in ("draft", "returned")
        live = writes and period.is_open and editable_state
        if live:
            indicators = _indicator_statuses(ctx, period)
            rollup = propose(session, period.id, node.id, indicators)
            proposal = {"status": _word(ctx, rollup.status),
                        "reason": rollup.reason_en if ctx.lang == "en" else rollup.reason_sv}  # fmt: skip
        else:
            proposal = {
                "status": _word(ctx, found.computed_status) if found else None,
                "reason": (found.computed_reason_en if ctx.lang == "en" else found.computed_reason_sv)
                if found else None,
            }  # fmt: skip
        got = gather(session, ctx.snap.programme.id, node.id)
        reports = {r.initiative_id: r for r in cycle_reports.list_reports(
            session, user, period_id=period.id)}  # fmt: skip
        below = {a.node_id: a for a in cycle_assessments.list_assessments(
            session, user, period_id=period.id)}  # fmt: skip
        decided = [a for a in list_actions(session, ctx.snap.programme.id, period.id)
                   if a.node_id == node.id]  # fmt: skip
        earlier = [a for a in actions_to_follow_up(session, period.id) if a.node_id == node.id]
        labels = {p.id: p.label for p in cycle_periods.list_periods(session, ctx.snap.programme.id)}
    p = ctx.snap.programme
    children = []
    for child_id in got.children:
        a = below.get(child_id)
        child = p.node(child_id)
        children.append({
            "id": child_id, "title": t.pick(child.title, child.title_en),
            "href": assessment_href(period.id, child_id), "level": {"label": t(f"kind.{child.kind}")},
            "status": _word(ctx, a.judged_status) if a else None,
            "state": _word(ctx, a.state) if a else None,
        })  # fmt: skip
    for ini_id in got.initiatives:
        r = reports.get(ini_id)
        try:
            it = p.initiative(ini_id)
            title = t.pick(it.title, it.title_en)
        except KeyError:
            title = ini_id
        children.append({
            "id": ini_id, "title": title, "href": report_href(period.id, ini_id),
            "level": {"label": t("cycle.initiative")},
            "status": _word(ctx, r.status) if r else None,
            "state": _word(ctx, r.state) if r else None,
        })  # fmt: skip
    statuses = indicators if indicators is not None else {}
    indicator_rows = []
    for ind in got.indicators:
        code = statuses.get(ind)
        indicator_rows.append({
            **indicator_ref(t, ctx.snap, ind),
            "status": {"code": code, "label": INDICATOR_WORDS[code][ctx.lang == "en"]}
            if code in INDICATOR_WORDS else None,
        })  # fmt: skip
    stored = _assessment_values(found) if found else None
    values = typed if typed is not None else stored or _assessment_values(None)
    if not values.get("status") and proposal["status"]:
        values = {**values, "status": proposal["status"]["code"]}
    state = found.state if found else "missing"
    may_actions = writes and period.is_open
    return {
        "period": period_ref(ctx, period),
        "href": assessment_href(period.id, node.id),
        "notice": notice(ctx, done),
        "node": {**node_ref(t, node), "actor": actor_ref(t, ctx.snap, owner)},
        "assessment": {
            "id": found.id if found else None,
            "state": _word(ctx, state),
            "version": found.version if found else None,
            "due": period.deadlines[ASSESSED_KINDS[node.kind]],
            "status": _word(ctx, found.judged_status) if found else None,
            "computed_status": _word(ctx, found.computed_status) if found else None,
            "overrides_proposal": found.overrides_proposal if found else False,
            "returned_comment": found.return_comment if found and state == "returned" else None,
        },
        "proposal": {**proposal, "rule": t("cycle.rule_text"), "computed": True},
        "children": children,
        "indicators": indicator_rows,
        "editable": writes and period.is_open and found is not None and editable_state,
        "may_start": writes and period.is_open and found is None,
        "reviewable": can(user, "approve", Resource("assessment"))
        and period.is_open
        and state == "submitted",
        "form": values,
        "statuses": [_word(ctx, s) for s in NODE_STATUSES],
        "actions": [_action(ctx, a, labels) for a in decided],
        "to_follow_up": [_action(ctx, a, labels) for a in earlier],
        "may_actions": may_actions,
        "owners": [
            {"id": a.id, "name": t.pick(a.name, a.name_en)}
            for a in sorted(p.actors, key=lambda a: a.name)
        ],  # fmt: skip
        "action_form": action_form or {"title": "", "owner": owner or "", "due": ""},
        "problems": list(problems),
        "conflict": conflict,
        "review_comment": review_comment,
    }


def _action(ctx: PageContext, a, labels: dict[int, str]) -> dict[str, Any]:
    done = None if a.followup_done is None else (
        {"code": "done", "label": ctx.t("cycle.action_done")} if a.followup_done
        else {"code": "not_done", "label": ctx.t("cycle.action_not_done")})  # fmt: skip
    return {
        "id": a.id, "title": a.text, "owner": actor_ref(ctx.t, ctx.snap, a.owner_id),
        "due": a.due, "decided_in": labels.get(a.period_id), "version": a.version,
        "followup": {"done": done, "comment": a.followup_comment,
                     "period": labels.get(a.followup_period_id)} if done else None,
    }  # fmt: skip


def _assessment_values(a: Assessment | None) -> dict[str, Any]:
    if a is None:
        return {"analysis": None, "judgement": None, "measures": None, "status": None,
                "override_reason": None}  # fmt: skip
    return {"analysis": a.analysis, "judgement": a.judgement, "measures": a.measures,
            "status": a.judged_status, "override_reason": a.judged_reason}  # fmt: skip


def assessment_form(form: FormData) -> dict[str, Any]:
    """What the assessment form sent, as typed."""
    typed = {k: str(form.get(k) or "").strip() for k in
             ("analysis", "judgement", "measures", "status", "override_reason")}  # fmt: skip
    return {**typed, "status": typed["status"] or None}


def save_assessment(
    ctx: PageContext, period_id: int, node_id: str, form: FormData, typed: dict[str, Any]
) -> Outcome:
    """Start, save or submit the assessment (the form's `action`), in one transaction."""
    from jamlik.cycle.assessments import propose, start_assessment
    from jamlik.cycle.assessments import save_assessment as save

    user = _user(ctx)
    action = str(form.get("action") or "")
    with _session(ctx) as session:
        period = _period(ctx, session, period_id)
    indicators = _indicator_statuses(ctx, period)
    if action == "start":
        try:
            with _session(ctx) as session:
                start_assessment(session, user, period.id, node_id, indicators)
        except CycleError as exc:
            return Outcome(problems=[{"field": None, "message": str(exc)}])
        return Outcome("started")
    if action not in ("save", "submit"):
        raise HTTPException(400, ctx.t("cycle.err.action"))
    version = _version(form)
    if version is None:
        raise HTTPException(400, ctx.t("admin.error_no_version"))
    status = typed["status"]
    problems: list[dict[str, str | None]] = []
    if status is not None and status not in NODE_STATUSES:
        problems.append({"field": "status", "message": ctx.t("cycle.err.node_status")})
    content = AssessmentContent(
        analysis=typed["analysis"] or None, judgement=typed["judgement"] or None,
        measures=typed["measures"] or None, judged_status=status,
        judged_reason=typed["override_reason"] or None,
    )  # fmt: skip
    try:
        with _session(ctx) as session:
            if action == "submit" and status is not None and not content.judged_reason:
                proposed = propose(session, period.id, node_id, indicators).status
                if status != proposed:
                    problems.append({"field": "override_reason",
                                     "message": ctx.t("cycle.err.override")})  # fmt: skip
            if problems:
                return Outcome(problems=problems)
            found = _find_assessment(session, user, period.id, node_id)
            if found is None:
                raise _not_found(ctx)
            saved = save(session, user, found.id, version, content, indicators)
            if action == "submit":
                workflow.submit(session, user, "assessment", found.id, version=saved.version)
    except CycleConflict:
        return Outcome(conflict=True)
    except CycleError as exc:
        return Outcome(problems=[{"field": None, "message": str(exc)}])
    return Outcome("submitted" if action == "submit" else "saved")


def add_action(
    ctx: PageContext, period_id: int, node_id: str, typed: dict[str, str]
) -> list[dict[str, str | None]]:
    from jamlik.cycle.actions import add_action as add

    problems: list[dict[str, str | None]] = []
    if not typed["title"]:
        problems.append({"field": "action_title", "message": ctx.t("cycle.err.action_title")})
    due = None
    if typed["due"]:
        due = day(typed["due"])
        if due is None:
            problems.append({"field": "action_due",
                             "message": ctx.t("cycle.err.due", value=shown(typed["due"]))})  # fmt: skip
    if problems:
        return problems
    try:
        with _session(ctx) as session:
            period = _period(ctx, session, period_id)
            add(session, _user(ctx), period.id, typed["title"], typed["owner"] or None, due,
                node_id=node_id)  # fmt: skip
    except (CycleError, NotAllowed) as exc:
        return [{"field": "add-action", "message": str(exc)}]
    return []


def follow_up_action(
    ctx: PageContext, period_id: int, node_id: str, action_id: int, form: FormData
) -> Outcome:
    from jamlik.cycle.actions import follow_up_action as follow_up

    done = str(form.get("done") or "")
    comment = str(form.get("comment") or "").strip()
    field_id = f"action-{action_id}"
    if done not in ("yes", "no"):
        return Outcome(problems=[{"field": field_id, "message": ctx.t("cycle.err.action_done")}])
    version = _version(form)
    if version is None:
        raise HTTPException(400, ctx.t("admin.error_no_version"))
    try:
        with _session(ctx) as session:
            period = _period(ctx, session, period_id)
            follow_up(session, _user(ctx), action_id, period.id, done == "yes", comment, version)
    except CycleConflict:
        return Outcome(conflict=True)
    except (CycleError, NotAllowed) as exc:
        return Outcome(problems=[{"field": field_id, "message": str(exc)}])
    return Outcome("action_saved")
