"""Indicators, areas, dimensions and observations: the observation store of a workspace.

Definitions (areas, dimensions, indicators) come from a YAML file or from a self-describing
HEAT Plus file; observations come from CSV, XLSX, Parquet or a pandas frame, in one tidy table
(one row per indicator × period × area × dimension × subgroup, HEAT Plus column names).
Every import is validated in full and is all-or-nothing; re-importing the same data changes
nothing. `check_file`/`check_observations` preview an import (counts, or every problem) without
writing; `import_with_definitions` stores a source's definitions and data in one transaction.
Small cells are suppressed with `jamlik.data.suppression.suppress` before anything is shown or
exported.
"""

from jamlik.data.combined import import_with_definitions
from jamlik.data.models import (
    TOTAL,
    Area,
    Definitions,
    Dimension,
    Indicator,
    Source,
    Subgroup,
    Target,
)
from jamlik.data.observations import InTransaction, import_file, import_observations
from jamlik.data.periods import normalize_period, period_midpoint
from jamlik.data.preview import Preview, check_file, check_observations
from jamlik.data.query import FRAME_COLUMNS, OBSERVATION_COLUMNS, known_ids, observations_frame
from jamlik.data.store_definitions import import_definitions, read_definitions
from jamlik.data.summary import ImportSummary
from jamlik.data.suppression import suppress
from jamlik.data.yamlfile import dump_definitions, load_definitions

__all__ = [
    "FRAME_COLUMNS",
    "OBSERVATION_COLUMNS",
    "TOTAL",
    "Area",
    "Definitions",
    "Dimension",
    "ImportSummary",
    "InTransaction",
    "Indicator",
    "Preview",
    "Source",
    "Subgroup",
    "Target",
    "check_file",
    "check_observations",
    "dump_definitions",
    "import_definitions",
    "import_file",
    "import_observations",
    "import_with_definitions",
    "known_ids",
    "load_definitions",
    "normalize_period",
    "observations_frame",
    "period_midpoint",
    "read_definitions",
    "suppress",
]
