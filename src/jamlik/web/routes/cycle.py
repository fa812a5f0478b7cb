"""The follow-up cycle's pages (issue 18): periods and their reporting overview, initiative
reports and node assessments, the workflow steps and the reminders, over `jamlik.cycle`.

The pages are thin: every rule (who may write, which workflow step is allowed, the roll-up
proposal, the lock of a closed period, optimistic locking) is the domain's; a route checks the
role before it looks anything up (so a visitor learns nothing from 401 versus 404), calls the
domain and shows what it answered. Facts are built in `jamlik.web.cycle_view`.

A record the viewer may not read (a draft, for a reader or a visitor) is answered 404, exactly
as one that does not exist, HTML and `.json` alike: a draft's text never leaves the server.
Pages are built per request and never kept (`ctx.respond` would keep them per data version,
which the cycle's tables are not part of), and pages with forms are `no-store`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jamlik.accounts import Resource, can
from jamlik.accounts.guard import allow, csrf_protect
from jamlik.cycle import CycleError
from jamlik.web import cycle_assessment_view as assessing
from jamlik.web import cycle_report_view as reporting
from jamlik.web import cycle_view as view
from jamlik.web.admin_view import form_page
from jamlik.web.context import PageContext, page_context
from jamlik.web.form_values import shown, whole
from jamlik.web.publication import readable
from jamlik.web.routes.data import upload_limit
from jamlik.web.twin import Page, html_only

router = APIRouter(tags=["followup"], dependencies=[Depends(readable)])
ACTION = [Depends(html_only), Depends(csrf_protect)]


def _render(ctx: PageContext, page: Page, with_forms: bool) -> Response:
    if with_forms:
        return form_page(ctx, page)
    response = ctx.render(page)
    response.headers["Cache-Control"] = "no-store"  # states change with every save
    return response


def _done(href: str, what: str, **extra: Any) -> RedirectResponse:
    query = "&".join([f"done={what}", *(f"{k}={v}" for k, v in extra.items())])
    return RedirectResponse(f"{href}?{query}", status_code=303)


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


# --- periods ------------------------------------------------------------------------------


@router.get("/followup", summary="Uppföljningsperioder / follow-up periods")
def periods_page(ctx: PageContext = Depends(page_context)) -> Response:
    return _periods(ctx)


def _periods(ctx: PageContext, problems=(), form=None, status: int = 200) -> Response:
    facts = view.periods_facts(ctx)
    facts["problems"] = list(problems)
    facts["form"] = form or {"year": "", "kind": "year", "part": "1"}
    page = Page("cycle_periods.html", ctx.t("cycle.heading"), facts, status)
    return _render(ctx, page, facts["may_open"])


@router.post(
    "/followup", summary="Öppna en uppföljningsperiod / open a follow-up period",
    dependencies=ACTION,
)  # fmt: skip
async def open_period(request: Request, ctx: PageContext = Depends(page_context)) -> Response:
    allow(ctx.viewer.user, "create", Resource("period"))
    form = await request.form()
    values = {k: _field(form, k) for k in ("year", "kind", "part")}
    year = whole(values["year"], 1900, 2199)
    if year is None:
        message = ctx.t("cycle.err.year", value=shown(values["year"]))
        return _periods(ctx, [{"field": "year", "message": message}], values, 422)
    try:
        period = view.open_period(ctx, year, values["kind"] or "year", values["part"] or "1")
    except CycleError as exc:
        return _periods(ctx, [{"field": "year", "message": str(exc)}], values, 422)
    return _done(view.period_href(period.id), "opened")


@router.get("/followup/{period_id}", summary="En uppföljningsperiod / one follow-up period")
def period_page(period_id: int, ctx: PageContext = Depends(page_context)) -> Response:
    return _period(ctx, period_id)


def _period(ctx: PageContext, period_id: int, problems=(), status: int = 200) -> Response:
    facts = view.period_facts(ctx, period_id)
    facts["problems"] = list(problems)
    facts["form"] = {"reason": ""}
    page = Page("cycle_period.html", facts["period"]["label"], facts, status)
    return _render(ctx, page, any(facts["may"].values()))


def _leader(ctx: PageContext) -> None:
    """401/403 unless the viewer runs periods (process leader, administrator)."""
    allow(ctx.viewer.user, "edit", Resource("period"))


@router.get(
    "/followup/{period_id}/reminders.csv",
    summary="Påminnelselista / reminder list (CSV)",
    dependencies=[Depends(html_only)],
)
def reminder_list(period_id: int, ctx: PageContext = Depends(page_context)) -> Response:
    _leader(ctx)
    body, filename = view.reminder_csv(ctx, period_id)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.post(
    "/followup/{period_id}/reminders",
    summary="Skicka påminnelser / send reminders",
    dependencies=ACTION,
)
def send_reminders(period_id: int, ctx: PageContext = Depends(page_context)) -> Response:
    _leader(ctx)
    try:
        sent, skipped = view.send_reminders(ctx, period_id)
    except CycleError as exc:
        return _period(ctx, period_id, [{"field": "remind-form", "message": str(exc)}], 422)
    return _done(view.period_href(period_id), "sent", n=sent, skipped=skipped)


@router.post(
    "/followup/{period_id}/close", summary="Stäng perioden / close the period", dependencies=ACTION
)
def close(period_id: int, ctx: PageContext = Depends(page_context)) -> Response:
    _leader(ctx)
    try:
        view.close_period(ctx, period_id)
    except CycleError as exc:
        return _period(ctx, period_id, [{"field": "close-form", "message": str(exc)}], 409)
    return _done(view.period_href(period_id), "closed")


@router.post(
    "/followup/{period_id}/reopen",
    summary="Öppna perioden igen / reopen the period",
    dependencies=ACTION,
)
async def reopen(
    period_id: int, request: Request, ctx: PageContext = Depends(page_context)
) -> Response:
    _leader(ctx)
    reason = _field(await request.form(), "reason")
    if not reason:
        return _period(
            ctx, period_id, [{"field": "reason", "message": ctx.t("cycle.err.reason")}], 422
        )
    try:
        view.reopen_period(ctx, period_id, reason)
    except CycleError as exc:
        return _period(ctx, period_id, [{"field": "reason", "message": str(exc)}], 409)
    return _done(view.period_href(period_id), "reopened")


# --- initiative reports -------------------------------------------------------------------


def _initiative_owner(ctx: PageContext, initiative_id: str) -> str | None:
    """The owner of an initiative of the programme (404 when there is none such)."""
    try:
        return ctx.snap.programme.initiative(initiative_id).owner
    except KeyError:
        raise HTTPException(404, ctx.t("cycle.not_found")) from None


def _reporter(ctx: PageContext, initiative_id: str) -> None:
    """401 for visitors (before any look-up), 404 for an unknown initiative, 403 for a role
    that may not write this initiative's reports."""
    user = ctx.viewer.user
    if user is None:
        allow(None, "edit", Resource("report"))
    owner = _initiative_owner(ctx, initiative_id)
    if not can(user, "edit", Resource("report", owner=owner)):
        raise HTTPException(403, ctx.t("cycle.not_allowed"))


