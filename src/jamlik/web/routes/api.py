"""The JSON API for machine clients: who a token belongs to, and reading and editing an
initiative under the same role rules as the forms.

Reading the site is the pages' `.json` twins; this router adds what the twins cannot do.
Clients send `Authorization: Bearer jamlik_…` (tokens from `jamlik.accounts.tokens`); such
requests are exempt from CSRF checks, while a browser session calling the API needs the
`X-CSRF-Token` header like any other form. A PATCH names the version it was based on in
`If-Match` (428 without it, 409 when someone saved first), and the change, the version claim
and the audit entry commit in one transaction, as in `routes/edit.py`.

Errors are JSON (`{"detail": …}`) rather than the site's error pages, and keep their headers,
so a refused token answers 401 with `WWW-Authenticate: Bearer`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from datetime import date
from typing import Any

import pydantic
from fastapi import APIRouter, Depends, Header, HTTPException
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from jamlik.accounts import Resource, can
from jamlik.accounts.guard import allow, csrf_protect
from jamlik.accounts.model import User
from jamlik.audit import ConflictError, claim_version, current_version, record
from jamlik.errors import ValidationError
from jamlik.programme import Initiative, read_programme
from jamlik.programme.dates import past_end
from jamlik.programme.model import Period, Reach, Status
from jamlik.programme.store import update_initiative
from jamlik.web.context import PageContext, page_context
from jamlik.web.publication import published

ENTITY = "initiative"


class JsonErrorRoute(APIRoute):
    """Routes whose refusals are JSON with their headers, not the site's HTML error pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except HTTPException as exc:
                headers = dict(exc.headers or {})
                if exc.status_code == 401:
                    headers.setdefault("WWW-Authenticate", "Bearer")  # RFC 6750, section 3
                return JSONResponse({"detail": exc.detail}, exc.status_code, headers=headers)

        return answer


router = APIRouter(prefix="/api", tags=["api"], route_class=JsonErrorRoute)


class Organisation(BaseModel):
    id: str
    name: str | None = Field(description="The actor's name, when the served programme has it.")


class Me(BaseModel):
    """The account a token (or session) acts for."""

    name: str
    display_name: str | None
    role: str = Field(description="administrator, editor, analyst or reader")
    organisations: list[Organisation] = Field(
        description="The actor organisations whose initiatives an editor may edit."
    )


class InitiativeOut(BaseModel):
    """An initiative as stored, with the version a PATCH must name in `If-Match`."""

    id: str
    title: str
    title_en: str | None
    status: Status | None
    period: Period | None
    owner: str | None
    partners: list[str]
    nodes: list[str]
    areas: list[str]
    indicators: list[str]
    reach: list[Reach]
    notes: str | None
    past_end: bool = Field(
        default=False,
        description="The end date has passed and the initiative is not marked completed or "
        "cancelled (slutdatum passerat).",
    )
    version: int = Field(description="Send it back as `If-Match` when changing the initiative.")
    html: str = Field(description="The initiative's page.")


class InitiativePatch(BaseModel):
    """The fields to change; fields left out keep their value, `null` empties one (`reach`:
    send `[]` to remove every row). Reach rows replace the stored ones as a whole."""

    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    period: Period | None = None
    notes: str | None = Field(default=None, max_length=20_000)
    reach: list[Reach] = Field(default_factory=list, max_length=5_000)


def _not_found(initiative_id: str) -> HTTPException:
    return HTTPException(404, f"Ingen insats / no initiative '{initiative_id}'.")


def _out(it: Initiative, version: int, today: date) -> InitiativeOut:
    fields = set(InitiativeOut.model_fields) - {"version", "html", "past_end"}
    return InitiativeOut(
        **{f: getattr(it, f) for f in fields}, version=version, html=f"/initiatives/{it.id}",
        past_end=past_end(it, today),
    )  # fmt: skip


def _read(ctx: PageContext, initiative_id: str) -> tuple[Initiative, int]:
    """The initiative and its version, read together from the database (not the snapshot,
    which may be a few seconds behind another process's save). Together means in one
    database snapshot: read statement by statement, a save landing in between would pair
    one version's body with the next version's number, and a client sending that body back
    with that If-Match would undo the save."""
    with ctx.settings.workspace.snapshot() as session:
        try:
            it = read_programme(session, ctx.snap.programme.id).initiative(initiative_id)
        except KeyError:
            raise _not_found(initiative_id) from None
        return it, current_version(session, ENTITY, initiative_id)


def _etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


@router.get("/me", summary="Vem nyckeln tillhör / who the token belongs to")
def me(ctx: PageContext = Depends(page_context)) -> Me:
    user = ctx.viewer.user
    if user is None:
        raise HTTPException(401, "Logga in först / sign in first")
    names = {a.id: ctx.t.pick(a.name, a.name_en) for a in ctx.snap.programme.actors}
    return Me(
        name=user.name,
        display_name=user.display_name,
        role=user.role,
        organisations=[Organisation(id=a, name=names.get(a)) for a in sorted(user.actors)],
    )


