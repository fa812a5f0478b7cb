"""A programme as a Rich tree: nodes in display order, each with the initiatives that serve it."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from rich.tree import Tree

from jamlik.programme.model import Initiative, Node, Programme

Lang = Literal["sv", "en"]

KIND_LABELS: dict[str, dict[str, str]] = {
    "goal": {"sv": "Mål", "en": "Goal"},
    "target_area": {"sv": "Målområde", "en": "Target area"},
    "strategy": {"sv": "Strategi", "en": "Strategy"},
    "focus_area": {"sv": "Fokusområde", "en": "Focus area"},
    "priority_area": {"sv": "Prioriterat område", "en": "Priority area"},
    "aim": {"sv": "Delmål", "en": "Aim"},
}
STATUS_LABELS: dict[str, dict[str, str]] = {
    "planned": {"sv": "planerad", "en": "planned"},
    "ongoing": {"sv": "pågående", "en": "ongoing"},
    "completed": {"sv": "avslutad", "en": "completed"},
    "paused": {"sv": "pausad", "en": "paused"},
    "cancelled": {"sv": "avbruten", "en": "cancelled"},
}
_WORDS = {
    "initiative": {"sv": "Insats", "en": "Initiative"},
    "unlinked": {"sv": "Insatser utan koppling till nod", "en": "Initiatives not linked to a node"},
    "actors": {"sv": "Aktörer", "en": "Actors"},
    "owner": {"sv": "ägare", "en": "owner"},
    "partners": {"sv": "samverkansparter", "en": "partners"},
}


def _title(item: Node | Initiative | Programme, lang: Lang) -> str:
    return (item.title_en or item.title) if lang == "en" else item.title


def programme_tree(programme: Programme, *, lang: Lang = "sv", initiatives: bool = True) -> Tree:
    """The programme's node tree with (optionally) its initiatives and actors, for printing."""
    head = Text(_title(programme, lang), style="bold")
    span = programme.period
    head.append(f"  ({programme.id}", style="dim")
    if span is not None:
        head.append(f", {span.start} – {span.end or '…'}", style="dim")
    head.append(")", style="dim")
    tree = Tree(head)
    actor_names = {
        a.id: (a.name_en or a.name) if lang == "en" else a.name for a in programme.actors
    }

    branches: dict[str | None, Tree] = {None: tree}
    for _, node in programme.walk():
        label = Text(f"{KIND_LABELS[node.kind][lang]}", style="cyan")
        if node.order is not None:
            label.append(f" {node.order}", style="cyan")
        label.append(f": {_title(node, lang)}")
        branch = branches[node.parent].add(label)
        branches[node.id] = branch
        if initiatives:
            for it in programme.initiatives_for(node.id):
                branch.add(_initiative_label(it, lang, actor_names))
    if initiatives:
        unlinked = [i for i in programme.initiatives if not i.nodes]
        if unlinked:
            group = tree.add(Text(_WORDS["unlinked"][lang], style="bold"))
            for it in unlinked:
                group.add(_initiative_label(it, lang, actor_names))
        if programme.actors:
            names = ", ".join(actor_names[a.id] for a in programme.actors)
            tree.add(Text(f"{_WORDS['actors'][lang]}: ", style="bold").append(names, style=""))
    return tree


def _initiative_label(it: Initiative, lang: Lang, actors: dict[str, str]) -> Text:
    label = Text(f"▸ {_WORDS['initiative'][lang]}: ", style="green")
    label.append(_title(it, lang))
    extra = []
    if it.status:
        extra.append(STATUS_LABELS[it.status][lang])
    if it.period:
        extra.append(f"{it.period.start} – {it.period.end or '…'}")
    if it.owner:
        extra.append(f"{_WORDS['owner'][lang]}: {actors.get(it.owner, it.owner)}")
    if it.partners:
        names = ", ".join(actors.get(a, a) for a in it.partners)
        extra.append(f"{_WORDS['partners'][lang]}: {names}")
    if extra:
        label.append(f"  ({'; '.join(extra)})", style="dim")
    return label
