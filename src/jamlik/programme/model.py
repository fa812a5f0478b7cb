"""The programme model: a tree of typed nodes, plus initiatives, actors and target groups.

Values here check themselves one at a time (types, required fields, empty text, id spelling).
Rules that need the whole programme (references, cycles, node kinds under their parents) live
in `jamlik.programme.rules`, so that a file with many mistakes reports all of them at once.

Every model is strict (no silent type coercion: `"12"` is not an age) and forbids unknown keys,
so a misspelt key in a YAML file is reported instead of ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from jamlik.limits import MAX_ID, LongText, Title, no_nul
from jamlik.programme.periods import normalize as normalize_period_or_fail

NodeKind = Literal["goal", "target_area", "strategy", "focus_area", "priority_area", "aim"]
NODE_KINDS: tuple[str, ...] = get_args(NodeKind)

ActorKind = Literal[
    "municipality",
    "municipal_committee",
    "municipal_department",
    "municipal_company",
    "municipal_federation",
    "region",
    "state_agency",
    "civil_society",
    "business",
    "academia",
    "health_care",
]
ACTOR_KINDS: tuple[str, ...] = get_args(ActorKind)

Status = Literal["planned", "ongoing", "completed", "paused", "cancelled"]
STATUSES: tuple[str, ...] = get_args(Status)

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"

# Ids of programme items end up in URLs and file names, hence the narrow alphabet.
Id = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID, pattern=ID_PATTERN)]
# Ids owned by the data side (areas, indicators, dimensions) follow its rules: any text
# without surrounding blanks. They must be quoted in YAML when they look like numbers.
RefId = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID), AfterValidator(no_nul)]
# Headings (titles, names, short phrases) and long texts; both refuse NUL (jamlik.limits).
Text = LongText
Short = Title

MAX_SEK = 10**12
"""The largest budget in kronor (a thousand billion: above any municipality's whole budget)."""
MAX_REACHED = 10**9
"""The most people one reach record may count."""
MAX_ORDER = 10**6
"""The largest number a node may have among its siblings."""

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    # YAML files arrive with dates as text (the loader keeps them so an impossible date like
    # 2023-02-30 becomes a located problem, not a crash). Only ISO dates are accepted: a lax
    # parse would read 20230101 as seconds since 1970.
    if isinstance(value, datetime):
        raise ValueError(
            "ska vara ett datum utan klockslag, skrivet ÅÅÅÅ-MM-DD / should be a date without "
            "time, written YYYY-MM-DD"
        )
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(
                f"'{value}' är inget giltigt datum / '{value}' is not a valid date ({exc})"
            ) from None
    raise ValueError(
        f"ska vara ett datum skrivet ÅÅÅÅ-MM-DD, inte {value!r} / should be a date written "
        f"YYYY-MM-DD, got {value!r}"
    )


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def _period_text(value: Any) -> Any:
    # `period: 2024` is an integer in YAML; a year has no leading zeros to lose, so accept it.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", str_strip_whitespace=True)


class Period(_Model):
    """A time span (tidsperiod): start date and, unless open-ended, end date (both inclusive)."""

    start: IsoDate
    end: IsoDate | None = None


class TargetGroup(_Model):
    """Who an initiative or a node is for (målgrupp): a description and an optional age range."""

    text: Text
    text_en: Text | None = None
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)


class Budget(_Model):
    """Money for an initiative: amount in whole kronor and who pays.

    `funder` is the id of an actor in the programme; `funder_text` names a funder that is not an
    actor (e.g. "Statsbidrag"). Keeping them apart means a misspelt actor id is caught instead
    of being read as a name.
    """

    amount_sek: int | None = Field(default=None, ge=0, le=MAX_SEK)
    funder: Id | None = None
    funder_text: Short | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Budget:
        if self.amount_sek is None and self.funder is None and self.funder_text is None:
            raise ValueError(
                "en budget behöver minst en av amount_sek, funder, funder_text / "
                "a budget needs at least one of amount_sek, funder, funder_text"
            )
        return self


class Reach(_Model):
    """How many people an initiative reached in one period, area and subgroup (nådda)."""

    period: Annotated[
        str, BeforeValidator(_period_text), StringConstraints(min_length=1, max_length=20)
    ]
    area: RefId
    dimension: RefId = "total"
    subgroup: RefId = "total"
    reached: int = Field(ge=0, le=MAX_REACHED)

    @field_validator("period")
    @classmethod
    def _known_period(cls, value: str) -> str:
        return normalize_period_or_fail(value)


class SectionItem(_Model):
    """One point of a free-text section, in Swedish with an optional English translation."""

    text: Text
    text_en: Text | None = None


class Section(_Model):
    """A free-text part of a programme document, e.g. prerequisites (viktiga förutsättningar)."""

    id: Id
    title: Short
    title_en: Short | None = None
    description: Text | None = None
    description_en: Text | None = None
    items: list[SectionItem] = Field(default_factory=list)


