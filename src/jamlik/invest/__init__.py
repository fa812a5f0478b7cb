"""Social investments (sociala investeringar): economics and effect follow-up.

The investment part of an initiative (costs by year and payer, logic model, evaluation design,
valued outcomes with uncertainty) is read from YAML, stored in the workspace and calculated:
net present value, benefit–cost ratio, payback year and break-even per perspective
(municipality, region, state, individual, society), a seeded vectorised Monte Carlo, a tornado
of the parameters that matter most, and an effect estimate (difference-in-differences,
synthetic control or interrupted time series) with a verdict that never overclaims.

Typical use::

    from jamlik.invest import import_investments, calculate_in_workspace
    import_investments(workspace, "investments.yaml")
    result = calculate_in_workspace(workspace, "vgrsi-le-amal")
    result.perspective("society").npv

See docs/invest.md for the model, the formulas and the unit-value library.

Names are loaded on first use: the migrations import `jamlik.invest.tables` whenever a
workspace is opened, and that must not pull in scipy and statsmodels.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "calculate": "calc",
    "calculate_in_workspace": "calc",
    "chart_specs": "charts",
    "GREEN_BOOK": "discount",
    "factors": "discount",
    **dict.fromkeys(
        ["Beta", "Fixed", "LogNormal", "Normal", "Pert", "Triangular", "Uniform"], "distributions"
    ),
    **dict.fromkeys(
        [
            "DESIGNS",
            "PAYERS",
            "PERSPECTIVES",
            "Cost",
            "Evaluation",
            "FollowUp",
            "Investment",
            "LogicItem",
            "LogicModel",
            "Outcome",
        ],
        "model",
    ),  # fmt: skip
    "DEFAULT_DRAWS": "montecarlo",
    "DEFAULT_SEED": "montecarlo",
    "InvestmentResult": "results",
    "write_result": "results",
    **dict.fromkeys(
        [
            "InvestmentImportSummary",
            "InvestmentInfo",
            "import_investments",
            "list_investments",
            "read_investment",
            "read_result",
            "save_result",
        ],
        "store",
    ),  # fmt: skip
    **dict.fromkeys(["PriceIndex", "UnitValue", "load_cpi", "load_library"], "values"),
    "dump_investments": "yamlio",
    "load_investments": "yamlio",
}
__all__ = [  # written out so tools see the names; a test holds it equal to _EXPORTS
    "Beta",
    "Cost",
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "DESIGNS",
    "Evaluation",
    "Fixed",
    "FollowUp",
    "GREEN_BOOK",
    "Investment",
    "InvestmentImportSummary",
    "InvestmentInfo",
    "InvestmentResult",
    "LogNormal",
    "LogicItem",
    "LogicModel",
    "Normal",
    "Outcome",
    "PAYERS",
    "PERSPECTIVES",
    "Pert",
    "PriceIndex",
    "Triangular",
    "Uniform",
    "UnitValue",
    "calculate",
    "calculate_in_workspace",
    "chart_specs",
    "dump_investments",
    "factors",
    "import_investments",
    "list_investments",
    "load_cpi",
    "load_investments",
    "load_library",
    "read_investment",
    "read_result",
    "save_result",
    "write_result",
]

if TYPE_CHECKING:  # what editors and type checkers see; _EXPORTS loads the same lazily
    from jamlik.invest.calc import calculate, calculate_in_workspace
    from jamlik.invest.charts import chart_specs
    from jamlik.invest.discount import GREEN_BOOK, factors
    from jamlik.invest.distributions import (
        Beta,
        Fixed,
        LogNormal,
        Normal,
        Pert,
        Triangular,
        Uniform,
    )
    from jamlik.invest.model import (
        DESIGNS,
        PAYERS,
        PERSPECTIVES,
        Cost,
        Evaluation,
        FollowUp,
        Investment,
        LogicItem,
        LogicModel,
        Outcome,
    )
    from jamlik.invest.montecarlo import DEFAULT_DRAWS, DEFAULT_SEED
    from jamlik.invest.results import InvestmentResult, write_result
    from jamlik.invest.store import (
        InvestmentImportSummary,
        InvestmentInfo,
        import_investments,
        list_investments,
        read_investment,
        read_result,
        save_result,
    )
    from jamlik.invest.values import PriceIndex, UnitValue, load_cpi, load_library
    from jamlik.invest.yamlio import dump_investments, load_investments


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'jamlik.invest' has no attribute '{name}'")
    return getattr(importlib.import_module(f"jamlik.invest.{_EXPORTS[name]}"), name)
