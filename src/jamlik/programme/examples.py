"""The example programmes shipped with jamlik, transcribed from public documents."""

from __future__ import annotations

from pathlib import Path

from jamlik.programme.model import Programme
from jamlik.programme.yamlio import load_programme

EXAMPLES_DIR = Path(__file__).parent / "examples"


def examples() -> dict[str, Path]:
    """Name → path of every shipped example programme (name = file name without .yaml)."""
    return {p.stem: p for p in sorted(EXAMPLES_DIR.glob("*.yaml"))}


def load_example(name: str) -> Programme:
    """Load a shipped example by name, e.g. `load_example("goteborg-jamlik-stad")`."""
    paths = examples()
    if name not in paths:
        raise KeyError(f"no example programme '{name}'; available: {', '.join(paths)}")
    return load_programme(paths[name])
