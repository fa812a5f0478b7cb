"""An initiative's report for a period as facts, and its form (over `jamlik.cycle.reports`):
the prefilled draft, the reach grid district × group read from and back into the form, the
saves and the submission in one transaction, attachments. Small reach counts are hidden from
everyone but the report's writers, as every other page hides them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import HTTPException
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from jamlik.accounts import Resource, can
from jamlik.cycle import periods as cycle_periods
from jamlik.cycle import reports as cycle_reports
from jamlik.cycle import workflow
from jamlik.cycle.codes import REPORT_STATUSES
from jamlik.cycle.errors import CycleConflict, CycleError, NotFound
from jamlik.cycle.model import (
    ReachCell,
    Report,
    ReportContent,
)
from jamlik.data.models import TOTAL
from jamlik.web.admin_view import when
from jamlik.web.context import PageContext
from jamlik.web.cycle_view import (
    Outcome,
    not_found,
    notice,
    period_of,
    period_ref,
    report_href,
    session_of,
    user_of,
    version_of,
    worded,
)
from jamlik.web.form_values import shown, whole
from jamlik.web.refs import actor_ref, initiative_href
from jamlik.web.uploads import clean_name

GRID_DIMENSION = "sex"  # the group a reach grid breaks the districts down by, beside the total
MAX_MONEY = 10**12  # kronor: more is a typo
# Attachments are served as downloads; only these types keep their own media type.
SAFE_MEDIA = frozenset({"application/pdf", "text/csv", "text/plain", "image/png", "image/jpeg",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})  # fmt: skip


def _grid(
    ctx: PageContext, initiative_id: str, report_id: int | None, *cells: tuple[ReachCell, ...]
) -> tuple[list, list]:
    """The reach grid's rows and columns (`jamlik.cycle.reports.reach_axes`: the districts the
    initiative runs in, the whole group, the subgroups of GRID_DIMENSION and any group already
    used), plus any district the report or the previous one has figures for, so that a save
    never drops figures the form did not show."""
    with session_of(ctx) as session:
        axes = cycle_reports.reach_axes(session, initiative_id, report_id, (GRID_DIMENSION,))
    areas = [{"id": a, "name": name} for a, name in axes.areas]
    known = {a["id"] for a in areas}
    groups = [(d, g) for d, g, _title in axes.groups]
    for c in (c for group in cells for c in group):
        if c.area not in known:
            area = ctx.snap.areas.get(c.area)
            areas.append({"id": c.area, "name": area.name if area else c.area})
            known.add(c.area)
        if (c.dimension, c.subgroup) not in groups:
            groups.append((c.dimension, c.subgroup))
    return areas, [_group(ctx, d, g) for d, g in groups]


def _group(ctx: PageContext, dimension: str, subgroup: str) -> dict[str, str]:
    if dimension == TOTAL:
        label = ctx.t("common.total")
    else:
        dim = ctx.snap.dimensions.get(dimension)
        sub = next((s for s in dim.subgroups if s.id == subgroup), None) if dim else None
        # pick() gives a str whenever the Swedish title is one, as a subgroup's always is.
        label = (
            (ctx.t.pick(sub.title, sub.title_en) or sub.title) if sub else f"{dimension}/{subgroup}"
        )
    return {"code": f"{dimension}/{subgroup}", "dimension": dimension, "subgroup": subgroup,
            "label": label}  # fmt: skip


def _cells(cells: tuple[ReachCell, ...]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for c in cells:
        out.setdefault(c.area, {})[f"{c.dimension}/{c.subgroup}"] = c.reached
    return out


def _values(r: Report) -> dict[str, Any]:
    return {
        "status": r.status,
        "status_comment": r.status_comment,
        "done": r.done,
        "next_steps": r.next_steps,
        "money_used": r.money_used_sek,
        "reach": _cells(r.reach),
    }


def _shown_values(ctx: PageContext, values: dict[str, Any], protect: bool = True) -> dict[str, Any]:
    """Stored values as a read-only block shows them: the status with its word, and with
    `protect` the reach grid's small counts hidden as every other page hides them."""
    reach = _protected(values["reach"], ctx.settings.min_population) if protect else values["reach"]
    return {**values, "status": worded(ctx, values["status"]), "reach": reach}


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


def find_report(session, user, period_id: int, initiative_id: str) -> Report | None:
    found = cycle_reports.list_reports(
        session, user, period_id=period_id, initiative_id=initiative_id
    )
    return found[0] if found else None


