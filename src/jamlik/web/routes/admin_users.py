"""Administration of accounts: list, create, change role and organisations, deactivate, reset password (administrators).

`jamlik.accounts.users` writes the audit entry of every change in the same transaction, so the
routes here record nothing themselves. A new account and a reset account get a one-time
password, shown once on the answering page and never stored in clear; its owner must choose a
new password at the first sign-in. Changes need a signed-in browser session: a bearer token of
an administrator cannot create, change or reset accounts (`session_only`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jamlik.accounts import ROLES, AccountError, User, list_tokens, list_users
from jamlik.accounts.guard import allow, csrf_protect, session_only
from jamlik.accounts.sessions import end_access, last_sign_ins
from jamlik.accounts.users import (
    create_user,
    get_user,
    normalize_name,
    reset_password,
    update_user,
)
from jamlik.audit import ConflictError, claim_version, current_version
from jamlik.limits import MAX_NAME, too_long
from jamlik.web.admin_view import form_page, form_version, private_page, problem, when
from jamlik.web.context import PageContext, page_context
from jamlik.web.twin import Page, html_only

router = APIRouter(tags=["administration"])
ENTITY = "user"


def _actor_names(ctx: PageContext) -> dict[str, str]:
    return {a.id: ctx.t.pick(a.name, a.name_en) or a.id for a in ctx.snap.programme.actors}


@router.get("/admin", summary="Administration / administration")
def admin_index(ctx: PageContext = Depends(page_context)) -> Response:
    allow(ctx.viewer.user, "view", ENTITY)
    t = ctx.t
    sections = [
        {"href": href, "title": t(f"admin.{key}_heading"), "text": t(f"admin.{key}_intro")}
        for href, key in (
            ("/admin/users", "users"),
            ("/admin/audit", "audit"),
            ("/admin/programme", "programme"),
            ("/admin/indicators", "indicators"),
        )
    ]
    return private_page(ctx, Page("admin_index.html", t("admin.heading"), {"sections": sections}))


@router.get("/admin/users", summary="Konton / accounts")
def users_page(ctx: PageContext = Depends(page_context)) -> Response:
    allow(ctx.viewer.user, "view", ENTITY)
    t = ctx.t
    names = _actor_names(ctx)
    with ctx.settings.workspace.session() as session:
        users, seen = list_users(session), last_sign_ins(session)
    facts = {
        "users": [
            {
                "name": u.name,
                "display_name": u.display_name,
                "role": {"code": u.role, "label": t(f"role.{u.role}")},
                "actors": [{"id": a, "name": names.get(a, a)} for a in sorted(u.actors)],
                "active": u.active,
                "must_change_password": u.must_change_password,
                "last_sign_in": when(seen.get(u.name)),
                "href": f"/admin/users/{u.name}",
            }
            for u in users
        ]
    }
    return private_page(ctx, Page("admin_users.html", t("admin.users_heading"), facts))


def _form(
    ctx: PageContext,
    *,
    target: User | None,
    values: dict[str, Any],
    version: int = 0,
    problems: list[dict] = (),  # type: ignore[assignment]
    notice: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The new-account form (`target` None) or one account's page."""
    t = ctx.t
    names = _actor_names(ctx)
    extra = sorted(set(values["actors"]) - set(names))  # ids no longer in the programme
    facts: dict[str, Any] = {
        "mode": "edit" if target else "new",
        "name": target.name if target else None,
        "action": f"/admin/users/{target.name}" if target else "/admin/users",
        "form": values,
        "version": version,
        "roles": [{"code": r, "label": t(f"role.{r}")} for r in ROLES],
        "actors": [{"id": a, "name": n} for a, n in sorted(names.items(), key=lambda kv: kv[1])]
        + [{"id": a, "name": a} for a in extra],
        "problems": list(problems),
        "notice": notice,
        "tokens": [],
        "source": target.source if target else None,
        "groups": list(target.groups) if target else [],
        "organisation": target.organisation if target else None,
    }
    if target is not None:
        with ctx.settings.workspace.session() as session:
            tokens = list_tokens(session, target.name)
        facts["tokens"] = [
            {"id": k.id, "label": k.label, "prefix": k.prefix, "created": when(k.created_at)}
            for k in tokens
            if k.revoked_at is None
        ]
    title = t("admin.user_heading", name=target.name) if target else t("admin.new_user_heading")
    return form_page(ctx, Page("admin_user_form.html", title, facts, status))