def _reviewer(ctx: PageContext, kind: str) -> None:
    allow(ctx.viewer.user, "approve", Resource(kind))  # type: ignore[arg-type]


@router.get(
    "/followup/{period_id}/initiatives/{initiative_id}",
    summary="En insats rapport för perioden / an initiative's report for the period",
)
def report_page(
    period_id: int, initiative_id: str, done: str | None = None,
    ctx: PageContext = Depends(page_context),
) -> Response:  # fmt: skip
    return _report(ctx, period_id, initiative_id, done=done)


def _report(ctx: PageContext, period_id: int, initiative_id: str, status: int = 200,
            **kwargs: Any) -> Response:  # fmt: skip
    facts = reporting.report_facts(ctx, period_id, initiative_id, **kwargs)
    title = ctx.t("cycle.report_heading", title=facts["initiative"]["title"],
                  period=facts["period"]["label"])  # fmt: skip
    page = Page("cycle_report.html", title, facts, status)
    return _render(ctx, page, facts["editable"] or facts["reviewable"] or facts["may_start"])


@router.post(
    "/followup/{period_id}/initiatives/{initiative_id}",
    summary="Spara eller skicka in rapporten / save or submit the report",
    dependencies=ACTION,
)
async def save_report(
    period_id: int, initiative_id: str, request: Request,
    ctx: PageContext = Depends(page_context),
) -> Response:  # fmt: skip
    _reporter(ctx, initiative_id)
    form = await request.form()
    typed = reporting.report_form(ctx, form)
    outcome = reporting.save_report(ctx, period_id, initiative_id, form, typed)
    if outcome.problems or outcome.conflict:
        code = 409 if outcome.conflict else 422
        return _report(ctx, period_id, initiative_id, code, typed=typed,
                       problems=outcome.problems, conflict=outcome.conflict)  # fmt: skip
    return _done(view.report_href(period_id, initiative_id), outcome.done)


