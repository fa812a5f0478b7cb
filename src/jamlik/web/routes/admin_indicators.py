"""Administration of indicators and their targets (administrators).

`/admin/indicators` lists the workspace's indicators; each indicator's form edits its texts,
unit, scale, direction, source, usual breakdowns and targets (add, change, remove). The write
is `jamlik.data.edit_indicators.edit_indicator`: it claims the indicator's version (a stale
form gets 409 and the stored values) and writes its audit entry in the same transaction.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jamlik.accounts.guard import csrf_protect, require
from jamlik.audit import ConflictError, current_version
from jamlik.data import TOTAL, Indicator
from jamlik.data.edit_indicators import INDICATOR, NoSuchIndicator, edit_indicator, read_indicator
from jamlik.errors import ValidationError
from jamlik.measures import catalogue
from jamlik.web.admin_view import form_page, form_version, problem
from jamlik.web.context import PageContext, page_context
from jamlik.web.indicator_form import (
    POLARITIES,
    SOURCE_KINDS,
    indicator_values,
    located,
    parse_indicator,
    with_blank_rows,
)
from jamlik.web.twin import Page, html_only

router = APIRouter(
    tags=["administration"],
    dependencies=[Depends(html_only), Depends(require("edit", "indicator"))],
)
BASE = "/admin/indicators"


def _stored(ctx: PageContext, session: Session, indicator_id: str) -> Indicator:
    try:
        return read_indicator(session, indicator_id)
    except NoSuchIndicator:
        raise HTTPException(404, ctx.t("ind_admin.no_such_indicator", id=indicator_id)) from None


@router.get(BASE, summary="Indikatorer / indicators")
def indicators_page(ctx: PageContext = Depends(page_context)) -> Response:
    t = ctx.t
    rows = [
        {
            "id": i.id,
            "title": t.pick(i.title, i.title_en),
            "unit": i.unit,
            "polarity": t(f"ind_admin.polarity_{i.polarity}"),
            "targets": len(i.targets),
            "href": f"{BASE}/{i.id}",
        }
        for i in sorted(ctx.snap.indicators.values(), key=lambda i: i.title)
    ]
    page = Page("admin_indicators.html", t("ind_admin.heading"), {"indicators": rows})
    return form_page(ctx, page)


def _measures() -> list[dict[str, str]]:
    return [{"code": e.code, "name_sv": e.name_sv, "name_en": e.name_en} for e in catalogue()]


def _form(
    ctx: PageContext,
    indicator_id: str,
    *,
    values: dict[str, Any] | None = None,
    version: int | None = None,
    problems: list[dict] = (),  # type: ignore[assignment]
    notice: str | None = None,
    lost: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    t = ctx.t
    with ctx.settings.workspace.session() as session:
        stored = _stored(ctx, session, indicator_id)
        if version is None:
            version = current_version(session, INDICATOR, indicator_id)
    values = values or indicator_values(stored)
    dimensions = [{"id": TOTAL, "title": t("common.total")}] + [
        {"id": d.id, "title": t.pick(d.title, d.title_en)}
        for d in sorted(ctx.snap.dimensions.values(), key=lambda d: d.id)
        if d.id != TOTAL
    ]
    facts = {
        "indicator": {
            "id": stored.id,
            "title": t.pick(stored.title, stored.title_en),
            "action": f"{BASE}/{stored.id}",
        },  # fmt: skip
        "form": {**values, "targets": with_blank_rows(values)},
        "version": version,
        "polarities": [{"code": p, "label": t(f"ind_admin.polarity_{p}")} for p in POLARITIES],
        "source_kinds": list(SOURCE_KINDS),
        "dimensions": dimensions,
        "measures": [
            {
                "code": m["code"],
                "label": f"{m['code']} – {m['name_en' if ctx.lang == 'en' else 'name_sv']}",
            }  # noqa: E501
            for m in _measures()
        ],
        "problems": list(problems),
        "notice": notice,
        "lost": lost,
    }
    title = t("ind_admin.form_heading", title=facts["indicator"]["title"])
    return form_page(ctx, Page("admin_indicator_form.html", title, facts, status))


@router.get(f"{BASE}/{{indicator_id}}", summary="Redigera en indikator / edit an indicator")
def indicator_page(
    indicator_id: str, saved: int | None = None, ctx: PageContext = Depends(page_context)
) -> Response:
    return _form(ctx, indicator_id, notice=ctx.t("ind_admin.saved") if saved else None)


@router.post(
    f"{BASE}/{{indicator_id}}", summary="Spara en indikator / save an indicator",
    dependencies=[Depends(csrf_protect)],
)  # fmt: skip
async def indicator_submit(
    indicator_id: str, request: Request, ctx: PageContext = Depends(page_context)
) -> Response:
    form = await request.form()
    expected = form_version(ctx, form)
    with ctx.settings.workspace.session() as session:
        stored = _stored(ctx, session, indicator_id)
    values, parsed, kept = parse_indicator(ctx.t, form, stored)
    again = partial(_form, ctx, indicator_id, values=values, version=expected, status=422)
    if isinstance(parsed, list):
        return again(problems=parsed)
    codes = {m["code"] for m in _measures()}
    try:
        with ctx.settings.workspace.session() as session:
            edit_indicator(session, ctx.viewer.user, indicator_id, parsed, expected, measures=codes)
    except ConflictError:
        conflict = [problem(None, ctx.t("ind_admin.conflict"))]
        return _form(ctx, indicator_id, problems=conflict, lost=values, status=409)
    except ValidationError as exc:
        shown = [r["n"] for r in with_blank_rows(values)]
        return again(problems=located(exc, kept, shown, ctx.t))
    ctx.data.invalidate()
    return RedirectResponse(f"{BASE}/{indicator_id}?saved=1", status_code=303)
