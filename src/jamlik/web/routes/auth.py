"""Signing in and out, signing out everywhere, and changing one's own password.

These pages are actions, not published content: they have no `.json` twin, are never kept in
the response cache (their forms carry per-visitor CSRF tokens), and every POST is CSRF-checked.
"""

from __future__ import annotations

from urllib.parse import urlencode

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
from jamlik.accounts.sessions import keep_session, session_method
from jamlik.web.admin_view import form_page
from jamlik.web.context import PageContext, page_context
from jamlik.web.hardening import CONTENT_SECURITY_POLICY
from jamlik.web.sso import sso_clients
from jamlik.web.twin import Page, html_only

router = APIRouter(tags=["accounts"], dependencies=[Depends(html_only)])


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _form_page(ctx: PageContext, template: str, title: str, facts: dict, status: int = 200):
    return form_page(ctx, Page(template, title, facts, status_code=status))


def _sign_in_facts(
    ctx: PageContext,
    next: str,
    *,
    name: str = "",
    error: str | None = None,
    throttled: bool = False,
    local: bool = False,
) -> dict:
    """What the sign-in page shows: the password form unless passwords are switched off
    (`?local=1` still shows it, for the break-glass accounts), and a link for each identity
    provider ("Logga in med organisationskonto")."""
    config = ctx.settings.config.sign_in
    providers = [
        {"href": f"/sign-in/{p.kind}/{p.id}?{urlencode({'next': next})}", "label": p.label,
         "id": p.id}
        for p in config.providers
    ]  # fmt: skip
    return {
        "next": next, "name": name, "error": error, "throttled": throttled,
        "providers": providers, "password_form": config.local or local or bool(name),
    }  # fmt: skip


def sign_in_refused(ctx: PageContext, message: str, status: int) -> Response:
    """The sign-in page again, saying why signing in did not work."""
    facts = _sign_in_facts(ctx, "/", error=message)
    return _form_page(ctx, "sign_in.html", ctx.t("account.sign_in_heading"), facts, status)


@router.get("/sign-in", summary="Logga in / sign in")
async def sign_in_page(
    next: str | None = None, local: int = 0, ctx: PageContext = Depends(page_context)
):
    facts = _sign_in_facts(ctx, safe_next(next), local=bool(local))
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
        if not ctx.settings.config.sign_in.password_allowed(name):
            raise AccountError(ctx.t("sso.passwords_off"))
        user = sign_in(request, response, name, password)
    except AccountError as exc:
        throttled = isinstance(exc, LoginThrottled)
        facts = _sign_in_facts(ctx, target, name=name, error=str(exc), throttled=throttled)
        title = ctx.t("account.sign_in_heading")
        page = _form_page(ctx, "sign_in.html", title, facts, 429 if throttled else 400)
        if isinstance(exc, LoginThrottled):
            page.headers["Retry-After"] = str(exc.retry_after)
        return page
    if user.must_change_password:
        response.headers["location"] = "/account/password"
    return response


@router.get("/sign-out", summary="Logga ut / sign out")
def sign_out_page(
    request: Request, ended: int | None = None, ctx: PageContext = Depends(page_context)
) -> Response:
    message = ctx.t("account.signed_out_everywhere") if ended else None
    facts = {"signed_in": ctx.viewer.user is not None, "message": message}
    page = _form_page(ctx, "sign_out.html", ctx.t("account.sign_out_heading"), facts)
    origin = _provider_origin(request)
    if origin is not None:
        # The sign-out form's answer goes on to the provider (RP-initiated logout). Browsers
        # hold the whole redirect chain of a form to the form-action of the page the form is
        # on, so this page, and only for a session signed in there, lets forms continue to
        # that provider's origin.
        page.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action 'self' {origin}"
        )
    return page


def _provider_client(request: Request, method: str | None):
    if not method or not method.startswith("oidc:"):
        return None
    clients = sso_clients(request)
    client = clients.oidc.get(method.removeprefix("oidc:"))
    if client is None or clients.config.base_url is None or not client.provider.logout:
        return None
    return client


def _provider_origin(request: Request) -> str | None:
    with request.app.state.accounts.workspace.session() as session:
        method = session_method(session, request.cookies.get(SESSION_COOKIE))
    client = _provider_client(request, method)
    try:
        return client.origin() if client is not None else None
    except AccountError:
        return None


@router.post("/sign-out", summary="Logga ut / sign out", dependencies=[Depends(csrf_protect)])
def sign_out_submit(request: Request) -> Response:
    response = RedirectResponse("/", status_code=303)
    with request.app.state.accounts.workspace.session() as session:
        method = session_method(session, request.cookies.get(SESSION_COOKIE))
    sign_out(request, response)
    _also_at_provider(request, response, method)
    return response


def _also_at_provider(request: Request, response: Response, method: str | None) -> None:
    """A session signed in through an OpenID Provider signs out there too (RP-initiated
    logout): the answer goes on to the provider's end-session address, which sends the
    browser back to this site's start page."""
    client = _provider_client(request, method)
    if client is None:
        return
    try:
        base_url = sso_clients(request).config.base_url
        # A configured provider client means the config validated base_url as present.
        assert base_url is not None
        target = client.logout_url(base_url.rstrip("/") + "/")
    except AccountError:
        return  # the provider cannot be reached: signed out here at least
    if target is not None:
        response.headers["location"] = target


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
