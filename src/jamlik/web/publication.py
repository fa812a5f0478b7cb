"""What visitors without an account may read: the programme decides (`Programme.published`).

The reading side's routers (start, programme, explorer, initiatives, investments, actors,
reports) declare `dependencies=[Depends(readable)]`. When the programme is not published, a
visitor who has not signed in gets 401: the error page with a sign-in link that returns here,
or JSON on a `.json` address. Signed-in accounts of every role read as before. Sign-in, the
accessibility statement and static files are outside these routers and stay public.

The rule itself lives in `jamlik.accounts.can`; this module only tells it whether the
programme is published.
"""

from __future__ import annotations

from fastapi import Depends, HTTPException
from starlette.requests import Request

from jamlik.accounts import Resource, User, can
from jamlik.accounts.guard import current_user
from jamlik.web.i18n import Translator, request_lang
from jamlik.web.store import WebData


def published(request: Request) -> bool:
    """Whether the programme the site shows is published (as of the current snapshot)."""
    data: WebData = request.app.state.data
    return data.snapshot().programme.published


def readable(request: Request, user: User | None = Depends(current_user)) -> None:
    """Dependency: refuse (401) a visitor without an account when the programme is not
    published; everyone else passes."""
    if can(user, "view", Resource("programme", published=published(request))):
        return
    # Only visitors without an account are refused here (every role may view), so 401.
    raise HTTPException(401, Translator(request_lang(request))("publication.not_published"))
