"""Exempelstad's programme: Gothenburg's programme and focus area applied to Exempelstad.

The node tree (goal, prerequisites, target areas with every strategy, focus area 2 with its
priority areas and aims) is the shipped Gothenburg example, loaded through `jamlik.programme`
and re-labelled: ids get the prefix "ex-" instead of "gbg-", "Göteborg" becomes "Exempelstad".
Gothenburg's own actors and initiatives are replaced by Exempelstad's fictitious ones
(`jamlik.demo.initiatives`), with reach by district drawn from `jamlik.demo.reach`.
"""

from __future__ import annotations

from datetime import date

from jamlik.demo.exempelstad import DISTRICTS, FICTITIOUS_EN, FICTITIOUS_SV
from jamlik.demo.indicators import INDICATORS
from jamlik.demo.initiatives import ACTORS, INITIATIVES, InitiativeSpec
from jamlik.demo.reach import reach_records
from jamlik.errors import JamlikError
from jamlik.programme import (
    Actor,
    Budget,
    Initiative,
    Node,
    Period,
    Programme,
    Reach,
    Section,
    SectionItem,
    TargetGroup,
    load_example,
    rename_ids,
    validate_programme,
)

PROGRAMME_ID = "exempelstad-jamlik-stad"
SOURCE_EXAMPLE = "goteborg-jamlik-stad"

# Programme nodes the demo links to, found by kind and a phrase of their (seed) title.
NODE_KEYS: dict[str, tuple[str, str]] = {
    "mal": ("goal", "jämlik stad"),
    "god-start": ("target_area", "god start"),
    "arbete": ("target_area", "förutsättningar för arbete"),
    "livsmiljoer": ("target_area", "livsmiljöer"),
    "delaktighet": ("target_area", "delaktighet"),
    "tidiga-insatser": ("strategy", "fokusera på tidiga insatser"),
    "starka-vuxna": ("strategy", "stärka vuxna runt barn"),
    "sprakutveckling": ("strategy", "språkutveckling"),
    "meningsfull-fritid": ("strategy", "meningsfull fritid"),
    "matcha": ("strategy", "matcha kompetens"),
    "skraddarsy": ("strategy", "skräddarsy utbildning"),
    "forsta-steget": ("strategy", "första steget"),
    "bostader": ("strategy", "tillgången till bostäder"),
    "valdeltagande": ("strategy", "öka valdeltagande"),
    "fokus-god-start": ("focus_area", "god start i livet"),
    "skolaren": ("focus_area", "genom skolåren"),
    "hem": ("priority_area", "hem"),
    "skola": ("priority_area", "skola"),
    "fritid": ("priority_area", "fritid"),
    "foraldrastod": ("aim", "föräldrastöd för alla"),
    "skolgang": ("aim", "varje elevs förutsättningar"),
    "kultur-fritid": ("aim", "kultur och fritidsaktiviteter"),
}

# Indicators each node follows, beyond the target area an indicator belongs to.
EXTRA_INDICATOR_NODES: dict[str, tuple[str, ...]] = {
    "fokus-god-start": ("ex-forskola-1-5", "ex-lag-ek-standard-barn"),
    "skolaren": ("ex-behorighet-gymnasiet", "ex-problematisk-franvaro", "ex-kulturskola"),
    "skola": ("ex-behorighet-gymnasiet", "ex-problematisk-franvaro"),
    "fritid": ("ex-kulturskola",),
    "valdeltagande": ("ex-valdeltagande",),
    "matcha": ("ex-forvarvsarbete-20-64",),
    "forsta-steget": ("ex-unga-utanfor-16-20",),
    "bostader": ("ex-trangboddhet",),
}

_RENAMES = (
    ("Göteborgs Stads", "Exempelstads"),
    ("Göteborgs Stad", "Exempelstad"),
    ("göteborgare", "invånare i Exempelstad"),
    ("Göteborgs", "Exempelstads"),
    ("Göteborg", "Exempelstad"),
    ("City of Gothenburg's", "Exempelstad's"),
    ("City of Gothenburg", "Exempelstad"),
    ("Gothenburg's", "Exempelstad's"),
    ("Gothenburg", "Exempelstad"),
    ("VGR", "regionen"),
)


def localise(text: str | None) -> str | None:
    """Gothenburg's wording with Exempelstad in its place."""
    if text is None:
        return None
    for old, new in _RENAMES:
        text = text.replace(old, new)
    return text


def local_id(gothenburg_id: str) -> str:
    """'gbg-foo' -> 'ex-foo', 'foo' -> 'ex-foo' (ids must be unique within a workspace)."""
    return "ex-" + gothenburg_id.removeprefix("gbg-")


def _localised(n: Node, indicators: list[str]) -> Node:
    return n.model_copy(
        update={
            "title": localise(n.title),
            "title_en": localise(n.title_en),
            "description": localise(n.description),
            "description_en": localise(n.description_en),
            "indicators": indicators,
        }
    )


