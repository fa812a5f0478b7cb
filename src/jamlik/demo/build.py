"""Build the Exempelstad demo workspace: definitions, observations and programme.

Rerunning is idempotent: every part goes through the ordinary imports, which upsert by key, so the
same seed changes nothing and another seed updates the values in place (the set of keys does not
depend on the seed). The programme is re-imported as any programme file is: what people changed
in the web is kept, and when the demo's programme would change or remove such an edit (another
seed draws other reach) the build refuses before writing anything and lists what it would
replace (`ImportConflictError`). Anything else in the workspace is left alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from jamlik.data import Definitions, ImportSummary, import_definitions, import_observations
from jamlik.data.suppression import is_suppressed_flag
from jamlik.demo.definitions import definitions
from jamlik.demo.exempelstad import SOURCE
from jamlik.demo.generator import DEFAULT_SEED, Truth, generate_observations
from jamlik.demo.programme import exempelstad_programme
from jamlik.programme import import_programme
from jamlik.programme.model import Programme
from jamlik.programme.store import ImportConflictError, programme_conflicts
from jamlik.workspace import Workspace

# (stage, done, total): stages are "generate", "definitions", "observations", "programme".
Progress = Callable[[str, int, int], None]
STAGES = ("generate", "definitions", "observations", "programme")


@dataclass(frozen=True)
class DemoData:
    """Everything the demo consists of, before it is stored."""

    seed: int
    definitions: Definitions
    observations: pd.DataFrame
    truth: Truth
    programme: Programme


@dataclass(frozen=True)
class DemoBuild:
    """What `build_demo` stored, for the CLI summary and for tests."""

    workspace: Workspace
    data: DemoData
    definitions: ImportSummary
    observations: ImportSummary
    programme_changed: bool
    seconds: float

    @property
    def n_observations(self) -> int:
        return len(self.data.observations)

    @property
    def n_suppressed(self) -> int:
        return int(is_suppressed_flag(self.data.observations["flag"]).sum())

    @property
    def n_reach(self) -> int:
        return sum(len(i.reach) for i in self.data.programme.initiatives)


def generate(seed: int = DEFAULT_SEED) -> DemoData:
    """The demo's definitions, observations, the truth behind them and the programme."""
    observations, truth = generate_observations(seed)
    return DemoData(seed, definitions(), observations, truth, exempelstad_programme(seed))


def build_demo(
    workspace: Workspace, seed: int = DEFAULT_SEED, progress: Progress | None = None
) -> DemoBuild:
    """Create or update the demo workspace (see the module docstring for reruns)."""
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    report("generate", 0, 1)
    data = generate(seed)
    report("generate", 1, 1)
    if workspace.exists:
        conflicts = programme_conflicts(workspace, data.programme)
        if conflicts:  # before any write: the demo is built whole or not at all
            raise ImportConflictError(f"jamlik demo (seed {seed})", conflicts)
    workspace.init()
    report("definitions", 0, 1)
    defs = import_definitions(workspace, data.definitions)
    report("definitions", 1, 1)
    rows = len(data.observations)
    report("observations", 0, rows)
    obs = import_observations(
        workspace,
        data.observations,
        source=f"{SOURCE}, seed {seed}",
        attribution=SOURCE,
        fictitious=True,
        progress=lambda done, total: report("observations", done, total),
    )
    report("observations", rows, rows)
    report("programme", 0, 1)
    prog = import_programme(workspace, data.programme, by="demo")
    report("programme", 1, 1)
    return DemoBuild(
        workspace=workspace,
        data=data,
        definitions=defs,
        observations=obs,
        programme_changed=prog.changed,
        seconds=time.perf_counter() - started,
    )
