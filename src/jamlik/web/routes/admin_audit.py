"""The audit log reader and its export (administrators).

Read-only on purpose: there is no route that changes or removes an entry (the log module and
the database refuse it too). Filters are the same for the page and the export; dates are
Swedish calendar days, the "to" day included.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException
from starlette.responses import Response

from jamlik.accounts.guard import allow
from jamlik.audit import AuditEntry, read_log, write_log
from jamlik.web.admin_view import LOCAL_ZONE, private_page, problem, when
from jamlik.web.context import PageContext, page_context
from jamlik.web.form_values import FIRST_DAY, LAST_DAY, day, whole
from jamlik.web.form_values import shown as quoted
from jamlik.web.twin import Page, html_only, wants_json

router = APIRouter(tags=["administration"])
PAGE_SIZE = 50
LAST_PAGE = 10**9  # far past any log, well inside what an SQL offset can hold


def asked_filters(
    entity: str | None = None,
    entity_id: str | None = None,
    user: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> dict[str, str]:
    """Dependency: the filters as asked, trimmed ("" when not given); the page shows them in
    its form again and its links carry them on."""
    asked = {"entity": entity, "entity_id": entity_id, "user": user}
    asked |= {"date_from": date_from, "date_to": date_to}
    return {key: (value or "").strip() for key, value in asked.items()}


def _day(text: str, field: str, ctx: PageContext, problems: list) -> date | None:
    if not text:
        return None
    if (found := day(text)) is None:
        message = ctx.t(
            "admin.audit_error_date", value=quoted(text), first=FIRST_DAY, last=LAST_DAY
        )
        problems.append(problem(field, message))
    return found


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), LOCAL_ZONE).astimezone(UTC)


def _filters(ctx: PageContext, asked: dict[str, str]) -> tuple[dict[str, Any], list[dict]]:
    """`read_log`'s filters for what was asked, and the problems with it."""
    problems: list[dict] = []
    first = _day(asked["date_from"], "date_from", ctx, problems)
    last = _day(asked["date_to"], "date_to", ctx, problems)
    if first and last and last < first:
        problems.append(problem("date_to", ctx.t("admin.audit_error_order")))
    query = {key: asked[key] or None for key in ("entity", "entity_id", "user")}
    query["since"] = _midnight(first) if first else None
    query["until"] = _midnight(last + timedelta(days=1)) if last else None
    return query, problems


def _text(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value or "–"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def changes(before: Any, after: Any) -> list[dict[str, str | None]]:
    """What an entry changed, field by field: only the fields that differ when both sides
    are records; every field of a record created (or removed)."""
    if isinstance(before, dict) and isinstance(after, dict):
        keys = [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
        return [
            {"field": k, "before": _text(before.get(k)), "after": _text(after.get(k))} for k in keys
        ]
    if isinstance(after, dict) and before is None:
        return [{"field": k, "before": None, "after": _text(v)} for k, v in sorted(after.items())]
    if isinstance(before, dict) and after is None:
        return [{"field": k, "before": _text(v), "after": None} for k, v in sorted(before.items())]
    if before is None and after is None:
        return []
    return [{"field": None, "before": _text(before), "after": _text(after)}]


def _entry(e: AuditEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "at": when(e.at),
        "user": e.user,
        "action": e.action,
        "entity": e.entity,
        "entity_id": e.entity_id,
        "changes": changes(e.before, e.after),
    }


@router.get("/admin/audit", summary="Granskningslogg / audit log")
def audit_page(
    page: str = "1",
    asked: dict[str, str] = Depends(asked_filters),
    ctx: PageContext = Depends(page_context),
) -> Response:
    allow(ctx.viewer.user, "view", "audit")
    query, problems = _filters(ctx, asked)
    # Read here rather than by FastAPI, so that a bad page is named in the page's own summary.
    number = whole(page.strip(), -LAST_PAGE, LAST_PAGE)
    if number is None:
        message = ctx.t("admin.audit_error_page", value=quoted(page), last=LAST_PAGE)
        problems.append(problem("page", message))
    page = max(1, number or 1)
    skipped = (page - 1) * PAGE_SIZE
    entries: list[AuditEntry] = []
    if not problems:
        with ctx.settings.workspace.session() as session:
            # One more than the page holds tells whether there is a next page.
            entries = read_log(
                session, **query, newest_first=True, offset=skipped, limit=PAGE_SIZE + 1
            )
    shown = entries[:PAGE_SIZE]
    params = {k: v for k, v in asked.items() if v}

    def link(n: int) -> str:
        return "/admin/audit?" + urlencode({**params, "page": n})

    facts = {
        "filters": asked,
        "problems": problems,
        "page": page,
        "page_size": PAGE_SIZE,
        "first_shown": skipped + 1 if shown else 0,
        "last_shown": skipped + len(shown),
        "first": link(1),
        "previous": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if len(entries) > PAGE_SIZE else None,
        "exports": {
            fmt: f"/admin/audit/export.{fmt}" + (f"?{urlencode(params)}" if params else "")
            for fmt in ("csv", "json")
        },
        "entries": [_entry(e) for e in shown],
    }
    status = 422 if problems else 200
    return private_page(ctx, Page("admin_audit.html", ctx.t("admin.audit_heading"), facts, status))


def _export(ctx: PageContext, fmt: str, asked: dict[str, str]) -> Response:
    allow(ctx.viewer.user, "export", "audit")
    if fmt not in ("csv", "json"):
        raise HTTPException(404, f"Ingen export som '{fmt}' / no export as '{fmt}': csv or json.")
    query, problems = _filters(ctx, asked)
    if problems:
        raise HTTPException(422, "; ".join(p["message"] for p in problems))
    with ctx.settings.workspace.session() as session:
        entries = read_log(session, **query, newest_first=True)
    out = io.StringIO()
    if fmt == "csv":
        out.write("\ufeff")  # so Excel reads the file as UTF-8
    write_log(entries, out, fmt)  # type: ignore[arg-type]
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Response(
        out.getvalue().encode("utf-8"),
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="jamlik-audit-{stamp}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )


@router.get(
    "/admin/audit/export.{fmt}",
    summary="Exportera granskningsloggen / export the audit log (csv)",
    dependencies=[Depends(html_only)],
)
def audit_export(
    fmt: str,
    asked: dict[str, str] = Depends(asked_filters),
    ctx: PageContext = Depends(page_context),
) -> Response:
    return _export(ctx, fmt, asked)


@router.get(
    "/admin/audit/export",
    summary="Exportera granskningsloggen som JSON / export the audit log as JSON "
    "(address it as /admin/audit/export.json)",
)
def audit_export_json(
    asked: dict[str, str] = Depends(asked_filters), ctx: PageContext = Depends(page_context)
) -> Response:
    # The .json-twin middleware turns /admin/audit/export.json into this address.
    allow(ctx.viewer.user, "export", "audit")
    if not wants_json(ctx.request):
        raise HTTPException(404, "Använd /admin/audit/export.csv eller .json / use .csv or .json.")
    return _export(ctx, "json", asked)
