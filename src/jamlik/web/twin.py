"""Every page has a machine-readable twin: the same URL with `.json` carries the same facts.

How it works: a route builds a `Page`, whose `facts` is a plain dict of everything the page
states (ids, titles, numbers, verdicts, links). `render` turns it into HTML through the page's
template (which reads only `facts` and interface text) or, when the URL ended in `.json`, into
JSON. `JsonTwinMiddleware` strips the suffix before routing, so one route serves both and the
two cannot drift apart: the template has nothing to show that the JSON lacks.

`/index.json` is the start page's twin (`/` + `.json` would be an odd URL).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from jamlik.web.i18n import COOKIE, requested_lang

if TYPE_CHECKING:
    from jamlik.web.context import PageContext

SUFFIX = ".json"
NO_TWIN_PREFIXES = ("/static/", "/openapi.json")  # files, and the OpenAPI document itself


class JsonTwinMiddleware:
    """Route `/x.json` to `/x` and remember that JSON was asked for."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] == "http"
            and path.endswith(SUFFIX)
            and not path.startswith(NO_TWIN_PREFIXES)
        ):
            stripped = path[: -len(SUFFIX)]
            if stripped in ("", "/index"):
                stripped = "/"
            state = dict(scope.get("state") or {}, format="json")
            scope = dict(scope, path=stripped, raw_path=stripped.encode(), state=state)
        await self.app(scope, receive, send)


def wants_json(request: Request) -> bool:
    """True when the request came in through a `.json` URL."""
    return getattr(request.state, "format", "html") == "json"


def html_only(request: Request) -> None:
    """Dependency for routes that are files or actions, not pages: they have no JSON twin,
    so the pages they answer with link none (see `has_twin`)."""
    if wants_json(request):
        raise HTTPException(status_code=404, detail="This address has no .json twin.")
    request.state.html_only = True


def has_twin(request: Request) -> bool:
    """False on the addresses of `html_only` routes (also on their error pages)."""
    return not getattr(request.state, "html_only", False)


def twin_path(path: str) -> str:
    """The `.json` address of a page path."""
    return "/index.json" if path == "/" else f"{path.rstrip('/')}{SUFFIX}"


@dataclass
class Page:
    """One page's content: which template shows it, its title and its facts."""

    template: str
    title: str
    facts: dict[str, Any]
    status_code: int = 200
    # Interface-only values the template needs (form options already in facts, chart specs);
    # never facts of their own: anything a reader learns from the page belongs in `facts`.
    view: dict[str, Any] = field(default_factory=dict)


def jsonable(value: Any) -> Any:
    """Facts as JSON values: NaN becomes null, dates ISO text; anything else unknown fails."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return jsonable(value.item())
    raise TypeError(f"a page fact must be plain data, got {type(value).__name__}: {value!r}")


def render(context: PageContext, page: Page) -> Response:
    """The page as HTML, or as JSON when its `.json` twin was asked for."""
    status, media_type, body = render_body(context, page)
    return finish(context, Response(body, status_code=status, media_type=media_type))


def render_body(context: PageContext, page: Page) -> tuple[int, str, bytes]:
    """(status, media type, body) of a page: what a response cache can keep."""
    request = context.request
    facts = jsonable(page.facts)
    path = request.url.path
    query = request.url.query
    if wants_json(request):
        body = {
            "title": page.title,
            "lang": context.lang,
            "fictitious": context.fictitious,
            "html": path + (f"?{query}" if query else ""),
            "facts": facts,
        }
        return page.status_code, "application/json", JSONResponse(body).body
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    html = context.templates.get_template(page.template).render(
        request=request,
        page=page,
        facts=facts,
        view=page.view,
        ctx=context,
        t=context.t,
        twin=twin_path(path) + (f"?{urlencode(params)}" if params else "")
        if has_twin(request)
        else None,
        switch_lang=path + "?" + urlencode([*params, ("lang", context.other_lang)]),
    )
    return page.status_code, "text/html; charset=utf-8", html.encode("utf-8")


def finish(context: PageContext, response: Response) -> Response:
    """What every page response gets, cached or not: the language cookie when `?lang=` asked
    for a language, and `Vary: Cookie` (the cookie chooses the language)."""
    asked = requested_lang(context.request)
    if asked:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    response.headers["Vary"] = "Cookie"
    return response
