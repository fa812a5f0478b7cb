"""What the initiative form offers and where its problems point: the choices (actors, nodes,
indicators, districts, owners), an initiative as form values, and model paths
(`reach[2].period`) tied to the form control and label a problem is shown with.

A problem is `{"field": id of the form control or None, "message": text}`, so the template can
link each line of the error summary to its field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jamlik.accounts import Resource, can
from jamlik.errors import ValidationError
from jamlik.programme import Initiative, Programme
from jamlik.web.i18n import Translator
from jamlik.web.store import Snapshot

ENTITY = "initiative"
GROUPS = ("partners", "nodes", "indicators", "areas")
REACH_COLUMNS = ("period", "area", "dimension", "subgroup", "reached")
TEXTS = ("title", "title_en", "purpose", "content", "notes")
MULTILINE = frozenset({"purpose", "content", "notes"})
# Form control id and label of each model field (dotted path as the model nests it).
FIELDS = {
    "id": ("id", "edit.id"),
    "title": ("title", "edit.title"),
    "title_en": ("title_en", "edit.title_en"),
    "status": ("status", "edit.status"),
    "owner": ("owner", "edit.owner"),
    "period": ("start", "edit.period_start"),
    "period.start": ("start", "edit.period_start"),
    "period.end": ("end", "edit.period_end"),
    "purpose": ("purpose", "edit.purpose"),
    "content": ("content", "edit.content"),
    "notes": ("notes", "edit.notes"),
    "target_group": ("tg_text", "edit.target_group"),
    "target_group.text": ("tg_text", "edit.target_group"),
    "target_group.text_en": ("tg_text_en", "edit.target_group_en"),
    "target_group.age_min": ("tg_age_min", "edit.age_min"),
    "target_group.age_max": ("tg_age_max", "edit.age_max"),
    "budget": ("budget_amount", "edit.budget"),
    "budget.amount_sek": ("budget_amount", "edit.budget_amount"),
    "budget.funder": ("budget_funder", "edit.budget_funder"),
    "budget.funder_text": ("budget_funder_text", "edit.budget_funder_text"),
    **{g: (f"{g}-0", f"edit.{g}") for g in GROUPS},
}


def may_edit(user: Any, it: Initiative) -> bool:
    """Whether `user` may open the edit form of `it` (the initiative pages' "Redigera" link)."""
    return can(user, "edit", Resource(ENTITY, owner=it.owner))


def owners_for(user: Any, programme: Programme) -> list[str]:
    """The programme's actors `user` may create an initiative for, in programme order."""
    return [a.id for a in programme.actors if can(user, "create", Resource(ENTITY, owner=a.id))]


@dataclass(frozen=True)
class Choices:
    """What the form offers: the programme's actors, nodes (tree order), the indicators and
    districts of the workspace, and the owners this viewer may choose."""

    labels: dict[str, dict[str, str]]  # group -> id -> label, in display order
    depth: dict[str, int]  # node id -> depth in the tree
    owners: list[str]
    areas: frozenset[str]  # every area id the workspace knows (not only districts)

    @classmethod
    def of(cls, t: Translator, snap: Snapshot, owners: list[str]) -> Choices:
        p = snap.programme
        actors = {a.id: t.pick(a.name, a.name_en) or a.name for a in p.actors}
        walked = list(p.walk())
        nodes = {n.id: f"{t(f'kind.{n.kind}')}: {t.pick(n.title, n.title_en)}" for _, n in walked}
        indicators = {
            i.id: t.pick(i.title, i.title_en) or i.title
            for i in sorted(snap.indicators.values(), key=lambda i: i.title)
        }
        districts = {a.id: a.name for a in snap.districts}
        return cls(
            labels={
                "partners": actors,
                "nodes": nodes,
                "indicators": indicators,
                "areas": districts,
                "actors": actors,
            },
            depth={n.id: d for d, n in walked},
            owners=owners,
            areas=frozenset(snap.areas),
        )

    def known(self, group: str, value: str) -> bool:
        return value in self.labels[group] or (group == "areas" and value in self.areas)

    def options(self, t: Translator, group: str, chosen: list[str]) -> list[dict[str, Any]]:
        """The checkboxes of a group: every known choice, then chosen values the list lacks
        (an area that is not a district, or an unknown id sent back for correction)."""
        ids = [*self.labels[group], *(c for c in chosen if c not in self.labels[group])]
        return [
            {
                "id": i,
                "html_id": f"{group}-{k}",
                "label": self.labels[group].get(i) or t("edit.choice_unknown", id=i),
                "checked": i in chosen,
                "depth": self.depth.get(i, 0),
            }
            for k, i in enumerate(ids)
        ]

    def html_id(self, group: str, value: str, chosen: list[str]) -> str:
        ids = [*self.labels[group], *(c for c in chosen if c not in self.labels[group])]
        return f"{group}-{ids.index(value)}" if value in ids else f"{group}-0"


def form_values(it: Initiative | None) -> dict[str, Any]:
    """The form's fields for a stored initiative (None: a new, empty one)."""
    if it is None:
        return {**form_values(Initiative(id="new", title="new")), "id": "", "title": ""}
    tg, b = it.target_group, it.budget
    return {
        "id": it.id,
        **{k: getattr(it, k) or "" for k in TEXTS},
        "status": it.status or "",
        "owner": it.owner or "",
        "start": it.period.start.isoformat() if it.period else "",
        "end": it.period.end.isoformat() if it.period and it.period.end else "",
        **{g: list(getattr(it, g)) for g in GROUPS},
        "tg_text": tg.text if tg else "",
        "tg_text_en": tg.text_en or "" if tg else "",
        "tg_age_min": _text(tg.age_min) if tg else "",
        "tg_age_max": _text(tg.age_max) if tg else "",
        "budget_amount": _text(b.amount_sek) if b else "",
        "budget_funder": b.funder or "" if b else "",
        "budget_funder_text": b.funder_text or "" if b else "",
        "reach": [{**r.model_dump(), "reached": str(r.reached)} for r in it.reach],
    }


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


def located(
    t: Translator, loc: tuple, message: str, data: dict[str, Any], choices: Choices
) -> dict[str, str | None]:
    """A problem at a model path (`("reach", 2, "period")`) tied to its form control."""
    parts = [p for p in loc if p is not None]
    if parts and parts[0] == "reach" and len(parts) >= 2 and isinstance(parts[1], int):
        column = parts[2] if len(parts) > 2 and parts[2] in REACH_COLUMNS else "period"
        label = t("edit.row", label=t("edit.reach"), n=parts[1] + 1)
        return {"field": f"reach-{parts[1]}-{column}", "message": f"{label}: {message}"}
    if parts and parts[0] in GROUPS:
        chosen = data.get(parts[0]) or []
        value = chosen[parts[1]] if len(parts) > 1 and isinstance(parts[1], int) else None
        field = choices.html_id(parts[0], value, chosen) if value else f"{parts[0]}-0"
        return {"field": field, "message": f"{t(f'edit.{parts[0]}')}: {message}"}
    dotted = ".".join(str(p) for p in parts)
    while dotted and dotted not in FIELDS:
        dotted = dotted.rpartition(".")[0]
    if not dotted:
        return {"field": None, "message": message}
    field, label = FIELDS[dotted]
    return {"field": field, "message": f"{t(label)}: {message}"}


def store_problems(
    t: Translator, exc: ValidationError, data: dict[str, Any], choices: Choices
) -> list[dict[str, str | None]]:
    """The store's problems (fields named `initiatives[4].reach[2].period`) tied to controls."""
    out = []
    for p in exc.problems:
        path = re.sub(r"^initiatives\[\d+\]\.?", "", p.field or "")
        loc = tuple(int(x) if x.isdigit() else x for x in re.findall(r"[^.\[\]]+", path))
        out.append(located(t, loc, p.message, data, choices))
    return out
