"""Importing the programme file in the browser (administrators), with the same protection as
`jamlik programme import`: what people changed in the web is kept, and a file that would
change or remove such a change is refused with every conflict listed (the item, the field, the
web's value and the file's). Only an explicit *replace* box overwrites them; the import, like
the command line's, is audited with counts and, for a replace, the values it overwrote.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jamlik.accounts.guard import csrf_protect, require
from jamlik.errors import ValidationError
from jamlik.programme.store import ImportConflictError, import_programme
from jamlik.web.admin_view import form_page
from jamlik.web.context import PageContext, page_context
from jamlik.web.twin import Page, html_only

router = APIRouter(
    tags=["administration"],
    dependencies=[Depends(html_only), Depends(require("edit", "programme"))],
)
PATH = "/admin/programme/import"
MAX_BYTES = 5 * 1024 * 1024  # a programme file is tens of kB; the largest shipped is 200 kB


def _page(
    ctx: PageContext,
    *,
    conflicts: list[dict[str, Any]] = (),  # type: ignore[assignment]
    problems: list[dict[str, Any]] = (),  # type: ignore[assignment]
    notice: str | None = None,
    status: int = 200,
) -> Response:
    facts = {
        "programme": {"id": ctx.snap.programme.id},
        "action": PATH,
        "conflicts": list(conflicts),
        "problems": list(problems),
        "notice": notice,
    }
    return form_page(ctx, Page("admin_programme_import.html", ctx.t("reimport.heading"), facts,
                               status))  # fmt: skip


@router.get(PATH, summary="Importera programfilen / import the programme file")
def import_page(done: str | None = None, ctx: PageContext = Depends(page_context)) -> Response:
    notices = {"imported": "reimport.done", "replaced": "reimport.done_replaced",
               "unchanged": "reimport.done_unchanged"}  # fmt: skip
    notice = ctx.t(notices[done]) if done in notices else None
    return _page(ctx, notice=notice)


async def _limit(request: Request) -> None:
    """Refuse (413) a body far over any programme file before the form is read."""
    try:
        length = int(request.headers.get("content-length", "0"))
    except ValueError:
        raise HTTPException(400, "Ogiltig längd / invalid Content-Length") from None
    if length > MAX_BYTES + 64 * 1024:
        raise HTTPException(413, "Filen är för stor / the file is too large (max 5 MB)")


@router.post(
    PATH,
    summary="Importera programfilen / import the programme file",
    dependencies=[Depends(_limit), Depends(csrf_protect)],
)
async def import_submit(request: Request, ctx: PageContext = Depends(page_context)) -> Response:
    t = ctx.t
    form = await request.form()
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return _page(ctx, problems=[{"field": "file", "message": t("reimport.no_file")}],
                     status=422)  # fmt: skip
    replace = form.get("replace") == "yes"
    data = await file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise HTTPException(413, "Filen är för stor / the file is too large (max 5 MB)")
    name = Path(file.filename).name or "programme.yaml"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            summary = import_programme(
                ctx.settings.workspace, path, replace=replace, by=ctx.viewer.user
            )
        except ImportConflictError as exc:
            conflicts = [
                {"where": c.where, "message": c.message(), "web": c.web, "file": c.file}
                for c in exc.conflicts
            ]
            return _page(ctx, conflicts=conflicts, status=409)
        except ValidationError as exc:
            shown = [{"field": "file", "message": _relative(str(p), folder)} for p in exc.problems]
            return _page(ctx, problems=shown, status=422)
    ctx.data.invalidate()
    done = "unchanged" if not summary.changed else "replaced" if replace else "imported"
    return RedirectResponse(f"{PATH}?done={done}", status_code=303)


def _relative(text: str, folder: str) -> str:
    """A problem as the person knows the file: its name, not the server's temporary folder."""
    return text.replace(folder + "/", "")
