"""The programme-tree forms as form fields: a node's values as text, the submitted text read
back into changes (with each mistake named in plain Swedish or English at its field), and
problems from `jamlik.programme.edit_tree` pointed at the field they concern."""

from __future__ import annotations

import re
from typing import Any

from jamlik.errors import ValidationError
from jamlik.programme import Node, Programme
from jamlik.programme.model import ID_PATTERN, MAX_ORDER
from jamlik.web.admin_view import problem
from jamlik.web.form_values import is_whole, shown, whole
from jamlik.web.i18n import Translator

TEXTS = ("title", "title_en", "description", "description_en")
# A problem's field (relative to the node) -> the id of the input it concerns.
_FIELDS = {
    "title": "title",
    "title_en": "title_en",
    "description": "description",
    "description_en": "description_en",
    "order": "order",
    "target_group": "tg_text",
    "target_group.text": "tg_text",
    "target_group.text_en": "tg_text_en",
    "target_group.age_min": "age_min",
    "target_group.age_max": "age_max",
    "indicators": "indicators",
}
_CHILD_FIELDS = {"id": "new-id", "kind": "new-kind", "parent": "new-kind", "title": "new-title"}


def node_values(node: Node) -> dict[str, Any]:
    """A stored node as the node form shows it."""
    tg = node.target_group
    return {
        **{key: getattr(node, key) or "" for key in TEXTS},
        "order": "" if node.order is None else str(node.order),
        "tg_text": tg.text if tg else "",
        "tg_text_en": (tg.text_en or "") if tg else "",
        "age_min": "" if tg is None or tg.age_min is None else str(tg.age_min),
        "age_max": "" if tg is None or tg.age_max is None else str(tg.age_max),
        "indicators": list(node.indicators),
    }


def _whole(t: Translator, text: str, field: str, label: str, problems: list, low: int, high: int):
    if not text:
        return None
    if (value := whole(text, low, high)) is not None:
        return value
    if not is_whole(text):
        problems.append(problem(field, t("tree_admin.error_whole", field=label, value=shown(text))))
    else:
        problems.append(
            problem(field, t("tree_admin.error_range", field=label, low=low, high=high))
        )
    return None


def parse_node(
    t: Translator, form: Any, stored: list[str]
) -> tuple[dict[str, Any], dict[str, Any] | list[dict]]:
    """The submitted node form, and the changes for `edit_node` or the problems found.

    Ticked indicators keep the order the node lists them in (`stored`), new ones follow:
    check boxes say which, not in what order, and pages show a node's indicators in order."""
    values = {key: str(form.get(key, "")).strip() for key in (*TEXTS, "order", "tg_text",
              "tg_text_en", "age_min", "age_max")}  # fmt: skip
    values["indicators"] = [str(i) for i in form.getlist("indicators")]
    problems: list[dict] = []
    if not values["title"]:
        problems.append(problem("title", t("tree_admin.error_title")))
    order = _whole(
        t, values["order"], "order", t("tree_admin.order"), problems, -MAX_ORDER, MAX_ORDER
    )
    ages = [
        _whole(t, values[key], key, t(f"tree_admin.{key}"), problems, 0, 120)
        for key in ("age_min", "age_max")
    ]
    target_group = None
    if values["tg_text"]:
        target_group = {"text": values["tg_text"], "text_en": values["tg_text_en"] or None,
                        "age_min": ages[0], "age_max": ages[1]}  # fmt: skip
    elif values["tg_text_en"] or values["age_min"] or values["age_max"]:
        problems.append(problem("tg_text", t("tree_admin.error_target_group")))
    if problems:
        return values, problems
    changes = {key: values[key] or None for key in TEXTS}
    ticked = set(values["indicators"])
    indicators = [i for i in stored if i in ticked]
    indicators += [i for i in dict.fromkeys(values["indicators"]) if i not in indicators]
    changes |= {"order": order, "target_group": target_group, "indicators": indicators}
    return values, changes


def child_kinds(p: Programme, parent: Node | None) -> list[str]:
    """Kinds a new node may have under `parent` (after its kind in `node_kinds`); any declared
    kind for a root."""
    kinds = list(p.node_kinds)
    if parent is None:
        return kinds
    if parent.kind not in kinds:
        return []
    return kinds[kinds.index(parent.kind) + 1 :]


def _ids(p: Programme) -> set[str]:
    return {i.id for items in (p.nodes, p.actors, p.initiatives) for i in items}


def child_values(p: Programme, parent: Node) -> dict[str, str]:
    """The add-a-child form, blank but for a free id to start from."""
    taken = _ids(p)
    n = 1 + len(p.children(parent.id))
    while f"{parent.id}-{n}" in taken:
        n += 1
    kinds = child_kinds(p, parent)
    return {"id": f"{parent.id}-{n}", "kind": kinds[0] if kinds else "", "title": "",
            "title_en": ""}  # fmt: skip


def parse_child(
    t: Translator, form: Any, p: Programme, parent: Node | None
) -> tuple[dict[str, str], dict[str, Any] | list[dict]]:
    """The submitted add-a-node form, and the values for `add_node` or the problems found."""
    values = {key: str(form.get(key, "")).strip() for key in ("id", "kind", "title", "title_en")}
    problems = []
    if not re.match(ID_PATTERN, values["id"]):
        problems.append(problem("new-id", t("tree_admin.error_id", id=values["id"])))
    elif values["id"] in _ids(p):
        problems.append(problem("new-id", t("tree_admin.error_id_taken", id=values["id"])))
    if values["kind"] not in child_kinds(p, parent):
        problems.append(problem("new-kind", t("tree_admin.error_kind")))
    if not values["title"]:
        problems.append(problem("new-title", t("tree_admin.error_title")))
    if problems:
        return values, problems
    parent_id = parent.id if parent else None
    return values, {**values, "title_en": values["title_en"] or None, "parent": parent_id}


def located(exc: ValidationError, prefix: str) -> list[dict]:
    """`edit_tree`'s problems as error-summary entries pointing at their inputs."""
    fields, fallback = (_CHILD_FIELDS, "child-form") if prefix else (_FIELDS, "node-form")
    out = []
    for p in exc.problems:
        name = re.sub(r"\[\d+\]$", "", p.field or "")
        out.append(problem(fields.get(name, fallback), p.message))
    return out