@router.get(
    "/initiatives/{initiative_id}",
    summary="En insats med sin version / an initiative with its version",
    responses={404: {"description": "No such initiative"}},
)
def get_initiative(
    initiative_id: str, response: Response, ctx: PageContext = Depends(page_context)
) -> InitiativeOut:
    # Visitors read what the programme publishes, as on the pages (jamlik.web.publication).
    allow(ctx.viewer.user, "view", Resource(ENTITY, published=published(ctx.request)))
    it, version = _read(ctx, initiative_id)
    response.headers.update(_etag(version))
    return _out(it, version, ctx.today)


def _editable(initiative_id: str, ctx: PageContext = Depends(page_context)) -> Initiative:
    """Dependency: the initiative, when the caller may edit it. A dependency, so that a
    refusal (401/403) comes before the request body is looked at (422), and visitors are
    refused before the id is looked up (401 for every id: no oracle of which exist)."""
    if ctx.viewer.user is None:
        allow(None, "edit", ENTITY)
    try:
        it = ctx.snap.programme.initiative(initiative_id)
    except KeyError:
        raise _not_found(initiative_id) from None
    allow(ctx.viewer.user, "edit", Resource(ENTITY, owner=it.owner))
    return it


def _expected_version(
    if_match: str | None = Header(
        default=None,
        description='The version from GET (`ETag`), e.g. `3` or `"3"`.',
    ),
) -> int:
    if if_match is None or not if_match.strip():
        raise HTTPException(
            428, "If-Match krävs / send If-Match with the version you read (GET gives it)."
        )
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise HTTPException(400, f"If-Match must be a version number, not {if_match!r}.")
    return int(text)


@router.patch(
    "/initiatives/{initiative_id}",
    summary="Ändra en insats / change an initiative",
    dependencies=[Depends(csrf_protect)],
    responses={
        401: {"description": "Not signed in, or the token is not valid"},
        403: {"description": "The role may not edit this initiative"},
        404: {"description": "No such initiative"},
        409: {"description": "Someone saved the initiative after the version in If-Match"},
        428: {"description": "If-Match is missing"},
    },
)
def patch_initiative(
    change: InitiativePatch,
    response: Response,
    it: Initiative = Depends(_editable),
    expected: int = Depends(_expected_version),
    ctx: PageContext = Depends(page_context),
) -> InitiativeOut:
    user = ctx.viewer.user
    given = change.model_dump(mode="json", include=change.model_fields_set)
    try:
        with ctx.settings.workspace.session() as session:
            version = claim_version(session, ENTITY, it.id, expected)
            stored = read_programme(session, ctx.snap.programme.id).initiative(it.id)
            # The stored owner is the one that counts, not the snapshot's.
            _may_edit(user, stored)
            edited = _apply(stored, given)
            update_initiative(session, edited)
            record(
                session, user, "edit", ENTITY, it.id,
                stored.model_dump(mode="json"), edited.model_dump(mode="json"),
            )  # fmt: skip
    except ConflictError as exc:
        raise HTTPException(409, str(exc)) from None
    except ValidationError as exc:
        raise HTTPException(422, [_problem(p.field, p.message) for p in exc.problems]) from None
    ctx.data.invalidate()
    response.headers.update(_etag(version))
    return _out(edited, version, ctx.today)


def _may_edit(user: User | None, it: Initiative) -> None:
    if not can(user, "edit", Resource(ENTITY, owner=it.owner)):
        raise HTTPException(403, "Din roll får inte ändra insatsen / your role may not edit it")


def _apply(stored: Initiative, given: dict[str, Any]) -> Initiative:
    """The stored initiative with the given fields; 422 naming the field when the result is
    not a valid initiative."""
    if "notes" in given and not (given["notes"] or "").strip():
        given["notes"] = None  # an emptied note is no note, as in the form
    try:
        return Initiative.model_validate_json(
            json.dumps({**stored.model_dump(mode="json"), **given})
        )
    except pydantic.ValidationError as exc:
        problems = [
            {"loc": ["body", *e["loc"]], "field": _dotted(e["loc"]), "msg": e["msg"]}
            for e in exc.errors()
        ]
        raise HTTPException(422, problems) from None


def _dotted(loc: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def _problem(field: str | None, message: str) -> dict[str, Any]:
    """One problem, located like FastAPI's own (`["body", "reach", 0, "area"]`), with the field
    also as text (the programme check names it `initiatives[i].reach[0].area`)."""
    name = field or ""
    if name.startswith("initiatives["):
        name = name.partition("].")[2]
    loc = [int(i) if i else key for key, i in re.findall(r"([^.\[\]]+)|\[(\d+)\]", name)]
    return {"loc": ["body", *loc], "field": name, "msg": message}
