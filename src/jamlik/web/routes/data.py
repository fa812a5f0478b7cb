"""The data page: upload with a validation preview, confirm, the import list with provenance, saved source refreshes (analysts).

Analysts and administrators only (`jamlik.accounts.can`: "import" "data", "refresh" "source").
An upload is read and validated in full without writing anything (`jamlik.data.check_file`)
and kept in a private folder of the workspace (`jamlik.web.uploads`) until the analyst
confirms it; the confirmation checks the file again against the workspace as it is then, and
imports it all or nothing, with an audit entry naming who imported it in the same transaction.

Definitions (indicators, areas, dimensions, subgroups: what a HEAT Plus file brings along) are
administrators' (`can(user, "import", "indicator")`). The preview lists every definition a file
would create; an analyst's confirm of such a file is refused (403) and, should the workspace
change between the check and the import so that definitions appear, the import is rolled back.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import anyio
from fastapi import APIRouter, Depends, HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from jamlik.accounts import can
from jamlik.accounts.guard import allow, csrf_protect, require
from jamlik.audit import record
from jamlik.data import ImportSummary, Preview, check_file, import_file
from jamlik.errors import JamlikError, Problem, ValidationError
from jamlik.sources.saved import load_query, query_dir, save_query, saved_queries
from jamlik.web import data_view as view
from jamlik.web import uploads
from jamlik.web.admin_view import form_page
from jamlik.web.context import PageContext, page_context
from jamlik.web.twin import Page, html_only

router = APIRouter(tags=["data"])
IMPORTS = Depends(require("import", "data"))
ACTION = [Depends(html_only), IMPORTS]
QUERY_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")  # as jamlik.sources.saved names them


def _limit(request: Request) -> int:
    return int(getattr(request.app.state, "upload_limit", uploads.MAX_BYTES))


def _size(n: int) -> str:
    """A size limit as people write it: "50 MB", "1 kB"."""
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{max(1, round(n / 2**10))} kB"


async def upload_limit(request: Request) -> None:
    """Refuse (413) a body over the limit before anything reads it (CSRF reads the form)."""
    try:
        length = int(request.headers.get("content-length", "0"))
    except ValueError:
        raise HTTPException(400, "Ogiltig längd / invalid Content-Length") from None
    if length > _limit(request) + 64 * 1024:  # room for the form's other fields
        raise HTTPException(413, _too_large(request))


def _too_large(request: Request) -> str:
    size = _size(_limit(request))
    return (
        f"Filen är för stor: högst {size}. Dela upp den i flera filer. "
        f"/ The file is too large: at most {size}; split it up."
    )


async def _check(request: Request, ws: Any, path: Path) -> Preview:
    """`check_file` in a worker thread, refused past the app's time limit.

    The thread keeps the event loop free for everyone else; past the limit the answer does
    not wait for it (the thread ends on its own and writes nothing: a preview rolls back).
    """
    seconds = float(getattr(request.app.state, "upload_check_seconds", uploads.CHECK_SECONDS))
    try:
        with anyio.fail_after(seconds):
            return await anyio.to_thread.run_sync(check_file, ws, path, abandon_on_cancel=True)
    except TimeoutError:
        message = (
            f"det tog mer än {seconds:g} s att läsa och kontrollera filen, så den togs inte "
            "emot. Dela upp den i mindre filer eller importera den med `jamlik import` / "
            f"reading and checking the file took more than {seconds:g} s, so it was refused. "
            "Split it into smaller files or import it with `jamlik import`"
        )  # fmt: skip
        return Preview(path.name, path.suffix.lstrip(".").lower(), "", 0,
                       problems=(Problem(path.name, message),))  # fmt: skip


def _page(ctx: PageContext, template: str, title: str, facts: dict[str, Any],
          status: int = 200) -> Response:  # fmt: skip
    return form_page(
        ctx, Page(template, title, {"limit": _size(_limit(ctx.request)), **facts}, status)
    )


def _data_page(ctx: PageContext, status: int = 200, **facts: Any) -> Response:
    ws = ctx.settings.workspace
    uploads.expire(ws)
    with ws.session() as session:
        listed, total = view.imports(session)
    try:
        saved, saved_error = view.queries(saved_queries(ws)), None
    except JamlikError as exc:  # one broken query file must not hide the page
        saved, saved_error = [], str(exc)
    base = {"imports": listed, "import_count": total, "queries": saved,
            "queries_error": saved_error, "problems": [], "imported": None, "refresh": None}  # fmt: skip
    return _page(ctx, "data.html", ctx.t("data.heading"), {**base, **facts}, status)


@router.get("/data", summary="Data: uppladdning och importer / data uploads and imports")
def data_page(ctx: PageContext = Depends(page_context), _: object = IMPORTS) -> Response:
    return _data_page(ctx)


def _defines(user: Any) -> bool:
    """Whether `user` may create definitions (indicators, areas, dimensions, subgroups)."""
    return can(user, "import", "indicator")


class DefinitionsRefused(JamlikError):
    """An import by someone who may not create definitions would have created some."""


def _audit(user: Any, **extra: Any):
    """An `in_transaction` hook: the audit entry of each import, committed with it; an import
    that created definitions its user may not create is rolled back instead."""

    def write(session, summary: ImportSummary) -> None:
        if summary.created and not _defines(user):
            raise DefinitionsRefused(", ".join(sorted(summary.created)))
        if summary.import_id is not None:  # nothing changed: no record, nothing to trace
            after = view.audit_after(summary, **extra)
            record(session, user, view.AUDIT_ACTION, view.AUDIT_ENTITY, summary.import_id,
                   None, after)  # fmt: skip

    return write


def _preview_page(ctx: PageContext, upload: uploads.Upload | None, preview: dict[str, Any],
                  status: int, changed: bool = False) -> Response:  # fmt: skip
    needs_admin = bool(preview.get("created")) and not _defines(ctx.viewer.user)
    facts = {
        "preview": preview,
        "changed_since": changed,
        "needs_administrator": needs_admin,
        "confirm": f"/data/upload/{upload.token}/confirm" if upload and not needs_admin else None,
    }
    title = ctx.t("data.preview_heading", name=preview["source"])
    return _page(ctx, "data_preview.html", title, facts, status)


@router.post(
    "/data/upload",
    summary="Förhandsgranska en fil / preview an upload",
    dependencies=[*ACTION, Depends(upload_limit), Depends(csrf_protect)],
)
async def upload(request: Request, ctx: PageContext = Depends(page_context)) -> Response:
    form = await request.form()
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        problem = {"field": "file", "message": ctx.t("data.err_no_file")}
        return _data_page(ctx, 422, problems=[problem])
    name = uploads.clean_name(file.filename)
    if not name.lower().endswith(uploads.SUFFIXES):
        problem = {"field": "file", "message": ctx.t("data.err_type", name=name)}
        return _data_page(ctx, 422, problems=[problem])

    async def chunks():
        while chunk := await file.read(1024 * 1024):
            yield chunk

    ws = ctx.settings.workspace
    user = ctx.viewer.user
    try:
        kept = await uploads.keep(ws, chunks(), name, user.name, _limit(request))
    except uploads.TooLarge:
        raise HTTPException(413, _too_large(request)) from None
    try:
        preview = await _check(request, ws, kept.path)
    except BaseException:  # nothing the analyst could confirm: keep nothing
        uploads.discard(kept)
        raise
    if not preview.ok:
        uploads.discard(kept)  # nothing to confirm: the analyst fixes the file and uploads it
        return _preview_page(ctx, None, view.preview(preview), 422)
    return _preview_page(ctx, kept, view.preview(preview), 200)


@router.post(
    "/data/upload/{upload_token}/confirm",
    summary="Importera en förhandsgranskad fil / import a previewed upload",
    dependencies=[*ACTION, Depends(csrf_protect)],
)
async def confirm(upload_token: str, request: Request,
                  ctx: PageContext = Depends(page_context)) -> Response:  # fmt: skip
    user = ctx.viewer.user
    ws = ctx.settings.workspace
    kept = uploads.find(ws, upload_token, user.name)
    if kept is None:
        raise HTTPException(410, ctx.t("data.err_gone"))
    seen = str((await request.form()).get("fingerprint", ""))
    if not seen:
        raise HTTPException(400, ctx.t("data.err_no_fingerprint"))
    try:
        return await _confirmed(ctx, request, kept, seen)
    except BaseException:  # a failure half-way must not leave the file behind
        uploads.discard(kept)
        raise


async def _confirmed(ctx: PageContext, request: Request, kept: uploads.Upload,
                     seen: str) -> Response:  # fmt: skip
    ws, user = ctx.settings.workspace, ctx.viewer.user
    # The workspace may have changed since the preview: check again, and ask again if the
    # outcome would differ from what the analyst confirmed.
    preview = await _check(request, ws, kept.path)
    if not preview.ok:
        uploads.discard(kept)
        return _preview_page(ctx, None, view.preview(preview), 422, changed=True)
    if preview.created and not _defines(user):
        uploads.discard(kept)
        raise HTTPException(403, ctx.t("data.err_definitions"))
    if view.fingerprint(preview) != seen:
        return _preview_page(ctx, kept, view.preview(preview), 409, changed=True)
    hook = _audit(user, channel="web")
    try:
        # No time limit here: the file was read in time just above, and an import left
        # running after its answer could commit unseen.
        summary = await run_in_threadpool(lambda: import_file(ws, kept.path, in_transaction=hook))
    except DefinitionsRefused:  # definitions vanished between the check and the import
        uploads.discard(kept)
        raise HTTPException(403, ctx.t("data.err_definitions")) from None
    except ValidationError as exc:  # changed between the check and the import
        uploads.discard(kept)
        facts = {**view.preview(preview), **view.problems(exc.problems)}
        return _preview_page(ctx, None, facts, 422, changed=True)
    uploads.discard(kept)
    ctx.data.invalidate()
    return _data_page(ctx, imported=view.imported(summary))


def _http(ctx: PageContext):
    from jamlik.sources.http import HttpClient, HttpSettings, cache_dir_for

    settings = HttpSettings.from_env()
    if not settings.offline:
        settings.cache_ttl = 0  # as `jamlik refresh`: today's data; answers still go to the cache
    return HttpClient(settings, cache_dir=cache_dir_for(ctx.settings.workspace.path))


@router.post(
    "/data/sources/{query_name}/refresh",
    summary="Hämta en sparad källfråga nu / refresh a saved source query",
    dependencies=[
        Depends(html_only),
        Depends(require("refresh", "source")),
        Depends(csrf_protect),
    ],  # fmt: skip
)
def refresh(query_name: str, ctx: PageContext = Depends(page_context)) -> Response:
    from jamlik.sources.http import SourceError
    from jamlik.sources.runner import run_query

    allow(ctx.viewer.user, "refresh", "source")
    ws = ctx.settings.workspace
    name = query_name
    path = query_dir(ws) / f"{name}.yaml"
    if not QUERY_NAME.fullmatch(name) or not path.is_file():
        raise HTTPException(404, ctx.t("data.err_no_query", name=name))
    try:
        query = load_query(path)
        with _http(ctx) as http:
            hook = _audit(ctx.viewer.user, channel="web", query=query.name)
            result = run_query(ws, query, http, incremental=True, in_transaction=hook)
        save_query(ws, query.model_copy(update={"state": result.state}))
    except JamlikError as exc:
        status = 502 if isinstance(exc, SourceError) else 422
        return _data_page(ctx, status, refresh=view.refresh_failed(name, exc, ctx.t))
    ctx.data.invalidate()
    return _data_page(ctx, refresh=view.refreshed(result))
