"""FastAPI dependencies that put accounts in front of the web application's routes.

Wiring (in the app factory)::

    from jamlik.accounts.guard import install
    install(app, workspace, secure_cookies=True)

then in routes::

    user: User | None = Depends(current_user)                 # who is asking (None: public)
    user: User = Depends(require("edit", "indicator"))        # 401/403 unless allowed
    _: None = Depends(csrf_protect)                          # on every form POST
    allow(user, "edit", Resource("initiative", owner=i.owner))  # ownership checks in the body

`current_user` reads `Authorization: Bearer jamlik_…` (API clients) or the session cookie
(browsers). Requests carrying a bearer token are exempt from CSRF checks: browsers never add
that header on their own. Templates get the form token from `form_token(request)`; the
pre-session cookie it may need is set by the middleware `install` adds.

Two rules hold for every route `install` sees included after it:
- an account whose password was reset (`must_change_password`) reaches only the change page,
  sign-in and sign-out until it has chosen a new password: pages answer a redirect to
  `/account/password`, JSON addresses and API clients 403 with a message;
- `session_only` routes (token and account management) refuse bearer tokens (403), so a
  leaked token cannot make more tokens or change an account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from fastapi import Depends, FastAPI, HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from jamlik.accounts.csrf import (
    BINDING_COOKIE,
    FORM_FIELD,
    HEADER,
    SESSION_COOKIE,
    check_csrf,
    cookie_options,
    csrf_token,
    new_binding,
    site_secret,
)
from jamlik.accounts.logins import authenticate
from jamlik.accounts.model import DEFAULT_POLICY, AccountError, AccountPolicy, User
from jamlik.accounts.permissions import Action, Kind, Resource, can
from jamlik.accounts.sessions import end_all_sessions, end_session, session_user, start_session
from jamlik.accounts.tokens import token_user
from jamlik.audit import record
from jamlik.workspace import Workspace

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_UNSET = object()
PASSWORD_PAGE = "/account/password"
# What an account that must change its password may still reach.
_WHILE_CHANGING = frozenset({PASSWORD_PAGE, "/sign-in", "/sign-out", "/sign-out-everywhere"})
MUST_CHANGE = (
    "Byt ditt tillfälliga lösenord på /account/password innan du gör något annat. / "
    "Change your temporary password at /account/password before doing anything else."
)
SESSION_ONLY = (
    "API-nycklar och konton hanteras bara i en inloggad webbläsare, aldrig med en API-nyckel. / "
    "Tokens and accounts are managed only from a signed-in browser session, never with a token."
)


class PasswordChangeRequired(HTTPException):
    """The account must choose a new password first (see the module docs)."""

    def __init__(self) -> None:
        super().__init__(403, MUST_CHANGE)


@dataclass
class Accounts:
    """What the dependencies need: the workspace, the signing secret and the policy."""

    workspace: Workspace
    policy: AccountPolicy = DEFAULT_POLICY
    secure_cookies: bool = True
    secret: bytes = field(default=b"", repr=False)

    def __post_init__(self) -> None:
        if not self.secret:
            self.secret = site_secret(self.workspace.path)


def install(
    app: FastAPI,
    workspace: Workspace,
    *,
    policy: AccountPolicy = DEFAULT_POLICY,
    secure_cookies: bool = True,
) -> Accounts:
    """Attach accounts to `app` (as `app.state.accounts`) and add the cookie middleware."""
    accounts = Accounts(workspace, policy, secure_cookies)
    app.state.accounts = accounts
    # Every route included from now on passes the password-change gate first.
    app.router.dependencies.append(Depends(password_gate))
    app.add_exception_handler(PasswordChangeRequired, _to_password_page)

    @app.middleware("http")
    async def binding_cookie(request: Request, call_next):
        response = await call_next(request)
        fresh = getattr(request.state, "csrf_new_binding", None)
        if fresh:
            response.set_cookie(BINDING_COOKIE, fresh, **_cookie(accounts))
        return response

    return accounts


def _accounts(request: Request) -> Accounts:
    return request.app.state.accounts


def _cookie(accounts: Accounts, **extra: object) -> dict:
    return {**cookie_options(secure=accounts.secure_cookies), **extra}


def _bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def current_user(request: Request) -> User | None:
    """Dependency: the signed-in account, or None for a public visitor.

    A bearer token that is not valid is refused (401) rather than treated as public, so an
    API client learns at once that its token has expired or been revoked.
    """
    cached = getattr(request.state, "jamlik_user", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[return-value]
    accounts = _accounts(request)
    token = _bearer(request)
    with accounts.workspace.session() as session:
        if token is not None:
            user = token_user(session, token, policy=accounts.policy)
            if user is None:
                raise HTTPException(
                    401, "Ogiltig API-nyckel / invalid API token",
                    headers={"WWW-Authenticate": "Bearer"},
                )  # fmt: skip
        else:
            user = session_user(
                session, request.cookies.get(SESSION_COOKIE), policy=accounts.policy
            )
    request.state.jamlik_user = user
    return user


def _wants_json(request: Request) -> bool:
    return (
        getattr(request.state, "format", "html") == "json"
        or request.url.path.startswith("/api/")
        or _bearer(request) is not None
    )


def password_gate(request: Request) -> None:
    """Dependency on every route: while the signed-in account must change its password, only
    the change page, sign-in and sign-out answer (see the module docs)."""
    try:
        user = current_user(request)
    except HTTPException:
        return  # a refused token: the route answers 401 itself
    if user is not None and user.must_change_password and request.url.path not in _WHILE_CHANGING:
        raise PasswordChangeRequired()


async def _to_password_page(request: Request, exc: Exception) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": MUST_CHANGE}, status_code=403)
    return RedirectResponse(PASSWORD_PAGE, status_code=303)


def session_only(request: Request) -> None:
    """Dependency: refuse (403) a request made with a bearer token (token and account
    management need a signed-in browser session, whose forms carry a CSRF token)."""
    if _bearer(request) is not None:
        raise HTTPException(403, SESSION_ONLY)


def allow(user: User | None, action: Action, resource: Resource | Kind) -> None:
    """Raise 401 (not signed in) or 403 (signed in, not allowed) unless `can(...)`."""
    if can(user, action, resource):
        return
    if user is None:
        raise HTTPException(401, "Logga in först / sign in first")
    raise HTTPException(403, "Din roll får inte göra detta / your role may not do this")


def require(action: Action, resource: Resource | Kind):
    """Dependency factory: the current user, when allowed to do `action` on `resource`."""

    def check(user: User | None = Depends(current_user)) -> User | None:
        allow(user, action, resource)
        return user

    return check


def signed_in(user: User | None = Depends(current_user)) -> User:
    """Dependency: any signed-in account (own-account pages: password, sign-out)."""
    if user is None:
        raise HTTPException(401, "Logga in först / sign in first")
    return user


def _binding(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(BINDING_COOKIE)


def form_token(request: Request) -> str:
    """The CSRF token for forms on the page being rendered (creates the pre-session cookie
    for visitors who have none; the middleware sets it on the response)."""
    binding = _binding(request) or getattr(request.state, "csrf_new_binding", None)
    if binding is None:
        binding = new_binding()
        request.state.csrf_new_binding = binding
    return csrf_token(_accounts(request).secret, binding)


async def csrf_protect(request: Request) -> None:
    """Dependency: refuse (403) a state-changing browser request without a valid CSRF token
    in the form field `csrf_token` or the `X-CSRF-Token` header."""
    if request.method in _SAFE_METHODS or _bearer(request) is not None:
        return
    given = request.headers.get(HEADER)
    if given is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            given = (await request.form()).get(FORM_FIELD)  # type: ignore[assignment]
    if not check_csrf(_accounts(request).secret, _binding(request), given):
        raise HTTPException(
            403, "Formuläret har gått ut; ladda om sidan / the form expired: reload the page"
        )


def client_address(request: Request) -> str | None:
    """The client's address as the server saw it. Behind a reverse proxy, uvicorn replaces the
    proxy's address with the one in `X-Forwarded-For` only when the request came from a
    trusted proxy (`jamlik serve --trusted-proxy`, or `FORWARDED_ALLOW_IPS`); from anyone else
    the header is ignored, so a client cannot choose its address to escape throttling."""
    return request.client.host if request.client else None


def sign_in(
    request: Request,
    response: Response,
    name: str,
    password: str,
    *,
    now: datetime | None = None,
) -> User:
    """Check the password, open a session and set its cookie on `response`.

    Raises `LoginRefused` or `LoginThrottled` (messages fit for the form). The attempt is
    stored even when refused, which throttling relies on. On success a session the browser
    already had ends: signing in always starts a new one (no session fixation, nothing stale).
    """
    accounts = _accounts(request)
    refused: AccountError | None = None
    with accounts.workspace.session() as session:
        try:
            user = authenticate(
                session, name, password, address=client_address(request), now=now,
                policy=accounts.policy,
            )  # fmt: skip
        except AccountError as exc:
            refused = exc  # leave the block normally so the attempt is committed
        else:
            end_session(session, request.cookies.get(SESSION_COOKIE), now=now)
            token = start_session(session, user, address=client_address(request), now=now)
            # The log says how each account signed in (a password here; a provider's key
            # for sign-ins through jamlik.accounts.sso).
            record(session, user, "sign_in", "user", user.name, None, {"method": "password"},
                   now=now)  # fmt: skip
    if refused is not None:
        raise refused
    response.set_cookie(SESSION_COOKIE, token, **_cookie(accounts))
    response.delete_cookie(BINDING_COOKIE, path="/")
    return user


def sign_out(request: Request, response: Response) -> None:
    """End this browser's session and clear its cookie."""
    accounts = _accounts(request)
    with accounts.workspace.session() as session:
        end_session(session, request.cookies.get(SESSION_COOKIE))
    response.delete_cookie(SESSION_COOKIE, path="/")


def sign_out_everywhere(request: Request, response: Response, user: User) -> int:
    """End every session of `user` (this one too) and clear this browser's cookie."""
    accounts = _accounts(request)
    with accounts.workspace.session() as session:
        ended = end_all_sessions(session, user.name, by=user)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return ended
