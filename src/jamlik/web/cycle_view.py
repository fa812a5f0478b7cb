"""The follow-up cycle's pages as facts, and the form handling behind them (over `jamlik.cycle`):
what periods, reports and assessments share, the periods and their overview, and the review
step. Reports are in `cycle_report_view`, assessments in `cycle_assessment_view`.

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
from starlette.datastructures import FormData

from jamlik.accounts import Resource, can
from jamlik.cycle import periods as cycle_periods
from jamlik.cycle import workflow
from jamlik.cycle.access import may_read
from jamlik.cycle.codes import LEVELS, word
from jamlik.cycle.errors import CycleConflict, CycleError, NotFound
from jamlik.cycle.model import (
    Assessment,
    Period,
    Report,
)
from jamlik.web.admin_view import LOCAL_ZONE, when
from jamlik.web.context import PageContext
from jamlik.web.form_values import whole
from jamlik.web.refs import actor_ref


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


def worded(ctx: PageContext, code: str | None) -> dict[str, str] | None:
    if code is None:
        return None
    label = word(code, ctx.lang)
    return {"code": code, "label": label[:1].upper() + label[1:]}


def not_found(ctx: PageContext) -> HTTPException:
    return HTTPException(404, ctx.t("cycle.not_found"))


def session_of(ctx: PageContext):
    return ctx.settings.workspace.session()


def user_of(ctx: PageContext):
    return ctx.viewer.user


def period_ref(ctx: PageContext, p: Period) -> dict[str, Any]:
    return {
        "id": p.id,
        "label": p.label,
        "href": period_href(p.id),
        "kind": worded(ctx, p.kind),
        "start": p.start,
        "end": p.end,
        "state": worded(ctx, p.state),
        "locked": not p.is_open,
        "closed_at": when(p.closed_at),
        "deadlines": [{"level": worded(ctx, lv), "due": p.deadlines[lv]} for lv in LEVELS],
    }


def period_of(ctx: PageContext, session, period_id: int) -> Period:
    """The period, when it belongs to the programme the site shows (404 otherwise)."""
    try:
        period = cycle_periods.get_period(session, period_id)
    except NotFound:
        raise not_found(ctx) from None
    if period.programme_id != ctx.snap.programme.id:
        raise not_found(ctx)
    return period


# --- periods ------------------------------------------------------------------------------


def periods_facts(ctx: PageContext) -> dict[str, Any]:
    from jamlik.cycle.overview import overview

    with session_of(ctx) as session:
        periods = cycle_periods.list_periods(session, ctx.snap.programme.id)
        rows = []
        for p in periods:
            progress = overview(session, p.id, today()).total
            rows.append({**period_ref(ctx, p), "progress": _progress(progress)})
    return {"periods": rows, "may_open": can(user_of(ctx), "create", Resource("period"))}


def open_period(ctx: PageContext, year: int, kind: str, part: str) -> Period:
    number = whole(part, 1, 3) or 1
    start, end = cycle_periods.period_span(kind, year, number)
    label = cycle_periods.default_label(kind, year, number)
    with session_of(ctx) as session:
        return cycle_periods.open_period(
            session, user_of(ctx), ctx.snap.programme.id, label, kind, start, end
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


def notice(ctx: PageContext, done: str | None, kind: str = "report") -> str | None:
    """The line a page shows after a step redirected to it (`?done=`); unknown steps none.
    An assessment's page words its own steps where they differ from a report's."""
    if done not in NOTICES:
        return None
    if kind == "assessment" and ctx.t.has(NOTICES[done] + "_assessment"):
        return ctx.t(NOTICES[done] + "_assessment")
    query = ctx.request.query_params
    n = whole(query.get("n", "0"), 0, 10**6) or 0
    skipped = whole(query.get("skipped", "0"), 0, 10**6) or 0
    text = ctx.t(NOTICES[done], n=n)
    return text + (" " + ctx.t("cycle.reminders_skipped", n=skipped) if skipped else "")


def period_facts(ctx: PageContext, period_id: int) -> dict[str, Any]:
    from jamlik.cycle.overview import overview

    user = user_of(ctx)
    leader = can(user, "edit", Resource("period"))
    published = ctx.snap.programme.published
    with session_of(ctx) as session:
        period = period_of(ctx, session, period_id)
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
            "level": worded(ctx, item.level),
            "actor": {"id": item.actor_id, "name": item.actor_name} if item.actor_id else None,
            "due": item.deadline,
            "overdue": item.overdue,
            "state": worded(ctx, item.state),
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

    with session_of(ctx) as session:
        period = period_of(ctx, session, period_id)
        found = _reminders(session, period)
    # An ASCII file name (a header carries it): "Uppföljning 2026" -> "uppfoljning-2026".
    plain = unicodedata.normalize("NFKD", period.label).encode("ascii", "ignore").decode()
    safe = "-".join("".join(c if c.isalnum() else " " for c in plain).split()).lower()
    return ("\ufeff" + reminders_csv(found)).encode("utf-8"), f"paminnelser-{safe}.csv"


def send_reminders(ctx: PageContext, period_id: int) -> tuple[int, int]:
    """Send the period's reminders by e-mail: (messages sent, actors skipped)."""
    from jamlik.cycle.mail import send_reminders as send

    with session_of(ctx) as session:
        period = period_of(ctx, session, period_id)
        run = send(session, user_of(ctx), period.id, today())
    return len(run.sent), len(run.skipped)


def close_period(ctx: PageContext, period_id: int) -> None:
    with session_of(ctx) as session:
        cycle_periods.close_period(session, user_of(ctx), period_of(ctx, session, period_id).id)


def reopen_period(ctx: PageContext, period_id: int, reason: str) -> None:
    with session_of(ctx) as session:
        period = period_of(ctx, session, period_id)
        cycle_periods.reopen_period(session, user_of(ctx), period.id, reason)


def version_of(form: FormData) -> int | None:
    return whole(str(form.get("version", "")), 0, 10**15)


# --- the review step, for reports and assessments alike -----------------------------------


def review(ctx: PageContext, kind: str, period_id: int, subject_id: str, form: FormData) -> Outcome:
    """Return (with a comment) or approve a submitted report or assessment."""
    user = user_of(ctx)
    action = str(form.get("action") or "")
    if action not in ("return", "approve"):
        raise HTTPException(400, ctx.t("cycle.err.action"))
    comment = str(form.get("comment") or "").strip()
    if action == "return" and not comment:
        return Outcome(problems=[{"field": "comment", "message": ctx.t("cycle.err.comment")}])
    version = version_of(form)
    try:
        with session_of(ctx) as session:
            period = period_of(ctx, session, period_id)
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
    from jamlik.web.cycle_assessment_view import find_assessment
    from jamlik.web.cycle_report_view import find_report

    found: Report | Assessment | None
    if kind == "report":
        found = find_report(session, user_of(ctx), period_id, subject_id)
    else:
        found = find_assessment(session, user_of(ctx), period_id, subject_id)
    if found is None:
        raise not_found(ctx)
    return found.id
