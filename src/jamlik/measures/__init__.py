"""Summary measures of inequality: how large a gap is, and whether it is real.

`compute(frame)` takes one long table of many series (one row per subgroup, HEAT Plus column
names) and returns one long table: per series and measure the estimate, its standard error, a
confidence interval and a note. All 21 of WHO's measures give WHO's point estimates; their
intervals are analytic where a correct formula exists and a reproducible parametric simulation
otherwise. `catalogue()` describes every measure in Swedish and English.

This package imports nothing else from jamlik; numbers are numpy inside, tables at the edges.
"""

from jamlik.measures._batch import Batch, Requirement
from jamlik.measures._compute import OUTPUT_COLUMNS, compute
from jamlik.measures._entry import Entry
from jamlik.measures._errors import MeasureInputError
from jamlik.measures._interval import Analytic, Simulation
from jamlik.measures._registry import catalogue, entry
from jamlik.measures._tablekind import FrameT

__all__ = [
    "OUTPUT_COLUMNS",
    "Analytic",
    "Batch",
    "Entry",
    "FrameT",
    "MeasureInputError",
    "Requirement",
    "Simulation",
    "catalogue",
    "compute",
    "entry",
]
