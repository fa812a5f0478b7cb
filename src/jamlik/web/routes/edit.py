"""Editing an initiative: status, period, the yearly follow-up note and reach rows.

Editors edit initiatives whose owner is one of their actor organisations; administrators any
(`jamlik.accounts.can`). The form carries the version it was opened at: a save from a stale
version is refused with a message (optimistic locking, `jamlik.audit.claim_version`). The
change, the version claim and the audit entry commit in one transaction or not at all.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jamlik.accounts import Resource, can
from jamlik.accounts.guard import allow, csrf_protect, form_token
from jamlik.audit import ConflictError, claim_version, current_version, record
from jamlik.errors import ValidationError
from jamlik.programme import STATUSES, Initiative
from jamlik.programme.store import update_initiative
from jamlik.web.context import PageContext, page_context
from jamlik.web.twin import Page, html_only

router = APIRouter(tags=["editing"], dependencies=[Depends(html_only)])
ENTITY = "initiative"
BLANK_REACH_ROWS = 3


def _stored(ctx: PageContext, initiative_id: str) -> Initiative:
    try:
        return ctx.snap.programme.initiative(initiative_id)
    except KeyError:
        raise HTTPException(404, f"Ingen insats / no initiative '{initiative_id}'.") from None


def _check(ctx: PageContext, it: Initiative) -> None:
    user = ctx.viewer.user
    if user is not None and not can(user, "edit", Resource(ENTITY, owner=it.owner)):
        raise HTTPException(403, ctx.t("edit.not_allowed"))
    allow(user, "edit", Resource(ENTITY, owner=it.owner))


def _version(ctx: PageContext, initiative_id: str) -> int:
    with ctx.settings.workspace.session() as session:
        return current_version(session, ENTITY, initiative_id)


def _form_values(it: Initiative) -> dict[str, Any]:
    return {
        "status": it.status or "",
        "start": it.period.start.isoformat() if it.period else "",
        "end": it.period.end.isoformat() if it.period and it.period.end else "",
        "notes": it.notes or "",
        "reach": [
            {
                "period": r.period,
                "area": r.area,
                "dimension": r.dimension,
                "subgroup": r.subgroup,
                "reached": str(r.reached),
            }
            for r in it.reach
        ],
    }


def _page(
    ctx: PageContext,
    it: Initiative,
    values: dict[str, Any],
    version: int,
    *,
    problems: list[str] = (),  # type: ignore[assignment]
    conflict: bool = False,
    lost_notes: str | None = None,
    status: int = 200,
) -> Response:
    t = ctx.t
    rows = list(values["reach"])
    blank = {"period": "", "area": "", "dimension": "total", "subgroup": "total", "reached": ""}
    rows += [dict(blank) for _ in range(BLANK_REACH_ROWS)]
    facts = {
        "initiative": {"id": it.id, "title": it.title, "href": f"/initiatives/{it.id}"},
        "form": {**values, "reach": rows},
        "version": version,
        "statuses": [{"code": s, "label": t(f"status.{s}")} for s in STATUSES],
        "areas": [{"id": a.id, "name": a.name} for a in ctx.snap.districts],
        "problems": list(problems),
        "conflict": conflict,
        "lost_notes": lost_notes,
    }
    page = Page("edit_initiative.html", t("edit.heading", title=it.title), facts, status)
    page.view["csrf_token"] = form_token(ctx.request)
    response = ctx.render(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/initiatives/{initiative_id}/edit", summary="Redigera en insats / edit an initiative")
def edit_page(initiative_id: str, ctx: PageContext = Depends(page_context)) -> Response:
    it = _stored(ctx, initiative_id)
    _check(ctx, it)
    return _page(ctx, it, _form_values(it), _version(ctx, it.id))


def _parse(form: Any, it: Initiative) -> tuple[dict[str, Any], Initiative | list[str]]:
    """The submitted values, and the edited initiative or the problems found in them."""
    values = {
        "status": str(form.get("status", "")),
        "start": str(form.get("start", "")).strip(),
        "end": str(form.get("end", "")).strip(),
        "notes": str(form.get("notes", "")).strip(),
        "reach": [],
    }
    problems: list[str] = []
    n = 0
    while f"reach-{n}-period" in form:
        row = {
            key: str(form.get(f"reach-{n}-{key}", "")).strip()
            for key in ("period", "area", "dimension", "subgroup", "reached")
        }
        n += 1
        if not row["reached"] and not row["period"]:
            continue  # an emptied or unused row
        values["reach"].append(row)
    update: dict[str, Any] = {"notes": values["notes"] or None}
    if values["status"] and values["status"] not in STATUSES:
        problems.append(f"Status: okänd status '{values['status']}'.")
    update["status"] = values["status"] or None
    period = None
    if values["start"] or values["end"]:
        try:
            start = date.fromisoformat(values["start"])
            end = date.fromisoformat(values["end"]) if values["end"] else None
            period = {"start": start.isoformat(), "end": end.isoformat() if end else None}
        except ValueError:
            problems.append(
                "Period: skriv datum som ÅÅÅÅ-MM-DD (startdatum krävs) / dates as YYYY-MM-DD."
            )
    update["period"] = period
    reach = []
    for k, row in enumerate(values["reach"], start=1):
        try:
            reached = int(row["reached"])
        except ValueError:
            problems.append(
                f"Nådda, rad {k}: antalet måste vara ett heltal, inte '{row['reached']}'."
            )
            continue
        reach.append({**row, "reached": reached})
    update["reach"] = reach
    if problems:
        return values, problems
    try:
        data = {**it.model_dump(mode="json"), **update}
        return values, Initiative.model_validate_json(_json(data))
    except ValueError as exc:
        return values, [str(exc)]


def _json(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data, ensure_ascii=False)


@router.post(
    "/initiatives/{initiative_id}/edit",
    summary="Spara en insats / save an initiative",
    dependencies=[Depends(csrf_protect)],
)
async def edit_submit(
    initiative_id: str, request: Request, ctx: PageContext = Depends(page_context)
) -> Response:
    it = _stored(ctx, initiative_id)
    _check(ctx, it)
    form = await request.form()
    try:
        expected = int(str(form.get("version", "")))
    except ValueError:
        raise HTTPException(400, "Formuläret saknar version / the form has no version.") from None
    values, parsed = _parse(form, it)
    if isinstance(parsed, list):
        return _page(ctx, it, values, expected, problems=parsed, status=422)
    user = ctx.viewer.user
    try:
        with ctx.settings.workspace.session() as session:
            claim_version(session, ENTITY, it.id, expected)
            before = update_initiative(session, parsed)
            if not can(user, "edit", Resource(ENTITY, owner=before.owner)):
                # The stored owner is the one that counts, not the snapshot's.
                raise HTTPException(403, ctx.t("edit.not_allowed"))
            record(
                session, user, "edit", ENTITY, it.id,
                before.model_dump(mode="json"), parsed.model_dump(mode="json"),
            )  # fmt: skip
    except ConflictError:
        ctx.data.invalidate()
        fresh = ctx.data.snapshot().programme.initiative(it.id)
        return _page(
            ctx, fresh, _form_values(fresh), _version(ctx, it.id),
            conflict=True, lost_notes=values["notes"] or None, status=409,
        )  # fmt: skip
    except ValidationError as exc:
        problems = [p.message if not p.field else f"{p.field}: {p.message}" for p in exc.problems]
        return _page(ctx, it, values, expected, problems=problems, status=422)
    ctx.data.invalidate()
    return RedirectResponse(f"/initiatives/{it.id}?saved=1", status_code=303)
