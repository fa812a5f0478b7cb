"""The records of a definitions file that are valid on their own, kept with their positions.

When a file has type or value errors, the checks across records (duplicate ids, the reserved id
'total', subgroup orders, …) still run on every record that passed its own validation, so one
pass reports every problem, as for programme files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from jamlik.data.models import Area, Definitions, Dimension, Indicator, Subgroup

COLLECTIONS = ("areas", "dimensions", "indicators")


@dataclass
class Parts:
    """Records with their 0-based position in the file.

    `failed_ids` holds (collection, position, id) of records that failed their own validation
    but have a usable id, so duplicates of them are still found. `subgroup_positions` maps the
    position of a dimension some of whose subgroups failed to the positions of those kept.
    """

    areas: list[tuple[int, Area]] = field(default_factory=list)
    dimensions: list[tuple[int, Dimension]] = field(default_factory=list)
    indicators: list[tuple[int, Indicator]] = field(default_factory=list)
    failed_ids: list[tuple[str, int, str]] = field(default_factory=list)
    subgroup_positions: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, definitions: Definitions) -> Parts:
        """Every record of a valid Definitions value."""
        return cls(
            areas=list(enumerate(definitions.areas)),
            dimensions=list(enumerate(definitions.dimensions)),
            indicators=list(enumerate(definitions.indicators)),
        )

    def records(self, collection: str) -> list[tuple[int, Any]]:
        return getattr(self, collection)


def _valid(model: type[BaseModel], item: Any) -> Any:
    try:
        return model.model_validate(item)
    except PydanticError:
        return None


def _dimension(parts: Parts, pos: int, item: dict[str, Any]) -> Dimension | None:
    """The dimension with only its valid subgroups, when the rest of it is valid."""
    subgroups = item.get("subgroups")
    if not isinstance(subgroups, list):
        return None
    valid = [(j, _valid(Subgroup, raw)) for j, raw in enumerate(subgroups)]
    kept = [(j, sub) for j, sub in valid if sub is not None]
    if not kept:
        return None
    dim = _valid(Dimension, {**item, "subgroups": [s for _, s in kept]})
    if dim is not None:
        parts.subgroup_positions[pos] = [j for j, _ in kept]
    return dim


def salvage(data: dict[str, Any]) -> Parts:
    """The valid records of raw definitions data (a file whose whole did not validate)."""
    parts = Parts()
    models: dict[str, type[BaseModel]] = {
        "areas": Area,
        "dimensions": Dimension,
        "indicators": Indicator,
    }
    for collection in COLLECTIONS:
        items = data.get(collection)
        if not isinstance(items, list):
            continue
        for pos, item in enumerate(items):
            record = _valid(models[collection], item)
            if record is None and collection == "dimensions" and isinstance(item, dict):
                record = _dimension(parts, pos, item)
            if record is not None:
                parts.records(collection).append((pos, record))
            elif isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"].strip():
                parts.failed_ids.append((collection, pos, item["id"]))
    return parts
