"""The unit-value library and the consumer price index, both kept as data in the package.

`data/unit_values.yaml` says what one unit of an outcome is worth, who bears the cost it
avoids, its price year and its source; `data/kpi.yaml` holds SCB's KPI annual averages
(1980 = 100) used to move amounts between price years:

    amount in year B prices = amount in year A prices × KPI(B) / KPI(A)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from jamlik.errors import JamlikError, Problem, ValidationError
from jamlik.invest.distributions import TAGGED, Param
from jamlik.yamlio import Document, load_document

DATA = Path(__file__).parent / "data"


def read_document(path: str | Path, source: str | None = None) -> Document:
    """An investment, unit-value or price-index YAML file (dates stay text, so an impossible
    date is a located problem); a problem at no place in it points at the top of the file."""
    return load_document(path, source=source, dates_as_text=True, outside=1)


LIBRARY_FILE = DATA / "unit_values.yaml"
CPI_FILE = DATA / "kpi.yaml"

Bearer = Literal["municipality", "region", "state", "individual", "lost_production"]
BEARERS: tuple[str, ...] = ("municipality", "region", "state", "individual", "lost_production")
Id = Annotated[
    str, StringConstraints(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
]
Text = Annotated[str, StringConstraints(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", str_strip_whitespace=True)


class UnitValue(_Model):
    """What one unit of an outcome is worth, to whom, in which prices, according to whom."""

    id: Id
    kind: Literal["benefit", "cost_reference"] = "benefit"
    title: Text
    title_en: Text | None = None
    unit: Text
    value: Param
    spread_years: int = Field(default=1, ge=1, le=125)
    price_year: int = Field(ge=1900, le=2200)
    bearers: dict[Bearer, float] = Field(min_length=1)
    transfer_share: float = Field(default=0.0, ge=0, le=1)
    source: Text
    url: Text | None = None
    estimate: Text | None = None  # what is assumed rather than taken from the source

    @model_validator(mode="after")
    def _shares(self) -> UnitValue:
        if any(s < 0 for s in self.bearers.values()):
            raise ValueError("bearers: shares must not be negative")
        total = sum(self.bearers.values())
        if abs(total - 1) > 1e-6:
            raise ValueError(f"bearers: shares must sum to 1 (they sum to {total:g})")
        lo, _ = self.value.support()
        if lo < 0:
            raise ValueError("value: a unit value cannot be negative (check its distribution)")
        return self

    def share(self, bearer: str) -> float:
        return self.bearers.get(bearer, 0.0)  # type: ignore[call-overload]


class _LibraryFile(_Model):
    unit_values: list[UnitValue]


def load_library(path: str | Path | None = None) -> dict[str, UnitValue]:
    """Unit values by id: the shipped library, or the file at `path` (same layout)."""
    if path is None:
        return dict(_shipped_library())
    return _read_library(Path(path))


@lru_cache(maxsize=1)
def _shipped_library() -> tuple[tuple[str, UnitValue], ...]:
    return tuple(_read_library(LIBRARY_FILE).items())


def _read_library(path: Path) -> dict[str, UnitValue]:
    located = read_document(path, source=path.name)
    parsed = located.validate(_LibraryFile, tagged=TAGGED)
    seen: dict[str, int] = {}
    problems = []
    for i, uv in enumerate(parsed.unit_values):
        if uv.id in seen:
            problems.append(
                located.problem(
                    ("unit_values", i, "id"), f"id '{uv.id}' finns redan / is used twice"
                )
            )
        seen[uv.id] = i
    if problems:
        raise ValidationError(problems)
    return {uv.id: uv for uv in parsed.unit_values}


@dataclass(frozen=True)
class PriceIndex:
    """KPI annual averages by year; `approximate` holds years whose value is an estimate."""

    values: dict[int, float]
    approximate: dict[int, str]
    source: str

    def factor(self, from_year: int, to_year: int) -> float:
        """Multiply an amount in `from_year` prices by this to get `to_year` prices."""
        missing = [y for y in (from_year, to_year) if y not in self.values]
        if missing:
            years = f"{min(self.values)}–{max(self.values)}"
            raise JamlikError(
                f"KPI saknas för år / no price index for year {', '.join(map(str, missing))} "
                f"(tabellen har / the table covers {years}); add it to {CPI_FILE.name} or "
                "choose another price_year"
            )
        return self.values[to_year] / self.values[from_year]

    def reprice(self, amount: float, from_year: int, to_year: int) -> float:
        """An amount in `from_year` prices expressed in `to_year` prices."""
        return amount * self.factor(from_year, to_year)

    def notes(self, *years: int) -> list[str]:
        """Warnings for any of `years` whose index value is an approximation."""
        return [
            f"KPI {y}: {self.approximate[y]}" for y in sorted(set(years)) if y in self.approximate
        ]


class _ApproxValue(_Model):
    value: float = Field(gt=0)
    note: Text


class _CpiFile(_Model):
    # Years are mapping keys, which YAML readers hand over as text: convert them.
    model_config = ConfigDict(strict=False, extra="forbid", str_strip_whitespace=True)

    source: Text
    url: Text | None = None
    base_year: int
    values: dict[int, float]
    approximate: dict[int, _ApproxValue] = Field(default_factory=dict)


def load_cpi(path: str | Path | None = None) -> PriceIndex:
    """The KPI table shipped with jamlik, or one in the same layout at `path`."""
    if path is None:
        return _shipped_cpi()
    return _read_cpi(Path(path))


@lru_cache(maxsize=1)
def _shipped_cpi() -> PriceIndex:
    return _read_cpi(CPI_FILE)


def _read_cpi(path: Path) -> PriceIndex:
    parsed = read_document(path, source=path.name).validate(_CpiFile)
    clash = sorted(set(parsed.values) & set(parsed.approximate))
    if clash:
        raise ValidationError(
            [Problem(path.name, f"år både i values och approximate / years in both: {clash}")]
        )
    values = dict(parsed.values)
    values.update({y: a.value for y, a in parsed.approximate.items()})
    return PriceIndex(
        values=dict(sorted(values.items())),
        approximate={y: a.note for y, a in parsed.approximate.items()},
        source=parsed.source,
    )
