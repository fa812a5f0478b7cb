"""Editing an initiative and creating a new one.

Editors edit initiatives whose owner is one of their actor organisations, and create them only
with such an owner; administrators any (`jamlik.accounts.can`). The edit form carries the
version it was opened at: a save from a stale version is refused with a message (optimistic
locking, `jamlik.audit.claim_version`). The change, the version claim and the audit entry
commit in one transaction or not at all; a refused form writes nothing and names every field
that stopped it (`jamlik.web.initiative_form`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.exc import IntegrityError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jamlik.accounts import Resource, can
from jamlik.accounts.guard import allow, csrf_protect
from jamlik.audit import ConflictError, claim_version, current_version, record
from jamlik.errors import ValidationError
from jamlik.programme import STATUSES, Initiative
from jamlik.programme.store import create_initiative, update_initiative
from jamlik.web.admin_view import form_page, form_version
from jamlik.web.context import PageContext, page_context
from jamlik.web.initiative_fields import (
    ENTITY,
    GROUPS,
    Choices,
    form_values,
    owners_for,
    store_problems,
)
from jamlik.web.initiative_form import Parsed, parse_form
from jamlik.web.twin import Page, html_only

router = APIRouter(tags=["editing"], dependencies=[Depends(html_only)])
BLANK_REACH_ROWS = 3


def _stored(ctx: PageContext, initiative_id: str) -> Initiative:
    # Visitors without an account may edit nothing: refuse them before looking the id up, so
    # the answer does not tell which initiatives exist (401 for every id).
    if ctx.viewer.user is None:
        allow(None, "edit", Resource(ENTITY))
    try:
        return ctx.snap.programme.initiative(initiative_id)
    except KeyError:
        raise HTTPException(404, f"Ingen insats / no initiative '{initiative_id}'.") from None


def _check(ctx: PageContext, it: Initiative) -> None:
    user = ctx.viewer.user
    if user is not None and not can(user, "edit", Resource(ENTITY, owner=it.owner)):
        raise HTTPException(403, ctx.t("edit.not_allowed"))
    allow(user, "edit", Resource(ENTITY, owner=it.owner))


def _owners(ctx: PageContext) -> list[str]:
    """The owners this viewer may create initiatives for; 401/403 when there are none."""
    user = ctx.viewer.user
    owners = owners_for(user, ctx.snap.programme)
    if not owners:
        allow(user, "create", Resource(ENTITY))  # 401 for visitors, 403 for other roles
        raise HTTPException(403, ctx.t("edit.create_not_allowed"))
    return owners


def _version(ctx: PageContext, initiative_id: str) -> int:
    with ctx.settings.workspace.session() as session:
        return current_version(session, ENTITY, initiative_id)


def _choices(ctx: PageContext, it: Initiative | None) -> Choices:
    """What the form offers. An editor may move an initiative only between owners they edit
    for; an initiative that has no owner keeps that choice open to its editors."""
    owners = owners_for(ctx.viewer.user, ctx.snap.programme)
    if it is not None and it.owner and it.owner not in owners:
        owners.append(it.owner)
    return Choices.of(ctx.t, ctx.snap, owners)


def _page(
    ctx: PageContext,
    it: Initiative | None,
    values: dict[str, Any],
    version: int | None,
    *,
    problems: list[dict[str, str | None]] = (),  # type: ignore[assignment]
    conflict: bool = False,
    lost_notes: str | None = None,
    status: int = 200,
) -> Response:
    t = ctx.t
    choices = _choices(ctx, it)
    rows = list(values["reach"])
    blank = {"period": "", "area": "", "dimension": "total", "subgroup": "total", "reached": ""}
    rows += [dict(blank) for _ in range(BLANK_REACH_ROWS)]
    actors = choices.labels["actors"]
    facts = {
        "mode": "edit" if it else "new",
        "initiative": {"id": it.id, "title": it.title, "href": f"/initiatives/{it.id}"}
        if it
        else None,
        "action": f"/initiatives/{it.id}/edit" if it else "/initiatives/new",
        "form": {**values, "reach": rows},
        "version": version,
        "statuses": [{"code": s, "label": t(f"status.{s}")} for s in STATUSES],
        "owners": [{"id": a, "name": actors.get(a, a)} for a in choices.owners],
        "owner_optional": it is not None and it.owner is None,
        "funders": [{"id": a, "name": name} for a, name in actors.items()],
        "groups": {g: choices.options(t, g, values[g]) for g in GROUPS},
        "areas": [{"id": a.id, "name": a.name} for a in ctx.snap.districts],
        "problems": list(problems),
        "invalid": sorted({p["field"] for p in problems if p["field"]}),
        "conflict": conflict,
        "lost_notes": lost_notes,
    }
    title = t("edit.heading", title=it.title) if it else t("edit.new_heading")
    return form_page(ctx, Page("edit_initiative.html", title, facts, status))


@router.get("/initiatives/new", summary="Ny insats / new initiative")
def new_page(ctx: PageContext = Depends(page_context)) -> Response:
    owners = _owners(ctx)
    values = form_values(None)
    if len(owners) == 1:
        values["owner"] = owners[0]
    return _page(ctx, None, values, None)


@router.post(
    "/initiatives/new",
    summary="Skapa en insats / create an initiative",
    dependencies=[Depends(csrf_protect)],
)
async def new_submit(request: Request, ctx: PageContext = Depends(page_context)) -> Response:
    owners = _owners(ctx)
    form = await request.form()
    p = ctx.snap.programme
    taken = {n.id: ctx.t("edit.taken_node") for n in p.nodes}
    taken |= {a.id: ctx.t("edit.taken_actor") for a in p.actors}
    taken |= {i.id: ctx.t("edit.taken_initiative", title=i.title) for i in p.initiatives}
    parsed = parse_form(form, ctx.t, _choices(ctx, None), None, taken)
    owner = parsed.values.get("owner")
    user = ctx.viewer.user
    if owner and owner not in owners and owner in _choices(ctx, None).labels["actors"]:
        raise HTTPException(403, ctx.t("edit.create_not_allowed"))
    if parsed.initiative is None:
        return _page(ctx, None, parsed.values, None, problems=parsed.problems, status=422)
    it = parsed.initiative
    try:
        with ctx.settings.workspace.session() as session:
            if not can(user, "create", Resource(ENTITY, owner=it.owner)):
                raise HTTPException(403, ctx.t("edit.create_not_allowed"))
            create_initiative(session, p.id, it)
            record(session, user, "create", ENTITY, it.id, None, it.model_dump(mode="json"))
    except ValidationError as exc:
        problems = store_problems(ctx.t, exc, parsed.values, _choices(ctx, None))
        return _page(ctx, None, parsed.values, None, problems=problems, status=422)
    except IntegrityError:  # the same id, created by someone else a moment ago
        ctx.data.invalidate()
        what = ctx.t("edit.taken_initiative", title=it.id)
        message = ctx.t("edit.err.id_taken", value=it.id, what=what)
        problem = {"field": "id", "message": f"{ctx.t('edit.id')}: {message}"}
        return _page(ctx, None, parsed.values, None, problems=[problem], status=409)
    ctx.data.invalidate()
    return RedirectResponse(f"/initiatives/{it.id}?created=1", status_code=303)


@router.get("/initiatives/{initiative_id}/edit", summary="Redigera en insats / edit an initiative")
def edit_page(initiative_id: str, ctx: PageContext = Depends(page_context)) -> Response:
    it = _stored(ctx, initiative_id)
    _check(ctx, it)
    return _page(ctx, it, form_values(it), _version(ctx, it.id))


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
    expected = form_version(ctx, form)
    parsed = parse_form(form, ctx.t, _choices(ctx, it), it)
    if parsed.initiative is None:
        return _page(ctx, it, parsed.values, expected, problems=parsed.problems, status=422)
    return _save(ctx, it, parsed, expected)


def _save(ctx: PageContext, it: Initiative, parsed: Parsed, expected: int) -> Response:
    user = ctx.viewer.user
    new = parsed.initiative
    assert new is not None
    try:
        with ctx.settings.workspace.session() as session:
            claim_version(session, ENTITY, it.id, expected)
            before = update_initiative(session, new)
            # The stored owner is the one that counts, not the snapshot's; and an editor may
            # not hand the initiative to an organisation they do not edit for.
            if not can(user, "edit", Resource(ENTITY, owner=before.owner)):
                raise HTTPException(403, ctx.t("edit.not_allowed"))
            if not can(user, "edit", Resource(ENTITY, owner=new.owner)):
                raise HTTPException(403, ctx.t("edit.owner_not_allowed"))
            record(
                session, user, "edit", ENTITY, it.id,
                before.model_dump(mode="json"), new.model_dump(mode="json"),
            )  # fmt: skip
    except ConflictError:
        ctx.data.invalidate()
        fresh = ctx.data.snapshot().programme.initiative(it.id)
        return _page(
            ctx, fresh, form_values(fresh), _version(ctx, it.id),
            conflict=True, lost_notes=parsed.values["notes"] or None, status=409,
        )  # fmt: skip
    except ValidationError as exc:
        problems = store_problems(ctx.t, exc, parsed.values, _choices(ctx, it))
        return _page(ctx, it, parsed.values, expected, problems=problems, status=422)
    ctx.data.invalidate()
    return RedirectResponse(f"/initiatives/{it.id}?saved=1", status_code=303)
