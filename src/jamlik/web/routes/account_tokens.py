"""API tokens of one's own account: create (shown once) and revoke.

A token acts with its account's role (`Authorization: Bearer jamlik_…`). Only its digest is
stored, so the page that answers the creation is the only place it is ever shown. An account
revokes its own tokens; administrators may revoke anyone's (from the account's admin page).

These pages answer a signed-in browser session only (`session_only`): a bearer token cannot
list, make or revoke tokens, so a leaked token cannot mint a successor. Every token expires,
after one of `LIFETIMES` days (at most the policy's maximum).
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jamlik.accounts import User, can, create_token, list_tokens, revoke_token
from jamlik.accounts.guard import csrf_protect, session_only, signed_in
from jamlik.accounts.model import utcnow
from jamlik.web.admin_view import form_page, problem, when
from jamlik.web.context import PageContext, page_context
from jamlik.web.twin import Page, html_only

router = APIRouter(tags=["accounts"], dependencies=[Depends(html_only), Depends(session_only)])
# Choices of lifetime in days, none beyond AccountPolicy.max_token_lifetime (365 days).
LIFETIMES = ("7", "30", "90", "365")
MAX_LABEL = 200


def _page(
    ctx: PageContext,
    user: User,
    *,
    label: str = "",
    lifetime: str = "90",
    problems: list[dict] = (),  # type: ignore[assignment]
    made: str | None = None,
    revoked: bool = False,
    status: int = 200,
) -> Response:
    t = ctx.t
    with ctx.settings.workspace.session() as session:
        tokens = list_tokens(session, user.name)
    base = str(ctx.request.base_url).rstrip("/")
    facts = {
        "account": user.name,
        "tokens": [
            {
                "id": k.id,
                "label": k.label,
                "prefix": k.prefix,
                "created": when(k.created_at),
                "expires": when(k.expires_at),
                "last_used": when(k.last_used_at),
                "revoked": when(k.revoked_at),
                "active": k.revoked_at is None
                and (k.expires_at is None or k.expires_at > utcnow()),
            }
            for k in reversed(tokens)  # newest first
        ],
        "form": {"label": label, "lifetime": lifetime},
        "lifetimes": [{"value": d, "label": t("tokens.days", n=d)} for d in LIFETIMES],
        "problems": list(problems),
        "made": made,
        "example": f'curl -H "Authorization: Bearer {made or "jamlik_…"}" {base}/initiatives.json',
        "revoked": revoked,
    }
    return form_page(ctx, Page("account_tokens.html", t("tokens.heading"), facts, status))


@router.get("/account/tokens", summary="Mina API-nycklar / my API tokens")
def tokens_page(
    revoked: int | None = None,
    user: User = Depends(signed_in),
    ctx: PageContext = Depends(page_context),
) -> Response:
    return _page(ctx, user, revoked=bool(revoked))


@router.post(
    "/account/tokens",
    summary="Skapa en API-nyckel / create an API token",
    dependencies=[Depends(csrf_protect)],
)
async def create_token_submit(
    request: Request, user: User = Depends(signed_in), ctx: PageContext = Depends(page_context)
) -> Response:
    form = await request.form()
    label = str(form.get("label", "")).strip()
    lifetime = str(form.get("lifetime", ""))
    problems = []
    if not label:
        problems.append(problem("label", ctx.t("tokens.error_label")))
    elif len(label) > MAX_LABEL:
        problems.append(problem("label", ctx.t("tokens.error_label_long", n=MAX_LABEL)))
    policy = ctx.request.app.state.accounts.policy
    if lifetime not in LIFETIMES or int(lifetime) > policy.max_token_lifetime.days:
        problems.append(problem("lifetime", ctx.t("tokens.error_lifetime")))
    if problems:
        return _page(ctx, user, label=label, lifetime=lifetime, problems=problems, status=422)
    now = utcnow()
    expires = now + timedelta(days=int(lifetime))
    with ctx.settings.workspace.session() as session:
        made = create_token(
            session, user.name, label, by=user, expires_at=expires, policy=policy, now=now
        )
    return _page(ctx, user, made=made, status=201)


@router.post(
    "/account/tokens/{token_id}/revoke",
    summary="Återkalla en API-nyckel / revoke an API token",
    dependencies=[Depends(csrf_protect)],
)
def revoke_token_submit(
    token_id: int, user: User = Depends(signed_in), ctx: PageContext = Depends(page_context)
) -> Response:
    with ctx.settings.workspace.session() as session:
        found = next((k for k in list_tokens(session) if k.id == token_id), None)
        if found is None:
            raise HTTPException(404, ctx.t("tokens.no_such_token", id=token_id))
        others = can(user, "edit", "user")  # administrators
        if found.user != user.name and not others:
            raise HTTPException(403, ctx.t("tokens.not_yours"))
        revoke_token(session, token_id, by=user)
    back = "/account/tokens?revoked=1" if found.user == user.name else f"/admin/users/{found.user}"
    return RedirectResponse(back, status_code=303)
