"""The investment part of an initiative (social investering): money, logic model, evaluation,
outcomes and their values, adjustments and yearly follow-up notes.

An investment file holds a list under `investments:`; each refers to an initiative of a
programme in the workspace by its id. Values check themselves one at a time here; rules that
need the whole investment (references inside it, years within the horizon) live in
`jamlik.invest.rules`, so a file with many mistakes reports all of them at once.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from jamlik.invest.distributions import Param, fixed
from jamlik.invest.values import UnitValue

Payer = Literal["municipality", "region", "state", "civil_society", "individual"]
PAYERS: tuple[str, ...] = get_args(Payer)
Perspective = Literal["municipality", "region", "state", "individual", "society"]
PERSPECTIVES: tuple[str, ...] = get_args(Perspective)
Design = Literal["did", "synthetic_control", "sdid", "its", "none"]
DESIGNS: tuple[str, ...] = get_args(Design)

Id = Annotated[
    str, StringConstraints(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
]
RefId = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Text = Annotated[str, StringConstraints(min_length=1)]
Year = Annotated[int, Field(ge=1900, le=2200)]


def _as_text(value: Any) -> Any:
    # `start: 2023` and municipality codes such as 1492 arrive as integers from YAML.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


PeriodText = Annotated[str, BeforeValidator(_as_text), StringConstraints(min_length=1)]
UnitRef = Annotated[str, BeforeValidator(_as_text), StringConstraints(min_length=1, max_length=120)]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", str_strip_whitespace=True)


class Cost(_Model):
    """Money spent in one year by one payer, in the investment's price year (whole SEK)."""

    year: Year
    payer: Payer
    amount: Param
    committee: Text | None = None  # the municipal committee (nämnd) that pays, where known
    actor: Id | None = None  # the paying actor's id in the programme, where it is one
    item: Text | None = None  # what the money buys


class LogicItem(_Model):
    """One box of the logic model; `leads_to` names boxes of a later level."""

    id: Id
    text: Text
    text_en: Text | None = None
    indicators: list[RefId] = Field(default_factory=list)
    leads_to: list[Id] = Field(default_factory=list)


class LogicModel(_Model):
    """Programme theory: activities → outputs → short-term outcomes → long-term outcomes."""

    activities: list[LogicItem] = Field(default_factory=list)
    outputs: list[LogicItem] = Field(default_factory=list)
    short_term: list[LogicItem] = Field(default_factory=list)
    long_term: list[LogicItem] = Field(default_factory=list)

    LEVELS: ClassVar[tuple[str, ...]] = ("activities", "outputs", "short_term", "long_term")

    def items(self) -> list[tuple[str, int, LogicItem]]:
        """(level, position, item) for every box, level by level."""
        return [(lvl, i, it) for lvl in self.LEVELS for i, it in enumerate(getattr(self, lvl))]


class Evaluation(_Model):
    """How effects are followed up: the design, the indicator, treated and comparison units.

    Units are area ids or official municipality codes (an area with that `code`). `start` is
    the first period in which the initiative is in effect (e.g. "2023" or "2022-12").
    """

    design: Design
    indicator: RefId | None = None
    treated: list[UnitRef] = Field(default_factory=list)
    comparison: list[UnitRef] = Field(default_factory=list)
    start: PeriodText | None = None
    alpha: float = Field(default=0.05, gt=0, lt=0.5)
    # synthetic control only: predictors matched with a data-driven importance (Abadie,
    # Diamond & Hainmueller 2010): other indicators' pre-start averages, and outcome periods
    covariates: list[RefId] = Field(default_factory=list)
    predictor_periods: list[PeriodText] = Field(default_factory=list)
    note: Text | None = None


class FromEvaluation(_Model):
    """Take an outcome's quantity from the evaluation: quantity = effect × per_unit
    (e.g. an effect in percentage points × pupils per percentage point), with the
    evaluation's standard error as a normal distribution."""

    per_unit: float = Field(gt=0)


class Outcome(_Model):
    """An outcome valued in money: quantity per year × link × unit value, adjusted.

    Units occurring in a year y start to pay off in y + lag and go on for `duration` years
    (default: the unit value's `spread_years`), falling by `drop_off` each year after the first.
    """

    id: Id
    title: Text
    title_en: Text | None = None
    logic: Id | None = None  # the logic-model outcome this values
    indicator: RefId | None = None
    basis: Literal["assumed", "observed"] = "assumed"
    unit_value: Id
    quantity: Param | None = None
    from_evaluation: FromEvaluation | None = None
    years: list[Year] = Field(min_length=1)
    link: Param = Field(default_factory=lambda: fixed(1.0))
    lag: int = Field(default=0, ge=0, le=100)
    duration: int | None = Field(default=None, ge=1, le=125)
    deadweight: Param = Field(default_factory=lambda: fixed(0.0))
    attribution: Param = Field(default_factory=lambda: fixed(0.0))
    displacement: Param = Field(default_factory=lambda: fixed(0.0))
    drop_off: Param = Field(default_factory=lambda: fixed(0.0))
    note: Text | None = None


class DiscountStep(_Model):
    from_year: int = Field(ge=0)
    rate: float = Field(gt=-0.5, lt=1)


class Discount(_Model):
    """A constant real rate (default 3.5 %), the Green Book's declining schedule, or your own."""

    rate: float = Field(default=0.035, gt=-0.5, lt=1)
    schedule: Literal["constant", "green_book"] | list[DiscountStep] = "constant"


class FollowUp(_Model):
    """A yearly follow-up note (uppföljning) on the investment."""

    year: Year
    note: Text
    note_en: Text | None = None
    spent_sek: int | None = Field(default=None, ge=0)


class Investment(_Model):
    """The investment part of one initiative."""

    initiative: Id
    funder: Id | None = None  # actor id in the programme
    funder_text: Text | None = None
    fictitious: bool = False  # "Fiktiva exempeldata": shown wherever results are shown
    price_year: Year
    base_year: Year | None = None  # year 0 of discounting; default: the first cost year
    horizon: int = Field(default=30, ge=1, le=125)
    discount: Discount = Field(default_factory=Discount)
    optimism_bias: Param = Field(default_factory=lambda: fixed(0.0))
    participants: int | None = Field(default=None, ge=0)
    costs: list[Cost] = Field(min_length=1)
    logic_model: LogicModel | None = None
    evaluation: Evaluation | None = None
    outcomes: list[Outcome] = Field(default_factory=list)
    unit_values: list[UnitValue] = Field(default_factory=list)  # additions to the library
    followup: list[FollowUp] = Field(default_factory=list)
    notes: Text | None = None

    @property
    def first_year(self) -> int:
        return self.base_year if self.base_year is not None else min(c.year for c in self.costs)

    @property
    def years(self) -> list[int]:
        """The calendar years the calculation covers: base year … base year + horizon − 1."""
        return list(range(self.first_year, self.first_year + self.horizon))

    def outcome(self, outcome_id: str) -> Outcome:
        for o in self.outcomes:
            if o.id == outcome_id:
                return o
        raise KeyError(f"no outcome '{outcome_id}'")


class InvestmentFile(_Model):
    """The contents of an investment file."""

    investments: list[Investment] = Field(min_length=1)
