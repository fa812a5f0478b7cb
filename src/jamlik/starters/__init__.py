"""Starters: a workspace for a real organisation in one command (`jamlik start goteborg|boras|vgr`).

A starter (a YAML file beside this module) names the shipped example programme, the
organisation's areas and comparison municipalities, and public indicators with the programme
nodes (or initiatives) they follow. `start` defines the areas and indicators, stores the programme
with those links, and saves one Kolada query per indicator, so `jamlik refresh` fetches the values
when the machine is online. Every code a starter ships is checked against the public source its
file cites; where an id could not be checked (Kolada KPIs), the query names the KPI by the words of
its title and the refresh looks it up in Kolada's own catalogue instead of trusting a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jamlik.data import Definitions, import_definitions
from jamlik.errors import JamlikError
from jamlik.programme.examples import load_example
from jamlik.programme.store import import_programme
from jamlik.sources.saved import SavedQuery, save_query
from jamlik.sources.yamlio import load_yaml
from jamlik.workspace import Workspace

STARTERS_DIR = Path(__file__).parent


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StarterArea(_Model):
    id: str
    name: str
    code: str
    level: Literal["municipality", "district"] = "municipality"
    parent: str | None = None  # a district's municipality (an area id of the same starter)


class StarterIndicator(_Model):
    id: str
    title: str
    title_en: str | None = None
    polarity: Literal["higher_is_better", "higher_is_worse"]
    unit: str | None = None
    scale: float = 1.0
    kpi_title: str  # words of the Kolada KPI's title, looked up at refresh (no unchecked id)
    nodes: list[str] = Field(default_factory=list)
    initiatives: list[str] = Field(default_factory=list)


class Starter(_Model):
    id: str
    organisation: str
    programme: str  # a shipped example programme (`jamlik programme examples`)
    areas: list[StarterArea]
    comparison: list[StarterArea] = Field(default_factory=list)
    indicators: list[StarterIndicator]
    left_out: list[str] = Field(default_factory=list)  # what the starter could not ship, and why


@dataclass
class Started:
    """What `start` made, for the terminal."""

    starter: Starter
    programme: str
    areas: int
    indicators: int
    queries: list[Path] = field(default_factory=list)


def starters() -> dict[str, Path]:
    """Name → file of every shipped starter."""
    return {p.stem: p for p in sorted(STARTERS_DIR.glob("*.yaml"))}


def load_starter(name: str) -> Starter:
    paths = starters()
    if name not in paths:
        raise JamlikError(f"Ingen startpunkt / no starter {name!r}; there are: {', '.join(paths)}.")
    return load_yaml(paths[name]).validate(Starter)


def start(name: str, workspace: Workspace, *, kolada_url: str | None = None) -> Started:
    """Create (or bring up to date) `workspace` for the organisation of starter `name`.

    Areas and indicators are defined first (the programme refers to them), then the programme is
    stored with its links, then one saved Kolada query per indicator is written. Running it again
    changes nothing that is already as the starter says.
    """
    starter = load_starter(name)
    workspace.init()
    areas = [*starter.areas, *starter.comparison]
    defs = Definitions.model_validate(
        {
            "areas": [
                {"id": a.id, "name": a.name, "level": a.level, "code": a.code, "parent": a.parent}
                for a in areas
            ],
            "indicators": [
                {
                    "id": i.id,
                    "title": i.title,
                    "title_en": i.title_en,
                    "polarity": i.polarity,
                    "unit": i.unit,
                    "scale": i.scale,
                    "source": {"kind": "kolada", "ref": f"kpi_title: {i.kpi_title}"[:400]},
                }
                for i in starter.indicators
            ],
        }
    )
    import_definitions(workspace, defs)

    programme = load_example(starter.programme)
    on_node: dict[str, list[str]] = {}
    on_initiative: dict[str, list[str]] = {}
    for ind in starter.indicators:
        for n in ind.nodes:
            on_node.setdefault(n, []).append(ind.id)
        for i in ind.initiatives:
            on_initiative.setdefault(i, []).append(ind.id)
    unknown = sorted(
        (set(on_node) - {n.id for n in programme.nodes})
        | (set(on_initiative) - {i.id for i in programme.initiatives})
    )
    if unknown:  # a starter that no longer fits its programme is a bug to report, not to skip
        raise JamlikError(f"starter {name}: the programme has no node or initiative {unknown}")
    programme = programme.model_copy(
        update={
            "nodes": [
                n.model_copy(update={"indicators": _merged(n.indicators, on_node.get(n.id))})
                for n in programme.nodes
            ],
            "initiatives": [
                i.model_copy(update={"indicators": _merged(i.indicators, on_initiative.get(i.id))})
                for i in programme.initiatives
            ],
        }
    )
    import_programme(workspace, programme)

    municipalities = [a.code for a in areas if a.level == "municipality"]  # Kolada's areas
    paths = []
    for ind in starter.indicators:
        query = SavedQuery(
            name=f"start-{ind.id}",
            source="kolada",
            url=kolada_url,
            kolada={"kpi_title": ind.kpi_title, "municipality": municipalities},
            map={"indicator": {"value": ind.id, "polarity": ind.polarity}},
        )
        paths.append(save_query(workspace, query))
    return Started(starter, programme.id, len(areas), len(starter.indicators), paths)


def _merged(existing: list[str], added: list[str] | None) -> list[str]:
    return list(dict.fromkeys([*existing, *(added or [])]))
