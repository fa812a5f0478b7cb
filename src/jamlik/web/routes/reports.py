"""Reports: build the yearly report (jamlik.report) and download what has been built.

Building runs in the request (a report takes some seconds); one build per report name at a
time. Any signed-in account may build (readers and up): building only writes report files
from data every signed-in role may read, but it costs the server seconds of work, so it is
not open to visitors who have not signed in. The form carries a CSRF token like every form.
"""

from __future__ import annotations

import io
import threading
import zipfile
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException
from starlette.responses import FileResponse, RedirectResponse, Response

from jamlik.accounts.guard import csrf_protect, form_token, signed_in
from jamlik.data import period_midpoint
from jamlik.errors import JamlikError
from jamlik.programme import read_programme
from jamlik.report import FORMATS, write_report
from jamlik.report.cycle_input import read_cycle
from jamlik.web.context import PageContext, page_context
from jamlik.web.followup_view import FollowUpUnavailable, followup_for
from jamlik.web.i18n import LANGS
from jamlik.web.publication import readable
from jamlik.web.reports_store import _NAME, report_fact, reports_dir, stored_reports
from jamlik.web.twin import Page, html_only

router = APIRouter(tags=["reports"], dependencies=[Depends(readable)])
_build_locks: dict[str, threading.Lock] = {}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_locks_guard = threading.Lock()


@router.get("/reports", summary="Rapporter / reports")
def reports(built: str | None = None, ctx: PageContext = Depends(page_context)) -> Response:
    return _page(ctx, built=built)


def _page(
    ctx: PageContext, *, built: str | None = None, error: str | None = None, status: int = 200
) -> Response:
    t = ctx.t
    years = sorted({int(period_midpoint(p)) for p in ctx.snap.periods}, reverse=True)
    may_build = ctx.viewer.user is not None  # any signed-in account (see the module docs)
    facts = {
        "reports": [
            report_fact(ctx, r) for r in stored_reports(ctx.settings, ctx.snap.programme.id)
        ],
        "years": years,
        "default_year": ctx.snap.latest_year,
        # The build form's choices: only for those who see the form.
        "languages": [{"code": lang, "label": t(f"lang.name_{lang}")} for lang in LANGS]
        if may_build
        else [],
        "built": built if built and _NAME.match(built) else None,
        "error": error,
        "may_build": may_build,
    }
    page = Page("reports.html", t("reports.heading"), facts, status_code=status)
    if may_build:
        page.view["csrf_token"] = form_token(ctx.request)
    return ctx.render(page)


@router.post(
    "/reports",
    summary="Bygg årsrapporten / build the yearly report",
    dependencies=[Depends(html_only), Depends(signed_in), Depends(csrf_protect)],
)
def build(
    year: Annotated[int, Form()],
    lang: Annotated[str, Form()] = "sv",
    formats: Annotated[list[str] | None, Form()] = None,
    ctx: PageContext = Depends(page_context),
) -> Response:
    if lang not in LANGS:
        raise HTTPException(422, f"Unknown language '{lang}': choose sv or en.")
    wanted = tuple(f for f in (formats or ["html", "pdf"]) if f in FORMATS)
    if not wanted:
        raise HTTPException(422, "Choose html, pdf, docx or several.")
    snap = ctx.snap
    name = f"{snap.programme.id}-{year}-{lang}"
    with _locks_guard:
        lock = _build_locks.setdefault(name, threading.Lock())
    try:
        with lock:
            fu = followup_for(ctx.data, year)
            with ctx.settings.workspace.session() as session:
                programme = read_programme(session, snap.programme.id)
            cycle = read_cycle(ctx.settings.workspace, programme, year, lang)
            write_report(fu, programme, reports_dir(ctx.settings), lang=lang, formats=wanted,
                         cycle=cycle)  # fmt: skip
    except (FollowUpUnavailable, JamlikError) as exc:
        return _page(ctx, error=str(exc), status=422)
    return RedirectResponse(f"/reports?built={name}", status_code=303)


@router.get("/reports/files/{filename}", dependencies=[Depends(html_only)])
def report_file(filename: str, ctx: PageContext = Depends(page_context)) -> Response:
    """A built report's HTML, PDF or DOCX, or its data tables as one ZIP file."""
    folder = reports_dir(ctx.settings)
    for r in stored_reports(ctx.settings, ctx.snap.programme.id):
        if r.html and filename == r.html.name:
            return FileResponse(r.html, media_type="text/html; charset=utf-8")
        if r.pdf and filename == r.pdf.name:
            return FileResponse(r.pdf, media_type="application/pdf", filename=r.pdf.name)
        if r.docx and filename == r.docx.name:
            return FileResponse(r.docx, media_type=DOCX_TYPE, filename=r.docx.name)
        if r.tables and filename == f"{r.name}-tables.zip":
            return _zip(r.tables, filename)
    raise HTTPException(404, f"No report file '{filename}' in {folder.name}/.")


def _zip(folder, filename: str) -> Response:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.relative_to(folder)}")
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