def _values(user: User) -> dict[str, Any]:
    return {
        "name": user.name,
        "display_name": user.display_name or "",
        "role": user.role,
        "actors": sorted(user.actors),
        "active": user.active,
    }


def _target(ctx: PageContext, user_name: str) -> User:
    try:
        with ctx.settings.workspace.session() as session:
            found = get_user(session, user_name)
    except AccountError:
        found = None
    if found is None:
        raise HTTPException(404, ctx.t("admin.no_such_user", name=user_name))
    return found


def _stored_form(ctx: PageContext, target: User, **shown: Any) -> Response:
    """One account's page with its stored values at their current version."""
    with ctx.settings.workspace.session() as session:
        version = current_version(session, ENTITY, target.name)
    return _form(ctx, target=target, values=_values(target), version=version, **shown)


@router.get(
    "/admin/users/new", summary="Nytt konto / new account", dependencies=[Depends(html_only)]
)
def new_user_page(ctx: PageContext = Depends(page_context)) -> Response:
    allow(ctx.viewer.user, "create", ENTITY)
    blank = {"name": "", "display_name": "", "role": "reader", "actors": [], "active": True}
    return _form(ctx, target=None, values=blank)


def _read(form: Any, *, new: bool) -> dict[str, Any]:
    return {
        "name": str(form.get("name", "")).strip() if new else "",
        "display_name": str(form.get("display_name", "")).strip(),
        "role": str(form.get("role", "")),
        "actors": [str(a) for a in form.getlist("actors")],
        "active": new or form.get("active") == "yes",
    }


def _problems(ctx: PageContext, values: dict[str, Any], *, new: bool) -> list[dict]:
    t = ctx.t
    found = []
    if new:
        try:
            normalize_name(values["name"])
            if values["name"].casefold() == "new":  # /admin/users/new is the form
                raise AccountError("reserved")
        except AccountError:
            found.append(problem("name", t("admin.error_name")))
    if too_long(values["display_name"], MAX_NAME):
        found.append(problem("display_name", t("admin.error_display_name", n=MAX_NAME)))
    if values["role"] not in ROLES:
        found.append(problem("role", t("admin.error_role")))
    elif values["role"] == "editor" and not values["actors"]:
        found.append(problem("actor-0", t("admin.error_actors")))
    return found


@router.post(
    "/admin/users",
    summary="Skapa ett konto / create an account",
    dependencies=[Depends(html_only), Depends(session_only), Depends(csrf_protect)],
)
async def create_user_submit(request: Request, ctx: PageContext = Depends(page_context)):
    user = ctx.viewer.user
    allow(user, "create", ENTITY)
    values = _read(await request.form(), new=True)
    problems = _problems(ctx, values, new=True)
    actors = values["actors"] if values["role"] == "editor" else []
    if not problems:
        with ctx.settings.workspace.session() as session:
            if get_user(session, values["name"]) is not None:
                problems = [problem("name", ctx.t("admin.error_name_taken", name=values["name"]))]
    if not problems:
        try:
            with ctx.settings.workspace.session() as session:
                made = create_user(
                    session, values["name"], values["role"], actors=actors,
                    display_name=values["display_name"] or None, by=user,
                )  # fmt: skip
                password = reset_password(session, made.name, by=user)
        except AccountError as exc:
            problems = [problem(None, str(exc))]
    if problems:
        return _form(ctx, target=None, values=values, problems=problems, status=422)
    notice = {"kind": "created", "name": made.name, "password": password}
    return _form(ctx, target=made, values=_values(made), version=0, notice=notice, status=201)