@router.post(
    "/followup/{period_id}/initiatives/{initiative_id}/review",
    summary="Skicka tillbaka eller godkänn / return or approve",
    dependencies=ACTION,
)
async def review_report(
    period_id: int, initiative_id: str, request: Request,
    ctx: PageContext = Depends(page_context),
) -> Response:  # fmt: skip
    _reviewer(ctx, "report")
    _initiative_owner(ctx, initiative_id)
    form = await request.form()
    outcome = view.review(ctx, "report", period_id, initiative_id, form)
    if outcome.problems or outcome.conflict:
        code = 409 if outcome.conflict else 422
        return _report(ctx, period_id, initiative_id, code, problems=outcome.problems,
                       conflict=outcome.conflict, review_comment=_field(form, "comment"))  # fmt: skip
    return _done(view.report_href(period_id, initiative_id), outcome.done)


@router.post(
    "/followup/{period_id}/initiatives/{initiative_id}/attachments",
    summary="Ladda upp en bilaga / upload an attachment",
    dependencies=[Depends(html_only), Depends(upload_limit), Depends(csrf_protect)],
)
async def attach(
    period_id: int, initiative_id: str, request: Request,
    ctx: PageContext = Depends(page_context),
) -> Response:  # fmt: skip
    _reporter(ctx, initiative_id)
    form = await request.form()
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        problem = {"field": "file", "message": ctx.t("cycle.err.no_file")}
        return _report(ctx, period_id, initiative_id, 422, problems=[problem])
    try:
        await reporting.attach(ctx, request, period_id, initiative_id, file)
    except CycleError as exc:
        problem = {"field": "file", "message": str(exc)}
        return _report(ctx, period_id, initiative_id, 422, problems=[problem])
    return _done(view.report_href(period_id, initiative_id), "attached")


@router.get(
    "/followup/{period_id}/initiatives/{initiative_id}/attachments/{attachment_id}",
    summary="En bilaga / an attachment",
    dependencies=[Depends(html_only)],
)
def attachment(
    period_id: int, initiative_id: str, attachment_id: int,
    ctx: PageContext = Depends(page_context),
) -> Response:  # fmt: skip
    return reporting.attachment_response(ctx, period_id, initiative_id, attachment_id)


# --- node assessments and corrective actions ----------------------------------------------


def _assessor(ctx: PageContext, period_id: int, node_id: str) -> None:
    """401 for visitors (before any look-up), 404 for an unknown node, 403 for a role that may
    not write the node's assessment (its responsible actor's editors, the process leader)."""
    user = ctx.viewer.user
    if user is None:
        allow(None, "edit", Resource("assessment"))
    owner = assessing.node_owner(ctx, node_id)
    if not can(user, "edit", Resource("assessment", owner=owner)):
        raise HTTPException(403, ctx.t("cycle.not_allowed"))