def _section(s: Section) -> Section:
    items = [SectionItem(text=localise(i.text), text_en=localise(i.text_en)) for i in s.items]
    return s.model_copy(
        update={
            "id": local_id(s.id),
            "title": localise(s.title),
            "title_en": localise(s.title_en),
            "description": localise(s.description),
            "description_en": localise(s.description_en),
            "items": items,
        }
    )


def resolve_nodes(nodes: list[Node]) -> dict[str, str]:
    """Node key -> node id, by kind and title phrase; an error names every key not found once."""
    found, problems = {}, []
    for key, (kind, phrase) in NODE_KEYS.items():
        hits = [
            n.id
            for n in nodes
            if n.kind == kind
            and (
                n.title.lower().startswith(phrase)
                if kind == "priority_area"
                else phrase in n.title.lower()
            )
        ]
        if len(hits) == 1:
            found[key] = hits[0]
        else:
            problems.append(f"{key}: {kind} titled '…{phrase}…' matched {hits or 'nothing'}")
    if problems:
        raise JamlikError(
            "The Gothenburg example no longer has the nodes the demo links to: "
            + "; ".join(problems)
        )
    return found


def _initiative(spec: InitiativeSpec, node_ids: dict[str, str], seed: int) -> Initiative:
    areas = list(spec.areas) if spec.areas is not None else [d.id for d in DISTRICTS]
    start = date.fromisoformat(spec.start)
    end = date.fromisoformat(spec.end) if spec.end else None
    records = reach_records(spec.id, spec.reach, start.year, end.year if end else None, areas, seed)
    return Initiative(
        id=spec.id,
        title=spec.title,
        title_en=spec.title_en,
        status=spec.status,
        period=Period(start=start, end=end),
        owner=spec.owner,
        partners=list(spec.partners),
        nodes=[node_ids[k] for k in spec.nodes],
        purpose=spec.purpose,
        content=spec.content,
        target_group=TargetGroup(
            text=spec.target_group, age_min=spec.ages[0], age_max=spec.ages[1]
        ),
        areas=areas,
        budget=Budget(amount_sek=spec.budget_sek, funder=spec.funder, funder_text=spec.funder_text),
        indicators=list(spec.indicators),
        reach=[Reach(**r) for r in records],
        notes=f"{FICTITIOUS_SV}: räckvidden är dragen ur demomodellen ({spec.reach.pattern}).",
    )


def exempelstad_programme(seed: int) -> Programme:
    """The demo programme, built from the shipped Gothenburg example."""
    try:
        gothenburg = load_example(SOURCE_EXAMPLE)
    except KeyError as exc:
        raise JamlikError(f"The demo builds on a shipped example programme: {exc}") from None
    # Gothenburg's own actors and initiatives give way to Exempelstad's.
    tree = gothenburg.model_copy(update={"actors": [], "initiatives": []})
    tree = rename_ids(tree, local_id, programme_id=PROGRAMME_ID)
    node_ids = resolve_nodes(tree.nodes)
    links: dict[str, list[str]] = {}
    for ind in INDICATORS:
        links.setdefault(node_ids[ind.target_area], []).append(ind.id)
    for key, indicator_ids in EXTRA_INDICATOR_NODES.items():
        links.setdefault(node_ids[key], []).extend(indicator_ids)

    programme = tree.model_copy(
        update={
            "title": f"Exempelstads program för en jämlik stad 2018–2026 ({FICTITIOUS_SV})",
            "title_en": f"Exempelstad's programme for an equal city 2018–2026 ({FICTITIOUS_EN})",
            "description": (
                f"{FICTITIOUS_SV}. Göteborgs Stads program för en jämlik stad 2018–2026 och "
                "fokusområdet för skolåren, tillämpade på den påhittade kommunen Exempelstad, "
                "med påhittade aktörer, insatser och räckvidd."
            ),
            "description_en": (
                f"{FICTITIOUS_EN}. The City of Gothenburg's programme for an equal city and its "
                "focus area for the school years, applied to the invented municipality "
                "Exempelstad, with invented actors, initiatives and reach."
            ),
            "source": f"jamlik demo, built from the shipped example '{SOURCE_EXAMPLE}'",
            # The demo site is for everyone to try without an account.
            "published": True,
            # Stored with the programme: every page, JSON answer and report says so.
            "fictitious": True,
            "sections": [_section(s) for s in tree.sections],
            "nodes": [_localised(n, links.get(n.id, [])) for n in tree.nodes],
            "actors": [
                Actor(id=i, name=name, kind=kind, parent=parent) for i, name, kind, parent in ACTORS
            ],
            "initiatives": [_initiative(spec, node_ids, seed) for spec in INITIATIVES],
        }
    )
    return validate_programme(Programme.model_validate(programme.model_dump()))
