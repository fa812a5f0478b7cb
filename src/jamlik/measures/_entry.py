"""What the catalogue says about one measure. Each family module lists its own entries in
`ENTRIES`; `catalogue()` gathers them, so a measure's text lives next to its formula."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# The interval text shared by the families whose intervals come from parametric simulation.
SIMULATION_SV = (
    "Simulering: gruppernas värden dras slumpvis många gånger utifrån sina medelfel, och "
    "intervallet är skattningen plus och minus spridningen i dragningarna (gånger z); den "
    "nedre gränsen är 0."
)


@dataclass(frozen=True)
class Entry:
    code: str  # WHO's code where there is one (D, R, ACI, …), else jamlik's (GINI, ATK, …)
    name_sv: str
    name_en: str
    kind: Literal["absolute", "relative"]
    weighted: bool
    applies_to: str  # plain English: "ordered, more than 2 subgroups", "any", "areas × groups"
    formula: str  # plain text / LaTeX-light, as in the docstring
    interpretation_sv: str  # plain Swedish (Språklagen): what a value means, one or two sentences
    interpretation_en: str
    interval: str  # in English: "analytic (delta method)", "parametric simulation", "none", …
    interval_sv: str  # the same in plain Swedish, for the Swedish report's methods appendix
    reference: str
    family: str  # module that computes it: "simple", "regression", "distribution", …