class Node(_Model):
    """One node of the programme tree: a goal, target area, strategy, focus area, priority area
    or aim. `parent` is the id of another node; the root has none. `order` is the number the
    document gives a node among its siblings of the same kind ("Målområde 2"); display order is
    described at `Programme.children`."""

    id: Id
    kind: NodeKind
    title: Short
    title_en: Short | None = None
    parent: Id | None = None
    order: int | None = Field(default=None, ge=-MAX_ORDER, le=MAX_ORDER)
    description: Text | None = None
    description_en: Text | None = None
    target_group: TargetGroup | None = None
    indicators: list[RefId] = Field(default_factory=list)


class Actor(_Model):
    """An actor or partner (aktör, samverkanspart); `parent` is the actor it belongs to.

    Kinds: a municipality as a whole (kommun), its committees (nämnd, styrelse), departments
    (förvaltning) and companies (bolag); a federation of municipalities (kommunalförbund); a
    region; a state agency; civil society (idéburen sektor, föreningsliv); business; academia;
    health care.
    """

    id: Id
    name: Short
    name_en: Short | None = None
    kind: ActorKind
    parent: Id | None = None


class Initiative(_Model):
    """An initiative (insats, åtgärd, aktivitet, social investering) and what it serves.

    Fields a source document does not state stay empty rather than guessed: `status`, `period`
    and `owner` are optional for that reason.
    """

    id: Id
    title: Short
    title_en: Short | None = None
    status: Status | None = None
    period: Period | None = None
    owner: Id | None = None
    partners: list[Id] = Field(default_factory=list)
    nodes: list[Id] = Field(default_factory=list)
    purpose: Text | None = None
    content: Text | None = None
    target_group: TargetGroup | None = None
    areas: list[RefId] = Field(default_factory=list)
    budget: Budget | None = None
    indicators: list[RefId] = Field(default_factory=list)
    reach: list[Reach] = Field(default_factory=list)
    notes: Text | None = None


class Programme(_Model):
    """A programme (program): its header, free-text sections, node tree, actors and initiatives.

    `node_kinds` declares the kinds of node the programme uses, in rank order: a node's kind must
    come later in this list than its parent's kind (see `jamlik.programme.rules`).

    `published` says whether the web site shows the programme to visitors who have not signed
    in. It is off unless a file or an administrator turns it on: a programme imported with
    draft initiatives or internal notes must not become public by accident.

    `fictitious` says the programme is invented example content (the demo's Exempelstad, a
    training file): every page, JSON answer and report built on it says so.
    """

    id: Id
    title: Short
    title_en: Short | None = None
    description: Text | None = None
    description_en: Text | None = None
    source: Text | None = None
    period: Period | None = None
    published: bool = False
    fictitious: bool = False
    node_kinds: list[NodeKind] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    initiatives: list[Initiative] = Field(default_factory=list)

    # Look-ups. Linear scans: programmes hold tens to hundreds of items.

    def node(self, node_id: str) -> Node:
        """The node with this id (KeyError when there is none)."""
        return _find(self.nodes, node_id, "node")

    def actor(self, actor_id: str) -> Actor:
        """The actor with this id (KeyError when there is none)."""
        return _find(self.actors, actor_id, "actor")

    def initiative(self, initiative_id: str) -> Initiative:
        """The initiative with this id (KeyError when there is none)."""
        return _find(self.initiatives, initiative_id, "initiative")

    @property
    def roots(self) -> list[Node]:
        """Nodes without a parent (a valid programme has at most one)."""
        return [n for n in self.nodes if n.parent is None]

    def children(self, node_id: str | None) -> list[Node]:
        """Children of a node in display order. Siblings of one kind stay together, kinds in the
        order they first appear in the file; within a kind, by `order` where given, then in
        file order."""
        kids = [(i, n) for i, n in enumerate(self.nodes) if n.parent == node_id]
        first: dict[str, int] = {}
        for i, n in kids:
            first.setdefault(n.kind, i)
        kids.sort(key=lambda p: (first[p[1].kind], p[1].order is None, p[1].order or 0, p[0]))
        return [n for _, n in kids]

    def walk(self) -> Iterator[tuple[int, Node]]:
        """(depth, node) for every node reachable from the roots, depth first, in display order."""
        stack = [(0, n) for n in reversed(self.children(None))]
        seen: set[str] = set()
        while stack:
            depth, node = stack.pop()
            if node.id in seen:  # only an invalid (cyclic) programme gets here twice
                continue
            seen.add(node.id)
            yield depth, node
            stack.extend((depth + 1, c) for c in reversed(self.children(node.id)))

    def initiatives_for(self, node_id: str) -> list[Initiative]:
        """Initiatives that list this node among the nodes they serve."""
        return [i for i in self.initiatives if node_id in i.nodes]


def _find(items: list, item_id: str, what: str):
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(f"no {what} with id '{item_id}'")
