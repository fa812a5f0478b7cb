"""Administration of the programme tree and its publication (administrators).

`/admin/programme` shows the tree with the publish switch; each node's page edits its texts,
order, target group and indicators, adds a child node and removes the node when nothing hangs
under it and no initiative serves it. The writes are `jamlik.programme.edit_tree`'s: each
claims the record's version (a stale form gets 409 and the stored values) and writes its audit
entry in the same transaction. Forms are read fresh from the database, not from the site's
snapshot, so the version a form carries always belongs to the values it shows.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jamlik.accounts.guard import csrf_protect, require
from jamlik.audit import ConflictError, current_version
from jamlik.errors import ValidationError
from jamlik.programme import Node, Programme, read_programme
from jamlik.programme.edit_tree import (
    NODE,
    PROGRAMME,
    NoSuchNode,
    TreeError,
    add_node,
    edit_node,
    removal_blockers,
    remove_node,
    set_published,
)
from jamlik.web.admin_view import form_page, form_version, problem
from jamlik.web.context import PageContext, page_context
from jamlik.web.tree_form import (
    child_kinds,
    child_values,
    located,
    node_values,
    parse_child,
    parse_node,
)
from jamlik.web.twin import Page, html_only

router = APIRouter(
    tags=["administration"],
    dependencies=[Depends(html_only), Depends(require("edit", "programme"))],
)
BASE = "/admin/programme"


def _fresh(ctx: PageContext) -> Programme:
    with ctx.settings.workspace.session() as session:
        return read_programme(session, ctx.snap.programme.id)


def _version(ctx: PageContext, entity: str, entity_id: str) -> int:
    with ctx.settings.workspace.session() as session:
        return current_version(session, entity, entity_id)


def _no_node(ctx: PageContext, node_id: str) -> HTTPException:
    return HTTPException(404, ctx.t("tree_admin.no_such_node", id=node_id))


def _node(ctx: PageContext, p: Programme, node_id: str) -> Node:
    try:
        return p.node(node_id)
    except KeyError:
        raise _no_node(ctx, node_id) from None


def _tree_page(
    ctx: PageContext, notice: str | None = None, problems: list[dict] = (), status: int = 200
) -> Response:
    t = ctx.t
    p = _fresh(ctx)

    def branch(node: Node) -> dict[str, Any]:
        return {
            "id": node.id,
            "kind_label": t(f"kind.{node.kind}"),
            "title": t.pick(node.title, node.title_en),
            "href": f"{BASE}/nodes/{node.id}",
            "initiatives": len(p.initiatives_for(node.id)),
            "children": [branch(c) for c in p.children(node.id)],
        }

    facts = {
        "programme": {
            "id": p.id,
            "title": t.pick(p.title, p.title_en),
            "published": p.published,
            "version": _version(ctx, PROGRAMME, p.id),
        },
        "tree": [branch(root) for root in p.children(None)],
        "root_kinds": [{"code": k, "label": t(f"kind.{k}")} for k in p.node_kinds[:1]]
        if not p.nodes
        else [],
        "notice": notice,
        "problems": list(problems),
    }
    return form_page(ctx, Page("admin_programme.html", t("tree_admin.heading"), facts, status))


@router.get(BASE, summary="Redigera programträdet / edit the programme tree")
def tree_page(saved: str | None = None, ctx: PageContext = Depends(page_context)) -> Response:
    notices = {"publish": "tree_admin.published_now", "unpublish": "tree_admin.unpublished_now"}
    notice = ctx.t(notices[saved]) if saved in notices else None
    if saved and saved.startswith("removed:"):
        notice = ctx.t("tree_admin.removed", id=saved.removeprefix("removed:"))
    return _tree_page(ctx, notice)


@router.post(
    f"{BASE}/publish",
    summary="Publicera programmet / publish the programme",
    dependencies=[Depends(csrf_protect)],
)
async def publish_submit(request: Request, ctx: PageContext = Depends(page_context)) -> Response:
    form = await request.form()
    choice = form.get("published")
    if choice not in ("yes", "no"):
        raise HTTPException(400, ctx.t("tree_admin.error_publish_choice"))
    expected = form_version(ctx, form)
    try:
        with ctx.settings.workspace.session() as session:
            set_published(
                session, ctx.viewer.user, ctx.snap.programme.id, choice == "yes", expected
            )
    except ConflictError:
        conflict = [problem("publish-form", ctx.t("tree_admin.conflict_publish"))]
        return _tree_page(ctx, problems=conflict, status=409)
    ctx.data.invalidate()
    return RedirectResponse(
        f"{BASE}?saved={'publish' if choice == 'yes' else 'unpublish'}", status_code=303
    )


@router.post(
    f"{BASE}/root", summary="Lägg till programmets rot / add the root node",
    dependencies=[Depends(csrf_protect)],
)  # fmt: skip
async def root_submit(request: Request, ctx: PageContext = Depends(page_context)) -> Response:
    return await _add(request, ctx, None)


@router.post(
    f"{BASE}/nodes/{{node_id}}/children", summary="Lägg till en undernod / add a child node",
    dependencies=[Depends(csrf_protect)],
)  # fmt: skip
async def child_submit(
    node_id: str, request: Request, ctx: PageContext = Depends(page_context)
) -> Response:
    return await _add(request, ctx, node_id)


async def _add(request: Request, ctx: PageContext, parent_id: str | None) -> Response:
    """Add the root (`parent_id` None: problems show on the tree page) or a child node (on
    its parent's page, with the child form as it was filled in)."""
    form = await request.form()
    expected = form_version(ctx, form)
    programme = _fresh(ctx)
    parent = None if parent_id is None else _node(ctx, programme, parent_id)
    child, parsed = parse_child(ctx.t, form, programme, parent)

    def again(problems: list[dict], status: int, version: int | None = expected) -> Response:
        if parent is None:
            return _tree_page(ctx, problems=problems, status=status)
        return _node_page(
            ctx, parent.id, child=child, version=version, problems=problems, status=status
        )

    if isinstance(parsed, list):
        return again(parsed, 422)
    try:
        with ctx.settings.workspace.session() as session:
            node = add_node(session, ctx.viewer.user, ctx.snap.programme.id, parsed, expected)
    except ConflictError:
        # The version claimed is the parent's, or the programme's for a root.
        conflict = "tree_admin.conflict" if parent else "tree_admin.conflict_publish"
        return again([problem(None, ctx.t(conflict))], 409, version=None)
    except ValidationError as exc:
        return again(located(exc, "new-"), 422)
    ctx.data.invalidate()
    return RedirectResponse(f"{BASE}/nodes/{node.id}?saved=created", status_code=303)


def _node_page(
    ctx: PageContext,
    node_id: str,
    *,
    values: dict[str, Any] | None = None,
    child: dict[str, Any] | None = None,
    version: int | None = None,
    problems: list[dict] = (),  # type: ignore[assignment]
    notice: str | None = None,
    lost: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    t = ctx.t
    p = _fresh(ctx)
    node = _node(ctx, p, node_id)
    indicators = [
        {"id": i.id, "title": t.pick(i.title, i.title_en)} for i in ctx.snap.indicators.values()
    ]
    facts = {
        "node": {
            "id": node.id,
            "kind_label": t(f"kind.{node.kind}"),
            "title": t.pick(node.title, node.title_en),
            "href": f"/programme/{node.id}",
            "action": f"{BASE}/nodes/{node.id}",
            "parent": node.parent,
        },
        "form": values or node_values(node),
        "version": _version(ctx, NODE, node.id) if version is None else version,
        "indicators": sorted(indicators, key=lambda i: i["title"]),
        "child_kinds": [{"code": k, "label": t(f"kind.{k}")} for k in child_kinds(p, node)],
        "child": child or child_values(p, node),
        "blockers": removal_blockers(p, node.id),
        "problems": list(problems),
        "notice": notice,
        "lost": lost,
    }
    title = t("tree_admin.node_heading", title=facts["node"]["title"])
    return form_page(ctx, Page("admin_programme_node.html", title, facts, status))


@router.get(f"{BASE}/nodes/{{node_id}}", summary="Redigera en nod / edit a node")
def node_page(
    node_id: str, saved: str | None = None, ctx: PageContext = Depends(page_context)
) -> Response:
    notice = {"edited": "tree_admin.saved", "created": "tree_admin.created"}.get(saved or "")
    return _node_page(ctx, node_id, notice=ctx.t(notice) if notice else None)


@router.post(
    f"{BASE}/nodes/{{node_id}}", summary="Spara en nod / save a node",
    dependencies=[Depends(csrf_protect)],
)  # fmt: skip
async def node_submit(
    node_id: str, request: Request, ctx: PageContext = Depends(page_context)
) -> Response:
    form = await request.form()
    expected = form_version(ctx, form)
    values, parsed = parse_node(ctx.t, form, _node(ctx, _fresh(ctx), node_id).indicators)
    again = partial(_node_page, ctx, node_id, values=values, version=expected, status=422)
    if isinstance(parsed, list):
        return again(problems=parsed)
    try:
        with ctx.settings.workspace.session() as session:
            edit_node(session, ctx.viewer.user, node_id, parsed, expected)
    except NoSuchNode:
        raise _no_node(ctx, node_id) from None
    except ConflictError:
        conflict = [problem(None, ctx.t("tree_admin.conflict"))]
        return _node_page(ctx, node_id, problems=conflict, lost=values, status=409)
    except ValidationError as exc:
        return again(problems=located(exc, ""))
    ctx.data.invalidate()
    return RedirectResponse(f"{BASE}/nodes/{node_id}?saved=edited", status_code=303)


@router.post(
    f"{BASE}/nodes/{{node_id}}/delete", summary="Ta bort en nod / remove a node",
    dependencies=[Depends(csrf_protect)],
)  # fmt: skip
async def remove_submit(
    node_id: str, request: Request, ctx: PageContext = Depends(page_context)
) -> Response:
    form = await request.form()
    expected = form_version(ctx, form)
    if form.get("confirm") != "yes":
        missing = [problem("confirm", ctx.t("tree_admin.error_confirm"))]
        return _node_page(ctx, node_id, problems=missing, status=400)
    try:
        with ctx.settings.workspace.session() as session:
            remove_node(session, ctx.viewer.user, node_id, expected)
    except NoSuchNode:
        raise _no_node(ctx, node_id) from None
    except ConflictError:
        conflict = [problem(None, ctx.t("tree_admin.conflict"))]
        return _node_page(ctx, node_id, problems=conflict, status=409)
    except (TreeError, ValidationError) as exc:
        refused = [problem("remove-blockers", ctx.t("tree_admin.remove_refused", reason=str(exc)))]
        return _node_page(ctx, node_id, problems=refused, status=422)
    ctx.data.invalidate()
    return RedirectResponse(f"{BASE}?saved=removed:{node_id}", status_code=303)
