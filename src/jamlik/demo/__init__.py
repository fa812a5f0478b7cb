"""The embedded default: the fictitious municipality Exempelstad ("Fiktiva exempeldata").

Ten invented districts of different size and socioeconomic position, ten indicators for every
target area 2012–2025 broken down by sex, country of birth and (parental) education, drawn from
a documented model (`jamlik.demo.generator`) with a socioeconomic gradient, gaps that narrow and
gaps that widen, sampling error that fits each cell and suppressed small cells; and Gothenburg's
programme applied to Exempelstad with invented actors and initiatives and their reach by
district (`jamlik.demo.programme`, `jamlik.demo.reach`).

Typical use::

    from jamlik.demo import build_demo, generate
    data = generate(seed=2018)  # observations, truth, programme; nothing stored
    build_demo(Workspace.resolve("demo-ws"))  # what `jamlik demo` runs
"""

from jamlik.demo.build import DemoBuild, DemoData, build_demo, generate
from jamlik.demo.definitions import definitions
from jamlik.demo.exempelstad import DISTRICTS, FICTITIOUS_EN, FICTITIOUS_SV, MUNICIPALITY_ID
from jamlik.demo.generator import DEFAULT_SEED, Truth, generate_observations
from jamlik.demo.indicators import GAPS, INDICATORS
from jamlik.demo.initiatives import INITIATIVES
from jamlik.demo.programme import PROGRAMME_ID, exempelstad_programme

__all__ = [
    "DEFAULT_SEED",
    "DISTRICTS",
    "FICTITIOUS_EN",
    "FICTITIOUS_SV",
    "GAPS",
    "INDICATORS",
    "INITIATIVES",
    "MUNICIPALITY_ID",
    "PROGRAMME_ID",
    "DemoBuild",
    "DemoData",
    "Truth",
    "build_demo",
    "definitions",
    "exempelstad_programme",
    "generate",
    "generate_observations",
]