@router.get(
    "/admin/users/{user_name}", summary="Ett konto / one account", dependencies=[Depends(html_only)]
)
def user_page(
    user_name: str, saved: int | None = None, ctx: PageContext = Depends(page_context)
) -> Response:
    allow(ctx.viewer.user, "view", ENTITY)
    target = _target(ctx, user_name)
    notice = {"kind": "saved", "name": target.name} if saved else None
    return _stored_form(ctx, target, notice=notice)


@router.post(
    "/admin/users/{user_name}",
    summary="Ändra ett konto / change an account",
    dependencies=[Depends(html_only), Depends(session_only), Depends(csrf_protect)],
)
async def edit_user_submit(
    user_name: str, request: Request, ctx: PageContext = Depends(page_context)
) -> Response:
    user = ctx.viewer.user
    allow(user, "edit", ENTITY)
    target = _target(ctx, user_name)
    form = await request.form()
    expected = form_version(ctx, form)
    values = {**_read(form, new=False), "name": target.name}
    problems = _problems(ctx, values, new=False)
    if target.name == user.name and (values["role"] != "administrator" or not values["active"]):
        # The last administrator could otherwise lock everyone out of the administration.
        problems.append(problem("role", ctx.t("admin.error_self")))
    if not problems:
        try:
            with ctx.settings.workspace.session() as session:
                claim_version(session, ENTITY, target.name, expected)
                update_user(
                    session, target.name, role=values["role"],
                    actors=values["actors"] if values["role"] == "editor" else (),
                    display_name=values["display_name"] or None, active=values["active"], by=user,
                )  # fmt: skip
        except ConflictError:
            conflict = [problem(None, ctx.t("admin.error_conflict"))]
            return _stored_form(ctx, _target(ctx, target.name), problems=conflict, status=409)
        except AccountError as exc:
            problems = [problem(None, str(exc))]
    if problems:
        return _form(
            ctx, target=target, values=values, version=expected, problems=problems, status=422
        )
    return RedirectResponse(f"/admin/users/{target.name}?saved=1", status_code=303)


@router.post(
    "/admin/users/{user_name}/reset-password",
    summary="Återställ lösenordet / reset the password",
    dependencies=[Depends(html_only), Depends(session_only), Depends(csrf_protect)],
)
async def reset_password_submit(
    user_name: str, request: Request, ctx: PageContext = Depends(page_context)
) -> Response:
    user = ctx.viewer.user
    allow(user, "edit", ENTITY)
    target = _target(ctx, user_name)
    form = await request.form()
    if form.get("confirm") != "yes":
        missing = [problem("confirm", ctx.t("admin.error_confirm"))]
        return _stored_form(ctx, target, problems=missing, status=400)
    with ctx.settings.workspace.session() as session:
        password = reset_password(session, target.name, by=user)
    notice = {"kind": "reset", "name": target.name, "password": password}
    return _stored_form(ctx, _target(ctx, target.name), notice=notice)


@router.post(
    "/admin/users/{user_name}/end-access",
    summary="Avsluta alla inloggningar och API-nycklar / end all sessions and tokens",
    dependencies=[Depends(html_only), Depends(session_only), Depends(csrf_protect)],
)
async def end_access_submit(
    user_name: str, request: Request, ctx: PageContext = Depends(page_context)
) -> Response:
    """The central stop for one account (someone who left, a lost laptop): every session ends
    and every API token is revoked at once, for local and provider accounts alike."""
    user = ctx.viewer.user
    allow(user, "edit", ENTITY)
    target = _target(ctx, user_name)
    form = await request.form()
    if form.get("confirm") != "yes":
        missing = [problem("confirm-end", ctx.t("admin.error_confirm"))]
        return _stored_form(ctx, target, problems=missing, status=400)
    with ctx.settings.workspace.session() as session:
        sessions, tokens = end_access(session, target.name, by=user)
    notice = {"kind": "ended", "name": target.name, "sessions": sessions, "tokens": tokens}
    return _stored_form(ctx, _target(ctx, target.name), notice=notice)
