"""What the administration, own-account and editing pages share: times as a Swedish reader
reads them, form pages that are never cached, the version a form was opened at, and error
summaries that point at their fields."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import HTTPException
from starlette.datastructures import FormData
from starlette.responses import Response

from jamlik.accounts.guard import form_token
from jamlik.web.context import PageContext
from jamlik.web.form_values import whole
from jamlik.web.twin import Page

# The programme's municipalities are Swedish: times are shown in Swedish time, and stored
# (and given in the .json twins and exports) as UTC.
LOCAL_ZONE = ZoneInfo("Europe/Stockholm")


def when(at: datetime | None) -> dict[str, str] | None:
    """A moment as facts: ISO 8601 UTC for machines, minutes in Swedish time for people."""
    if at is None:
        return None
    return {"utc": at.isoformat(), "local": at.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M")}


def private_page(ctx: PageContext, page: Page) -> Response:
    """A page for one signed-in person: never stored by a browser or proxy."""
    response = ctx.render(page)
    response.headers["Cache-Control"] = "no-store"
    return response


def form_page(ctx: PageContext, page: Page) -> Response:
    """A private page carrying forms, with this visitor's CSRF token (it may show a password
    or an API token once)."""
    page.view["csrf_token"] = form_token(ctx.request)
    return private_page(ctx, page)


def form_version(ctx: PageContext, form: FormData) -> int:
    """The record version an edit form was opened at (400 when the form carries none)."""
    # Versions count saves: 15 digits is more than any record will reach, and keeps the
    # number inside what the database's integer holds.
    version = whole(str(form.get("version", "")), 0, 10**15)
    if version is None:
        raise HTTPException(400, ctx.t("admin.error_no_version"))
    return version


def problem(field: str | None, message: str) -> dict[str, str | None]:
    """One entry of a form's error summary; `field` is the id of the input it links to."""
    return {"field": field, "message": message}
