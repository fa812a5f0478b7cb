"""Errors that tell the user where the problem is and what to do.

Every validator in jamlik collects *all* problems it finds before raising, so a user fixes a file
in one pass instead of one error at a time.
"""

from __future__ import annotations

from dataclasses import dataclass


class JamlikError(Exception):
    """Base class: anything jamlik raises on purpose. The CLI prints it and exits non-zero."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as the input allows."""

    source: str  # file name, or a short description of the input ("programme", "frame")
    message: str
    line: int | None = None  # 1-based line in a text file
    row: int | None = None  # row as a spreadsheet shows it: header = row 1, first data row = 2
    field: str | None = None  # YAML key path or column name

    def __str__(self) -> str:
        where = [self.source]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"'{self.field}'")
        return f"{', '.join(where)}: {self.message}"


class ValidationError(JamlikError):
    """One or more problems with an input. Nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found; nothing was changed."
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))
