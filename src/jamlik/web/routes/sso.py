"""Sign-in with the organisation's own account: OpenID Connect and SAML 2.0 (issue 17).

- `GET /sign-in/oidc/{id}` and `GET /sign-in/saml/{id}` send the browser to the provider
  (links on the sign-in page, not forms: the CSP's form-action allows this site only);
- `GET /sign-in/oidc/{id}/callback` and `POST /sign-in/saml/{id}/acs` take its answer,
  make or update the account (`jamlik.accounts.sso.provision`) and open a session;
- `GET /saml/{id}/metadata.xml` is this service provider's metadata for the federation.

The SAML answer is a cross-site POST by design, so it carries no CSRF token: what protects it
is the IdP's signature, the InResponseTo of a request this site sent (used once) and the
replay store. The OIDC callback is bound to the browser that started it by a cookie holding
the state.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jamlik.accounts.csrf import BINDING_COOKIE, SESSION_COOKIE, cookie_options
from jamlik.accounts.guard import client_address
from jamlik.accounts.model import AccountError
from jamlik.accounts.sessions import end_session
from jamlik.accounts.sso.mapping import Identity, decide
from jamlik.accounts.sso.oidc import STATE_COOKIE
from jamlik.accounts.sso.provision import sign_in_external
from jamlik.web.context import PageContext, page_context
from jamlik.web.routes.auth import safe_next, sign_in_refused
from jamlik.web.sso import sso_clients
from jamlik.web.twin import html_only

router = APIRouter(tags=["accounts"], dependencies=[Depends(html_only)])
STATE_PATH = "/sign-in/oidc"


def _unknown(provider_id: str) -> HTTPException:
    return HTTPException(
        404,
        f"Ingen inloggning heter {provider_id!r} / no identity provider {provider_id!r} is "
        "configured",
    )


def _secure(request: Request) -> bool:
    return request.app.state.accounts.secure_cookies


def _complete(request: Request, ctx: PageContext, identity: Identity, target: str) -> Response:
    """Make or update the account, open its session and go on to `target`."""
    clients = sso_clients(request)
    provider = clients.provider(identity.provider)
    assert provider is not None
    decision = decide(provider, identity)
    accounts = request.app.state.accounts
    refused: AccountError | None = None
    with accounts.workspace.session() as session:
        try:
            end_session(session, request.cookies.get(SESSION_COOKIE))
            _, token = sign_in_external(
                session, identity, decision, address=client_address(request)
            )
        except AccountError as exc:
            refused = exc  # the block still commits: a lost role deactivates the account
    if refused is not None:
        response = sign_in_refused(ctx, str(refused), 403)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
    response = RedirectResponse(safe_next(target), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, **cookie_options(secure=_secure(request)))
    response.delete_cookie(BINDING_COOKIE, path="/")
    return response


@router.get("/sign-in/oidc/{provider_id}", summary="Logga in med organisationskonto (OIDC)")
def oidc_start(
    request: Request,
    provider_id: str,
    next: str | None = None,
    ctx: PageContext = Depends(page_context),
) -> Response:
    client = sso_clients(request).oidc.get(provider_id)
    if client is None:
        raise _unknown(provider_id)
    try:
        with request.app.state.accounts.workspace.session() as session:
            url, state = client.begin(session, safe_next(next))
    except AccountError as exc:  # the provider cannot be reached or answers nonsense
        return sign_in_refused(ctx, str(exc), 502)
    response = RedirectResponse(url, status_code=303)
    options = cookie_options(secure=_secure(request))
    options["path"] = STATE_PATH
    response.set_cookie(STATE_COOKIE, state, max_age=15 * 60, **options)
    return response


@router.get(
    "/sign-in/oidc/{provider_id}/callback",
    summary="Svar från identitetsleverantören / the provider's answer (OIDC)",
)
def oidc_callback(
    request: Request, provider_id: str, ctx: PageContext = Depends(page_context)
) -> Response:
    client = sso_clients(request).oidc.get(provider_id)
    if client is None:
        raise _unknown(provider_id)
    query = dict(request.query_params)
    try:
        with request.app.state.accounts.workspace.session() as session:
            identity, target = client.finish(session, query, request.cookies.get(STATE_COOKIE))
    except AccountError as exc:
        response = sign_in_refused(ctx, str(exc), 400)
    else:
        response = _complete(request, ctx, identity, target)
    response.delete_cookie(STATE_COOKIE, path=STATE_PATH)
    return response


@router.get("/sign-in/saml/{provider_id}", summary="Logga in med organisationskonto (SAML)")
def saml_start(
    request: Request,
    provider_id: str,
    next: str | None = None,
    ctx: PageContext = Depends(page_context),
) -> Response:
    client = sso_clients(request).saml.get(provider_id)
    if client is None:
        raise _unknown(provider_id)
    try:
        with request.app.state.accounts.workspace.session() as session:
            url = client.begin(session, safe_next(next))
    except AccountError as exc:  # a metadata file that cannot be read, xmlsec1 missing
        return sign_in_refused(ctx, str(exc), 502)
    return RedirectResponse(url, status_code=303)


@router.post(
    "/sign-in/saml/{provider_id}/acs",
    summary="Svar från identitetsleverantören / the IdP's answer (SAML)",
)
def saml_acs(
    request: Request,
    provider_id: str,
    SAMLResponse: str = Form(""),  # noqa: N803 (the protocol's field name)
    ctx: PageContext = Depends(page_context),
) -> Response:
    client = sso_clients(request).saml.get(provider_id)
    if client is None:
        raise _unknown(provider_id)
    try:
        with request.app.state.accounts.workspace.session() as session:
            identity, target = client.finish(session, SAMLResponse)
    except AccountError as exc:
        return sign_in_refused(ctx, str(exc), 400)
    return _complete(request, ctx, identity, target)


@router.get(
    "/saml/{provider_id}/metadata.xml",
    summary="Tjänsteleverantörens metadata / this service provider's SAML metadata",
)
def saml_metadata(request: Request, provider_id: str) -> Response:
    client = sso_clients(request).saml.get(provider_id)
    if client is None:
        raise _unknown(provider_id)
    return Response(client.metadata(), media_type="application/samlmetadata+xml")