@router.get(
    "/followup/{period_id}/nodes/{node_id}",
    summary="En nods bedömning för perioden / a node's assessment for the period",
)
def assessment_page(
    period_id: int, node_id: str, done: str | None = None,
    ctx: PageContext = Depends(page_context),
) -> Response:  # fmt: skip
    return _assessment(ctx, period_id, node_id, done=done)


def _assessment(ctx: PageContext, period_id: int, node_id: str, status: int = 200,
                **kwargs: Any) -> Response:  # fmt: skip
    facts = assessing.assessment_facts(ctx, period_id, node_id, **kwargs)
    title = ctx.t("cycle.assessment_title", title=facts["node"]["title"])
    page = Page("cycle_assessment.html", f"{title} – {facts['period']['label']}", facts, status)
    forms = facts["editable"] or facts["reviewable"] or facts["may_start"] or facts["may_actions"]
    return _render(ctx, page, forms)


@router.post(
    "/followup/{period_id}/nodes/{node_id}",
    summary="Spara eller skicka in bedömningen / save or submit the assessment",
    dependencies=ACTION,
)
async def save_assessment(
    period_id: int, node_id: str, request: Request, ctx: PageContext = Depends(page_context)
) -> Response:
    _assessor(ctx, period_id, node_id)
    form = await request.form()
    typed = assessing.assessment_form(form)
    outcome = assessing.save_assessment(ctx, period_id, node_id, form, typed)
    if outcome.problems or outcome.conflict:
        code = 409 if outcome.conflict else 422
        return _assessment(ctx, period_id, node_id, code, typed=typed,
                           problems=outcome.problems, conflict=outcome.conflict)  # fmt: skip
    return _done(view.assessment_href(period_id, node_id), outcome.done)


@router.post(
    "/followup/{period_id}/nodes/{node_id}/review",
    summary="Skicka tillbaka eller godkänn / return or approve",
    dependencies=ACTION,
)
async def review_assessment(
    period_id: int, node_id: str, request: Request, ctx: PageContext = Depends(page_context)
) -> Response:
    _reviewer(ctx, "assessment")
    form = await request.form()
    outcome = view.review(ctx, "assessment", period_id, node_id, form)
    if outcome.problems or outcome.conflict:
        code = 409 if outcome.conflict else 422
        return _assessment(ctx, period_id, node_id, code, problems=outcome.problems,
                           conflict=outcome.conflict, review_comment=_field(form, "comment"))  # fmt: skip
    return _done(view.assessment_href(period_id, node_id), outcome.done)


@router.post(
    "/followup/{period_id}/nodes/{node_id}/actions",
    summary="Lägg till en åtgärd / add a corrective action",
    dependencies=ACTION,
)
async def add_action(
    period_id: int, node_id: str, request: Request, ctx: PageContext = Depends(page_context)
) -> Response:
    _assessor(ctx, period_id, node_id)
    form = await request.form()
    typed = {k: _field(form, k) for k in ("title", "owner", "due")}
    problems = assessing.add_action(ctx, period_id, node_id, typed)
    if problems:
        return _assessment(ctx, period_id, node_id, 422, problems=problems, action_form=typed)
    return _done(view.assessment_href(period_id, node_id), "action_added")


@router.post(
    "/followup/{period_id}/nodes/{node_id}/actions/{action_id}",
    summary="Följ upp en åtgärd / follow up a corrective action",
    dependencies=ACTION,
)
async def follow_up_action(
    period_id: int, node_id: str, action_id: int, request: Request,
    ctx: PageContext = Depends(page_context),
) -> Response:  # fmt: skip
    _assessor(ctx, period_id, node_id)
    form = await request.form()
    outcome = assessing.follow_up_action(ctx, period_id, node_id, action_id, form)
    if outcome.problems or outcome.conflict:
        code = 409 if outcome.conflict else 422
        return _assessment(ctx, period_id, node_id, code, problems=outcome.problems,
                           conflict=outcome.conflict)  # fmt: skip
    return _done(view.assessment_href(period_id, node_id), "action_saved")
