"""The social-investment part of `jamlik demo` (Fiktiva exempeldata).

`build_invest_demo(workspace)` imports, all through the ordinary imports:

1. the example programme "vgr-sociala-investeringar" (Västra Götalandsregionen's three ongoing
   social investments, transcribed from the region's page);
2. definitions for the demo panel (`examples/vgr-definitions.yaml`: the three municipalities,
   twenty invented comparison municipalities, four indicators);
3. the fictitious panel (`jamlik.invest.demo_panel`: eligibility 2012–2025, monthly preschool
   attendance in Vänersborg), with a planted effect for LE in Åmål and none for Borås;
4. the investment parts (`examples/vgr-investments.yaml`: invented costs and outcomes);

then calculates each investment and stores the results, so the report and the web page can
show them. Rerunning with the same seed changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jamlik.data import ImportSummary, import_definitions, import_observations
from jamlik.invest.calc import calculate_in_workspace
from jamlik.invest.demo_panel import DEMO_SEED, SOURCE, PanelTruth, demo_observations
from jamlik.invest.results import InvestmentResult
from jamlik.invest.store import InvestmentImportSummary, import_investments
from jamlik.programme import import_programme, load_example
from jamlik.workspace import Workspace

EXAMPLES = Path(__file__).parent / "examples"
DEFINITIONS_FILE = EXAMPLES / "vgr-definitions.yaml"
INVESTMENTS_FILE = EXAMPLES / "vgr-investments.yaml"
PROGRAMME = "vgr-sociala-investeringar"
STAGES = ("programme", "definitions", "observations", "investments", "calculations")

# (stage, done, total)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class InvestDemo:
    """What `build_invest_demo` stored and computed."""

    workspace: Workspace
    programme_changed: bool
    definitions: ImportSummary
    observations: ImportSummary
    investments: InvestmentImportSummary
    results: dict[str, InvestmentResult]
    truth: PanelTruth
    seconds: float


def build_invest_demo(
    workspace: Workspace,
    *,
    seed: int = DEMO_SEED,
    draws: int = 10_000,
    calculate: bool = True,
    progress: Progress | None = None,
) -> InvestDemo:
    """Add the VGR social investments, their fictitious data and results to a workspace."""
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    workspace.init()
    report("programme", 0, 1)
    programme = import_programme(workspace, load_example(PROGRAMME), by="demo")
    report("programme", 1, 1)
    report("definitions", 0, 1)
    definitions = import_definitions(workspace, DEFINITIONS_FILE)
    report("definitions", 1, 1)
    frame, truth = demo_observations(seed)
    report("observations", 0, len(frame))
    observations = import_observations(
        workspace, frame, source=f"{SOURCE}, seed {seed}", attribution=SOURCE, fictitious=True
    )
    report("observations", len(frame), len(frame))
    report("investments", 0, 1)
    investments = import_investments(workspace, INVESTMENTS_FILE, source=INVESTMENTS_FILE.name)
    report("investments", 1, 1)
    results: dict[str, InvestmentResult] = {}
    if calculate:
        ids = investments.imported + investments.unchanged
        for i, initiative in enumerate(ids):
            report("calculations", i, len(ids))
            results[initiative] = calculate_in_workspace(workspace, initiative, draws=draws)
        report("calculations", len(ids), len(ids))
    return InvestDemo(
        workspace=workspace,
        programme_changed=programme.changed,
        definitions=definitions,
        observations=observations,
        investments=investments,
        results=results,
        truth=truth,
        seconds=time.perf_counter() - started,
    )
