"""The one error `jamlik.measures` raises for malformed input.

`jamlik.measures` imports nothing else from jamlik, so it cannot use `jamlik.errors`; the CLI
and `followup` catch this and report it in their own terms.
"""

from __future__ import annotations


class MeasureInputError(ValueError):
    """The input table cannot be read as series: a column is missing, has the wrong type, or
    holds values outside what the column allows. The message lists every such problem."""

    def __init__(self, problems: list[str], what: str = "frame"):
        self.problems = list(problems)
        head = f"{what}: {len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        super().__init__("\n".join([head + ":", *(f"  - {p}" for p in self.problems)]))
