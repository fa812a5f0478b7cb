"""The suppression policy (röjandeskyddspolicy) of a workspace: one object every output uses.

The thresholds were once typed wherever something was shown; now a workspace stores one
`SuppressionPolicy` (table `workspace_setting`, key "suppression_policy"), `read_policy` reads it
once, and the exports, the follow-up, the explorer, the report and the API pass it on to
`jamlik.data.suppression.suppress`. A workspace without a stored policy uses the defaults.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticError

from jamlik.errors import JamlikError
from jamlik.workspace import Workspace

POLICY_KEY = "suppression_policy"
DEFAULT_MIN_POPULATION = 10
DEFAULT_MIN_NUMERATOR = 3
DEFAULT_PROTECTION = 3

HiddenPopulations = Literal["exact", "rounded", "hidden"]


class SuppressionPolicy(BaseModel):
    """What may be shown.

    - `min_population`: a cell resting on fewer people (population, else denominator) is hidden.
    - `min_numerator`: a cell whose numerator or complement (denominator − numerator) is
      positive and below this is hidden (few people sharing or lacking an attribute).
    - `protection`: the narrowest interval, in people, that anyone may narrow a hidden count to
      by combining what is published (sums over areas and subgroups, bounds 0 ≤ x ≤ n);
      secondary suppression hides further cells until no hidden count is narrower (a cell of
      n people needs no more than n).
    - `hidden_populations`: what a hidden cell shows of its size: "exact" (population and
      denominator stay), "rounded" (to `rounding_base`) or "hidden".
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_population: int = Field(default=DEFAULT_MIN_POPULATION, ge=1)
    min_numerator: int = Field(default=DEFAULT_MIN_NUMERATOR, ge=0)
    protection: int = Field(default=DEFAULT_PROTECTION, ge=1)
    hidden_populations: HiddenPopulations = "exact"
    rounding_base: int = Field(default=5, ge=2)

    def at_least(self, min_population: float | None) -> SuppressionPolicy:
        """This policy with the size threshold raised to `min_population` (never lowered)."""
        if min_population is None or min_population <= self.min_population:
            return self
        return self.model_copy(update={"min_population": int(-(-min_population // 1))})

    def describe(self, lang: str = "sv") -> str:
        """The policy in one sentence, for methods texts."""
        sizes = {
            "sv": {"exact": "visas", "rounded": f"avrundas till {self.rounding_base}-tal",
                   "hidden": "döljs"},
            "en": {"exact": "are shown", "rounded": f"are rounded to {self.rounding_base}",
                   "hidden": "are hidden"},
        }  # fmt: skip
        if lang == "sv":
            return (
                f"Värden som bygger på färre än {self.min_population} personer, eller där "
                f"1–{max(self.min_numerator - 1, 0)} personer har eller saknar egenskapen, "
                "visas inte (för få personer). Fler värden döljs så att inget dolt värde kan "
                "räknas fram ur det som visas (summor över områden och grupper) eller ringas in "
                f"snävare än {self.protection} personer. Befolkningen i dolda celler "
                f"{sizes['sv'][self.hidden_populations]}."
            )
        return (
            f"Values resting on fewer than {self.min_population} people, or where "
            f"1–{max(self.min_numerator - 1, 0)} people have or lack the attribute, are not "
            "shown (too few people). Further values are hidden so that no hidden value can be "
            "computed from what is shown (sums over areas and groups) or narrowed to fewer than "
            f"{self.protection} people. Populations of hidden cells "
            f"{sizes['en'][self.hidden_populations]}."
        )


DEFAULT_POLICY = SuppressionPolicy()


def read_policy(workspace: Workspace) -> SuppressionPolicy:
    """The workspace's policy; the defaults when none is stored."""
    from jamlik.data.tables import SettingRow

    with workspace.session() as session:
        row = session.get(SettingRow, POLICY_KEY)
        value = dict(row.value) if row is not None else None
    if value is None:
        return DEFAULT_POLICY
    try:
        return SuppressionPolicy.model_validate(value)
    except PydanticError as exc:
        raise JamlikError(
            f"Arbetsytans röjandeskyddspolicy är ogiltig / the workspace's suppression policy is "
            f"invalid: {exc.errors()[0]['msg']}; set it again with `jamlik privacy policy`"
        ) from None


def write_policy(workspace: Workspace, policy: SuppressionPolicy) -> None:
    """Store the workspace's policy. Thresholds may be raised, never set below the defaults:
    jamlik's defaults are the least protection it publishes with."""
    if policy.min_population < DEFAULT_MIN_POPULATION or policy.min_numerator < (
        DEFAULT_MIN_NUMERATOR
    ):
        raise JamlikError(
            f"Gränserna får höjas men inte sänkas under {DEFAULT_MIN_POPULATION} personer och "
            f"{DEFAULT_MIN_NUMERATOR} i täljaren / thresholds may be raised, not lowered below "
            f"{DEFAULT_MIN_POPULATION} people and a numerator of {DEFAULT_MIN_NUMERATOR}"
        )
    from jamlik.data.tables import SettingRow

    with workspace.session() as session:
        row = session.get(SettingRow, POLICY_KEY)
        if row is None:
            session.add(SettingRow(key=POLICY_KEY, value=policy.model_dump()))
        else:
            row.value = policy.model_dump()