def _initiative(ctx: PageContext, initiative_id: str):
    try:
        return ctx.snap.programme.initiative(initiative_id)
    except KeyError:
        raise not_found(ctx) from None


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
    user = user_of(ctx)
    it = _initiative(ctx, initiative_id)
    writes = can(user, "edit", Resource("report", owner=it.owner))
    with session_of(ctx) as session:
        period = period_of(ctx, session, period_id)
        report = find_report(session, user, period.id, it.id)
        if report is None and not writes:
            raise not_found(ctx)  # a draft or nothing: the same answer
        before = cycle_periods.previous_period(session, period.id)
        earlier = find_report(session, user, before.id, it.id) if before else None
    open_ = period.is_open
    state = report.state if report else "missing"
    editable = writes and open_ and state in cycle_reports.EDITABLE
    reviewable = can(user, "approve", Resource("report")) and open_ and state == "submitted"
    stored = _values(report) if report else None
    # What was typed goes back into the form; a page without the form shows what is stored.
    values = typed if typed is not None and editable else stored or _empty_values()
    areas, groups = _grid(
        ctx, it.id, report.id if report else None,
        report.reach if report else (), earlier.reach if earlier else (),
    )  # fmt: skip
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
            "state": worded(ctx, state),
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
        "statuses": [worded(ctx, s) for s in REPORT_STATUSES],
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
    # Any district and group the definitions know (the domain checks them again): the form
    # shows the initiative's, plus any the stored figures use.
    names = {a.id: a.name for a in ctx.snap.areas.values()}
    known = {f"{TOTAL}/{TOTAL}"} | {
        f"{d.id}/{sub.id}" for d in ctx.snap.dimensions.values() for sub in d.subgroups
    }
    labels = {code: _group(ctx, *code.split("/", 1)) for code in known}
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


def save_report(
    ctx: PageContext, period_id: int, initiative_id: str, form: FormData, typed: dict[str, Any]
) -> Outcome:
    """Start, save or submit (the form's `action`): all in one transaction or nothing."""
    user = user_of(ctx)
    action = str(form.get("action") or "")
    with session_of(ctx) as session:
        period = period_of(ctx, session, period_id)
        if action == "start":
            try:
                cycle_reports.start_report(session, user, period.id, initiative_id)
            except NotFound:
                raise not_found(ctx) from None
            except CycleError as exc:
                return Outcome(problems=[{"field": None, "message": str(exc)}])
            return Outcome("started")
    if action not in ("save", "submit"):
        raise HTTPException(400, ctx.t("cycle.err.action"))
    version = version_of(form)
    if version is None:
        raise HTTPException(400, ctx.t("admin.error_no_version"))
    content, problems = _content(ctx, typed, action == "submit")
    if content is None:
        return Outcome(problems=problems)
    try:
        with session_of(ctx) as session:
            report = find_report(session, user, period_id, initiative_id)
            if report is None:
                raise not_found(ctx)
            saved = cycle_reports.save_report(session, user, report.id, version, content)
            if action == "submit":
                workflow.submit(session, user, "report", report.id, version=saved.version)
    except CycleConflict:
        return Outcome(conflict=True)
    except CycleError as exc:
        return Outcome(problems=[{"field": None, "message": str(exc)}])
    return Outcome("submitted" if action == "submit" else "saved")


async def attach(
    ctx: PageContext, request: Request, period_id: int, initiative_id: str, file: UploadFile
) -> None:
    """Keep an uploaded file with the report (read in chunks, refused past the size limit)."""
    name = clean_name(file.filename or "")
    if not name.lower().endswith(cycle_reports.ATTACHMENT_SUFFIXES):
        raise CycleError(ctx.t("cycle.err.type", name=name))
    limit = cycle_reports.MAX_ATTACHMENT
    content = bytearray()
    while chunk := await file.read(1024 * 1024):
        content += chunk
        if len(content) > limit:
            raise CycleError(ctx.t("cycle.err.too_large", mb=limit // 2**20))
    user = user_of(ctx)
    with session_of(ctx) as session:
        period = period_of(ctx, session, period_id)
        report = cycle_reports.start_report(session, user, period.id, initiative_id)
        cycle_reports.add_attachment(session, user, report.id, name, bytes(content))


def attachment_response(
    ctx: PageContext, period_id: int, initiative_id: str, attachment_id: int
) -> Response:
    """An attachment as a download, if the viewer may read its report (404 otherwise)."""
    with session_of(ctx) as session:
        period = period_of(ctx, session, period_id)
        report = find_report(session, user_of(ctx), period.id, initiative_id)
        try:
            att, content = cycle_reports.read_attachment(session, user_of(ctx), attachment_id)
        except NotFound:
            raise not_found(ctx) from None
    if report is None or att.report_id != report.id:
        raise not_found(ctx)
    media = att.media_type if att.media_type in SAFE_MEDIA else "application/octet-stream"
    return Response(content, media_type=media, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(att.filename)}",
        "Cache-Control": "private, no-store",
    })  # fmt: skip
