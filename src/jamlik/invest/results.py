"""The result of an investment calculation: JSON-serialisable, with everything the CLI, the
yearly report and the web page show (figures, cash flows, tornado, draw histograms, effect).

`InvestmentResult.model_dump_json()` is the JSON file; `write_result` also writes CSV tables.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from pydantic import BaseModel, Field

from jamlik.invest.effects.result import EffectResult
from jamlik.spreadsheet_safe import safe_dict

PERSPECTIVE_LABELS = {
    "municipality": ("Kommunen", "Municipality"),
    "region": ("Regionen", "Region"),
    "state": ("Staten", "State"),
    "individual": ("Individen", "Individual"),
    "society": ("Samhället", "Society"),
}
PARTY_LABELS = {
    **{k: v for k, v in PERSPECTIVE_LABELS.items() if k != "society"},
    "civil_society": ("Civilsamhället", "Civil society"),
    "lost_production": ("Produktionsbortfall", "Lost production"),
}
FICTITIOUS_SV = "Fiktiva exempeldata"
FICTITIOUS_EN = "Fictitious example data"


class Interval(BaseModel):
    lo: float | None
    hi: float | None
    level: float


class BreakEven(BaseModel):
    """How many units of an outcome the initiative must cause to pay for itself."""

    outcome: str
    title: str
    title_en: str | None = None  # None in results stored before English titles were kept
    unit: str
    units_needed: float | None  # None when the outcome is worth nothing to this perspective
    units_expected: float  # what the plan expects the initiative itself to cause


class PerspectiveResult(BaseModel):
    """Figures for one perspective: who pays and who gains."""

    perspective: str
    label_sv: str
    label_en: str
    pv_costs: float
    pv_benefits: float
    npv: float
    bcr: float | None
    payback_year: int | None
    npv_mean: float
    npv_se: float  # Monte Carlo standard error of npv_mean
    npv_interval: Interval
    bcr_interval: Interval | None
    p_benefits_exceed_costs: float
    p_payback_within_horizon: float
    break_even: list[BreakEven] = Field(default_factory=list)


class FlowRow(BaseModel):
    """One party's cost or benefit in one year (central values, price-year SEK)."""

    year: int
    party: str
    label_sv: str
    label_en: str
    kind: str  # "cost" | "benefit"
    amount: float
    discounted: float


class CumulativeRow(BaseModel):
    """Cumulative discounted net value of one perspective by the end of a year."""

    perspective: str
    year: int
    central: float
    lo: float
    hi: float


class TornadoRow(BaseModel):
    """One parameter's swing in net present value (society) from its low to its high value."""

    parameter: str
    label_sv: str
    label_en: str
    low_value: float
    high_value: float
    npv_low: float
    npv_high: float
    swing: float
    rank_correlation: float | None


class Histogram(BaseModel):
    """The Monte Carlo distribution of one perspective's NPV, binned."""

    perspective: str
    edges: list[float]
    counts: list[int]


class Settings(BaseModel):
    draws: int
    seed: int
    discount: str  # e.g. "3,5 % real, konstant / constant" (Swedish, English key word)
    discount_sv: str | None = None  # in full, in each language (None in older results)
    discount_en: str | None = None
    horizon: int
    base_year: int
    price_year: int
    interval_level: float
    tornado_quantiles: tuple[float, float]


class InvestmentResult(BaseModel):
    """Everything `jamlik invest calc` computes for one initiative."""

    initiative: str
    title: str | None = None
    title_en: str | None = None
    fictitious: bool = False
    settings: Settings
    perspectives: list[PerspectiveResult]
    cash_flows: list[FlowRow]
    cumulative: list[CumulativeRow]
    tornado: list[TornadoRow]
    histograms: list[Histogram]
    effect: EffectResult | None = None
    notes: list[str] = Field(default_factory=list)
    computed_at: str | None = None

    def perspective(self, name: str) -> PerspectiveResult:
        return next(p for p in self.perspectives if p.perspective == name)


def _write_csv(path: Path, rows: list[dict]) -> None:
    if not rows:
        path.write_text("", encoding="utf-8")
        return
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(safe_dict(row) for row in rows)


def write_result(
    result: InvestmentResult, folder: str | Path, charts: dict | None = None
) -> list[Path]:
    """Write result.json, perspectives.csv, cash_flows.csv, tornado.csv (and charts.json)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = [
        out / "result.json",
        out / "perspectives.csv",
        out / "cash_flows.csv",
        out / "tornado.csv",
    ]
    paths[0].write_text(result.model_dump_json(indent=2), encoding="utf-8")
    perspective_rows = []
    for p in result.perspectives:
        row = p.model_dump(exclude={"break_even", "npv_interval", "bcr_interval"})
        row |= {"npv_lo": p.npv_interval.lo, "npv_hi": p.npv_interval.hi}
        row |= {"bcr_lo": p.bcr_interval.lo if p.bcr_interval else None,
                "bcr_hi": p.bcr_interval.hi if p.bcr_interval else None}  # fmt: skip
        row["fictitious"] = result.fictitious
        perspective_rows.append(row)
    _write_csv(paths[1], perspective_rows)
    _write_csv(
        paths[2], [r.model_dump() | {"fictitious": result.fictitious} for r in result.cash_flows]
    )
    _write_csv(paths[3], [r.model_dump() for r in result.tornado])
    if charts is not None:
        paths.append(out / "charts.json")
        paths[-1].write_text(json.dumps(charts, ensure_ascii=False, indent=2), encoding="utf-8")
    return paths
