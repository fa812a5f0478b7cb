"""Signing in and out, signing out everywhere, and changing one's own password.

These pages are actions, not published content: they have no `.json` twin, are never kept in
the response cache (their forms carry per-visitor CSRF tokens), and every POST is CSRF-checked.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jamlik.accounts import AccountError, LoginThrottled, User, authenticate, set_password
from jamlik.accounts.csrf import SESSION_COOKIE
from jamlik.accounts.guard import (
    client_address,
    csrf_protect,
    session_only,
    sign_in,
    sign_out,
    sign_out_everywhere,
    signed_in,
)
from jamlik.accounts.sessions import keep_session
from jamlik.web.admin_view import form_page
from jamlik.web.context import PageContext, page_context
from jamlik.web.twin import Page, html_only

router = APIRouter(tags=["accounts"], dependencies=[Depends(html_only)])


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _form_page(ctx: PageContext, template: str, title: str, facts: dict, status: int = 200):
    return form_page(ctx, Page(template, title, facts, status_code=status))


@router.get("/sign-in", summary="Logga in / sign in")
async def sign_in_page(next: str | None = None, ctx: PageContext = Depends(page_context)):
    facts = {"next": safe_next(next), "name": "", "error": None, "throttled": False}
    return _form_page(ctx, "sign_in.html", ctx.t("account.sign_in_heading"), facts)


@router.post("/sign-in", summary="Logga in / sign in", dependencies=[Depends(csrf_protect)])
def sign_in_submit(
    request: Request,
    name: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
    ctx: PageContext = Depends(page_context),
) -> Response:
    target = safe_next(next)
    response = RedirectResponse(target, status_code=303)
    try:
        user = sign_in(request, response, name, password)
    except AccountError as exc:
        throttled = isinstance(exc, LoginThrottled)
        facts = {"next": target, "name": name, "error": str(exc), "throttled": throttled}
        title = ctx.t("account.sign_in_heading")
        page = _form_page(ctx, "sign_in.html", title, facts, 429 if throttled else 400)
        if isinstance(exc, LoginThrottled):
            page.headers["Retry-After"] = str(exc.retry_after)
        return page
    if user.must_change_password:
        response.headers["location"] = "/account/password"
    return response


@router.get("/sign-out", summary="Logga ut / sign out")
async def sign_out_page(
    ended: int | None = None, ctx: PageContext = Depends(page_context)
) -> Response:
    message = ctx.t("account.signed_out_everywhere") if ended else None
    facts = {"signed_in": ctx.viewer.user is not None, "message": message}
    return _form_page(ctx, "sign_out.html", ctx.t("account.sign_out_heading"), facts)


@router.post("/sign-out", summary="Logga ut / sign out", dependencies=[Depends(csrf_protect)])
def sign_out_submit(request: Request) -> Response:
    response = RedirectResponse("/", status_code=303)
    sign_out(request, response)
    return response


@router.post(
    "/sign-out-everywhere",
    summary="Logga ut överallt / sign out everywhere",
    dependencies=[Depends(csrf_protect)],
)
def sign_out_everywhere_submit(request: Request, user: User = Depends(signed_in)) -> Response:
    response = RedirectResponse("/sign-out?ended=1", status_code=303)
    sign_out_everywhere(request, response, user)
    return response


def _password_facts(ctx: PageContext, user: User, errors: list[str], message: str | None):
    policy = ctx.request.app.state.accounts.policy
    return {
        "name": user.name,
        "must_change": user.must_change_password and not message,
        "min_length": policy.min_password_length,
        "max_length": policy.max_password_length,
        "errors": errors,
        "message": message,
    }


@router.get("/account/password", summary="Byt lösenord / change password")
async def password_page(
    user: User = Depends(signed_in), ctx: PageContext = Depends(page_context)
) -> Response:
    facts = _password_facts(ctx, user, [], None)
    return _form_page(ctx, "password.html", ctx.t("account.password_heading"), facts)


@router.post(
    "/account/password",
    summary="Byt lösenord / change password",
    dependencies=[Depends(session_only), Depends(csrf_protect)],
)
def password_submit(
    current: str = Form(""),
    new: str = Form(""),
    repeat: str = Form(""),
    user: User = Depends(signed_in),
    ctx: PageContext = Depends(page_context),
) -> Response:
    t = ctx.t
    accounts = ctx.request.app.state.accounts
    errors: list[str] = []
    message = None
    if new != repeat:
        errors.append(t("account.password_mismatch"))
    else:
        with accounts.workspace.session() as session:
            try:
                authenticate(
                    session, user.name, current, address=client_address(ctx.request),
                    policy=accounts.policy,
                )  # fmt: skip
            except AccountError:
                errors.append(t("account.password_wrong"))
        if not errors:
            site = ctx.settings.config.site
            context = [site.organisation, site.name, ctx.snap.programme.title]
            try:
                with accounts.workspace.session() as session:
                    set_password(
                        session, user.name, new, by=user, policy=accounts.policy, context=context
                    )
                    # The other sessions end; the one the change was made in goes on.
                    keep_session(session, ctx.request.cookies.get(SESSION_COOKIE))
                message = t("account.password_changed")
            except AccountError as exc:
                errors.append(str(exc))
    facts = _password_facts(ctx, user, errors, message)
    title = t("account.password_heading")
    return _form_page(ctx, "password.html", title, facts, 400 if errors else 200)
