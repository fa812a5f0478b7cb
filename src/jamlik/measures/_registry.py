"""Gathers the measure families: what `compute()` can compute and what `catalogue()` says.

A family is a module in this package with `ENTRIES` and, when `compute()` computes it,
`MEASURES`, `REQUIRES` and optionally `INTERVALS` (how its intervals are formed; simulation
when absent) and `UNDEFINED` (the note for a series where the value comes out undefined).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from types import ModuleType

import numpy as np

from jamlik.measures._batch import Batch, Requirement
from jamlik.measures._entry import Entry
from jamlik.measures._interval import Analytic, Simulation

# Catalogue order: WHO's 21 measures as WHO lists them, then jamlik's additions.
FAMILIES = (
    "simple",
    "concentration",
    "slope",
    "variance",
    "meandiff",
    "entropy",
    "attributable",
    "distribution",
    "segregation",
)


@dataclass(frozen=True)
class Registry:
    measures: dict[str, Callable[[Batch], np.ndarray]]
    requires: dict[str, Requirement]
    intervals: dict[str, Analytic | Simulation]
    undefined: dict[str, str]
    entries: dict[str, Entry]


def _family(name: str) -> ModuleType | None:
    module = f"jamlik.measures.{name}"
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:  # a family not (yet) in this installation
            return None
        raise


@cache
def registry() -> Registry:
    reg = Registry({}, {}, {}, {}, {})
    for name in FAMILIES:
        mod = _family(name)
        if mod is None:
            continue
        for entry in getattr(mod, "ENTRIES", []):
            reg.entries[entry.code] = entry
        reg.measures.update(getattr(mod, "MEASURES", {}))
        reg.requires.update(getattr(mod, "REQUIRES", {}))
        reg.intervals.update(getattr(mod, "INTERVALS", {}))
        reg.undefined.update(getattr(mod, "UNDEFINED", {}))
    unlisted = [c for c in reg.measures if c not in reg.entries or c not in reg.requires]
    if unlisted:
        raise RuntimeError(f"measures without a catalogue entry or requirement: {unlisted}")
    return reg


def catalogue() -> list[Entry]:
    """Every measure jamlik knows, in catalogue order: WHO's 21 first, then jamlik's own.

    Each `Entry` has the code, Swedish and English names, absolute or relative, weighted or
    not, where it applies, the formula, a plain-language interpretation in Swedish and English,
    the interval method and a reference. The report and the web application read their texts
    from here.
    """
    return list(registry().entries.values())


def entry(code: str) -> Entry:
    """The catalogue entry of one measure code (e.g. "SII"); KeyError names the known codes."""
    entries = registry().entries
    if code not in entries:
        raise KeyError(f"unknown measure code {code!r}; known: {', '.join(entries)}")
    return entries[code]
