"""Investment files (YAML): load with every problem located by file, line and field; dump.

A file holds `investments:`, a list of investment parts of initiatives (see
`jamlik.invest.model.Investment` and docs/invest.md for the layout).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from jamlik.errors import ValidationError
from jamlik.invest.distributions import TAGGED, _Dist, dump_param
from jamlik.invest.model import Investment, InvestmentFile
from jamlik.invest.rules import investment_issues
from jamlik.invest.values import PriceIndex, UnitValue, load_cpi, load_library, read_document
from jamlik.yamlio import Document, dump_yaml


def parse_investments(
    located: Document,
    *,
    library: dict[str, UnitValue] | None = None,
    cpi: PriceIndex | None = None,
) -> list[Investment]:
    """Validate parsed YAML; raise ValidationError listing every problem with its line."""
    if not isinstance(located.data, dict):
        raise ValidationError(
            [
                located.problem(
                    (),
                    "översta nivån ska ha nyckeln 'investments' / the top level must be a mapping with key 'investments'",
                )
            ]
        )
    parsed = located.validate(InvestmentFile, tagged=TAGGED)
    library = load_library() if library is None else library
    cpi = load_cpi() if cpi is None else cpi
    problems = []
    seen: dict[str, int] = {}
    for i, inv in enumerate(parsed.investments):
        if inv.initiative in seen:
            problems.append(
                located.problem(
                    ("investments", i, "initiative"),
                    f"insatsen '{inv.initiative}' finns redan i filen / appears twice in the file",
                )
            )
        seen[inv.initiative] = i
        for loc, msg in investment_issues(inv, library, cpi):
            problems.append(located.problem(("investments", i, *loc), msg))
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise ValidationError(problems)
    return parsed.investments


def load_investments(path: str | Path) -> list[Investment]:
    """Read and check an investment file. Raises ValidationError (file, line, field).

    References to the workspace (initiatives, indicators, areas) are checked on import.
    """
    return parse_investments(read_document(path))


def load_investments_with_origin(path: str | Path) -> tuple[list[Investment], Document]:
    """As `load_investments`, also returning where each item is in the file."""
    located = read_document(path)
    return parse_investments(located), located


def investment_document(inv: Investment) -> dict[str, Any]:
    """An investment as plain values in the file layout (fields at their defaults left out,
    uncertain numbers as written in files, whole floats as integers)."""
    return _plain_value(inv)


def _plain_value(value: Any) -> Any:
    if isinstance(value, _Dist):
        return dump_param(value)
    if isinstance(value, BaseModel):
        out = {}
        for name, info in type(value).model_fields.items():
            v = getattr(value, name)
            if v != info.get_default(call_default_factory=True):
                out[info.alias or name] = _plain_value(v)
        return out
    if isinstance(value, list):
        return [_plain_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain_value(v) for k, v in value.items()}
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def dump_investments(investments: list[Investment]) -> str:
    """Investments as YAML text in the layout `load_investments` reads."""
    return dump_yaml({"investments": [investment_document(i) for i in investments]})
