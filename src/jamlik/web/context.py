"""The per-request context every page route receives, and the viewer placeholder for accounts.

Routes declare `ctx: PageContext = Depends(page_context)`. The context carries the language,
its translator, the workspace snapshot, the settings and the viewer, and renders pages
(`ctx.render(page)`).

Accounts and roles (issue 7) plug in at `viewer`: the signed-in account from
`jamlik.accounts.guard.current_user`, or the public visitor. Finer rules (an editor's own
initiatives) are checked with `jamlik.accounts.guard.allow` in the routes that need them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from fastapi import Depends, HTTPException
from jinja2 import Environment
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from jamlik.accounts.guard import current_user
from jamlik.accounts.model import User
from jamlik.web.i18n import Lang, Translator, request_lang
from jamlik.web.settings import REPORTS_FOLDER, WebSettings
from jamlik.web.store import Snapshot, WebData
from jamlik.web.twin import Page, finish, render, render_body

Role = Literal["public", "reader", "analyst", "editor", "administrator"]


@dataclass(frozen=True)
class Viewer:
    """Who is looking: the public visitor (role "public", no `user`) or a signed-in account."""

    role: Role = "public"
    name: str | None = None
    actors: tuple[str, ...] = ()  # the actor organisations an editor edits for
    user: User | None = None

    @classmethod
    def of(cls, user: User | None) -> Viewer:
        if user is None:
            return cls()
        return cls(user.role, user.display_name or user.name, tuple(sorted(user.actors)), user)


def viewer(user: User | None = Depends(current_user)) -> Viewer:
    """The current viewer: the session's (or API token's) account, else the public visitor."""
    return Viewer.of(user)


def viewer_of(request: Request) -> Viewer:
    """The viewer outside dependency injection (error pages): public when the credentials
    themselves are what failed."""
    try:
        return Viewer.of(current_user(request))
    except HTTPException:
        return Viewer()


def require_role(*roles: Role):
    """A dependency that refuses viewers without one of `roles` (403)."""

    def check(who: Viewer = Depends(viewer)) -> Viewer:
        if who.role not in roles:
            raise HTTPException(status_code=403, detail="Not allowed for your role.")
        return who

    return check


@dataclass
class PageContext:
    """Everything a page route needs to build and render its page."""

    request: Request
    lang: Lang
    t: Translator
    data: WebData
    snap: Snapshot
    settings: WebSettings
    templates: Environment
    viewer: Viewer

    @property
    def other_lang(self) -> Lang:
        return "en" if self.lang == "sv" else "sv"

    @property
    def fictitious(self) -> bool:
        return self.snap.fictitious

    @property
    def today(self) -> date:
        """The date initiatives' end dates are checked against (`WebSettings.today`)."""
        return self.settings.today or date.today()

    @property
    def programme_hidden(self) -> bool:
        """True for a visitor without an account while the programme is not published: then
        not even its title is shown (sign-in, accessibility and error pages stay open)."""
        return self.viewer.user is None and not self.snap.programme.published

    @property
    def programme_title(self) -> str:
        """The programme's title, or "" where it is hidden (`programme_hidden`)."""
        if self.programme_hidden:
            return ""
        p = self.snap.programme
        return self.t.pick(p.title, p.title_en) or p.title

    def render(self, page: Page) -> Response:
        return render(self, page)

    async def respond(self, build: Callable[[], Page]) -> Response:
        """The page `build()` makes, rendered once per data version and kept.

        The key is everything a page may depend on: address and query, language, format,
        the viewer's role and the reports folder's state (the start and reports pages list
        built reports). Errors (HTTPException) are not kept. A kept page is answered on the
        event loop; building one (seconds when charts are drawn) runs in the thread pool.
        """
        key = self._response_key()
        kept = self.data.peek("response", key)
        if kept is None:
            kept = await run_in_threadpool(self._kept_response, key, build)
        status, media_type, body = kept
        return finish(self, Response(body, status_code=status, media_type=media_type))

    def _response_key(self) -> tuple:
        request = self.request
        return (
            request.url.path,
            request.url.query,
            self.lang,
            getattr(request.state, "format", "html"),
            self.viewer.role,
            self.viewer.name,  # the header names who is signed in
            self.viewer.actors,
            _reports_stamp(self.settings),
            self.today,  # an end date passes at midnight, not when the data change
        )

    def _kept_response(self, key: tuple, build: Callable[[], Page]) -> tuple[int, str, bytes]:
        return self.data.cached("response", key, lambda: render_body(self, build()))


def _reports_stamp(settings: WebSettings) -> float:
    """When the reports folder last changed (0 when there is none)."""
    try:
        return (settings.workspace.path / REPORTS_FOLDER).stat().st_mtime
    except FileNotFoundError:
        return 0.0


async def page_context(request: Request, who: Viewer = Depends(viewer)) -> PageContext:
    """Dependency: the context of the current request (on the event loop: it only reads
    memory, and every few seconds one small query, see `WebData.snapshot`)."""
    app_state = request.app.state
    lang = request_lang(request)
    data: WebData = app_state.data
    return PageContext(
        request=request,
        lang=lang,
        t=Translator(lang),
        data=data,
        snap=data.snapshot(),
        settings=data.settings,
        templates=app_state.templates,
        viewer=who,
    )
