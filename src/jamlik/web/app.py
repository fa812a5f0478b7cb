"""The application factory: `create_app(settings)` gives a FastAPI app serving one workspace.

One router per area of the site (`jamlik.web.routes.*`), each page with its `.json` twin
(`jamlik.web.twin`). Issue 7's accounts and editing add routers of their own and fill in
`jamlik.web.context.viewer`; nothing here needs to change for that beyond `ROUTERS`.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from importlib.resources import files
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.exc import OperationalError
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from jamlik.accounts import can
from jamlik.accounts.guard import install
from jamlik.contention import RETRY_AFTER, WorkspaceBusyError, is_busy
from jamlik.web.context import page_context, viewer_of
from jamlik.web.hardening import SecurityHeadersMiddleware, refuse_nul
from jamlik.web.routes import ROUTERS
from jamlik.web.settings import WebSettings
from jamlik.web.store import NoProgrammeError, WebData
from jamlik.web.twin import JsonTwinMiddleware, Page, wants_json
from jamlik.workspace import Workspace

log = logging.getLogger(__name__)
PACKAGE = Path(str(files("jamlik.web")))
STATIC = PACKAGE / "static"
VENDOR_MANIFEST = STATIC / "vendor" / "VERSIONS.json"
BUILD_HINT = "scripts/build-frontend.sh (npm ci && npm run build in frontend/)"


def vendored() -> dict[str, str]:
    """Versions of the vendored front-end files, or {} when they have not been built."""
    try:
        return json.loads(VENDOR_MANIFEST.read_text("utf-8"))
    except FileNotFoundError:
        return {}


def templates() -> Environment:
    """The Jinja2 environment: autoescaped, and strict, so a misspelt name fails loudly."""
    env = Environment(
        loader=FileSystemLoader(PACKAGE / "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    env.filters["upfirst"] = lambda s: s[:1].upper() + s[1:] if s else s
    env.filters["lowfirst"] = lambda s: s[:1].lower() + s[1:] if s else s
    # Templates show what a viewer may do by the same rules the routes enforce.
    env.globals["can"] = can
    return env


def create_app(
    settings: WebSettings | Workspace, *, warm: bool = True, secure_cookies: bool = True
) -> FastAPI:
    """The web application for one workspace (pass a Workspace for default settings).

    With `warm`, the follow-up (some seconds of work) is built in the background as the server
    starts, so the first reader does not wait for it. Turn `secure_cookies` off only for plain
    HTTP on 127.0.0.1 during development: sign-in cookies are otherwise sent over HTTPS only.
    """
    if isinstance(settings, Workspace):
        settings = WebSettings.for_workspace(settings)
    data = WebData(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if warm:
            threading.Thread(target=_warm, args=(data,), name="jamlik-warm", daemon=True).start()
        yield

    app = FastAPI(
        title="jamlik",
        summary="Uppföljning av jämlikhetsprogram / follow-up of equity programmes",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(refuse_nul)],
    )
    app.state.data = data
    app.state.templates = templates()
    app.state.vendor = vendored()
    app.state.templates.globals["vendor"] = app.state.vendor
    app.state.templates.globals["chart_locale"] = _chart_locale
    if not app.state.vendor:
        log.warning(
            "front-end files are not vendored (%s missing): pages work, charts show as "
            "tables only. Build them with %s.",
            VENDOR_MANIFEST,
            BUILD_HINT,
        )
    install(app, settings.workspace, secure_cookies=secure_cookies)
    app.add_middleware(JsonTwinMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: error pages get them too
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)
    _error_pages(app)
    return app


@cache
def _chart_locale(lang: str) -> dict:
    """The number format the reports' charts use (decimal comma in Swedish), for vega-embed."""
    from jamlik.report.svg import chart_locale

    return chart_locale(lang)  # type: ignore[arg-type]


def _warm(data: WebData) -> None:
    from jamlik.errors import JamlikError
    from jamlik.web.followup_view import followup_for

    try:
        followup_for(data)
    except JamlikError as exc:  # the pages say so themselves when asked
        log.warning("follow-up not available yet: %s", exc)


def _error_pages(app: FastAPI) -> None:
    """Errors as pages in the reader's language (and as JSON on `.json` addresses)."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        response = await _error(request, exc.status_code, str(exc.detail))
        response.headers.update(exc.headers or {})  # e.g. WWW-Authenticate on a refused token
        return response

    @app.exception_handler(404)
    async def not_found(request: Request, exc: Exception) -> Response:
        return await _error(request, 404, "Not found")

    @app.exception_handler(WorkspaceBusyError)
    @app.exception_handler(OperationalError)
    async def busy(request: Request, exc: Exception) -> Response:
        # A long import holds SQLite's write lock longer than a request waits for it: a
        # moment's unavailability (503, try again), not a server fault.
        if not is_busy(exc):
            raise exc
        response = await _error(request, 503, str(WorkspaceBusyError()))
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response

    @app.exception_handler(NoProgrammeError)
    async def no_programme(request: Request, exc: NoProgrammeError) -> Response:
        # Without a programme there is no site to wrap the message in.
        if wants_json(request):
            return JSONResponse({"error": str(exc)}, status_code=503)
        return PlainTextResponse(f"jamlik: {exc}", status_code=503)


async def _error(request: Request, status: int, detail: str) -> Response:
    try:
        ctx = await page_context(request, viewer_of(request))
    except NoProgrammeError as exc:
        return PlainTextResponse(f"jamlik: {exc}", status_code=503)
    t = ctx.t
    key = f"error.{status}" if t.has(f"error.{status}") else "error.other"
    page = Page(
        template="error.html",
        title=t(key),
        facts={"status": status, "message": t(key), "detail": detail},
        status_code=status,
    )
    return ctx.render(page)
