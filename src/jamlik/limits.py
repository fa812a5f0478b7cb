"""How long text may be, and that it holds no NUL character: the same rules on every way in
(programme and definition files, web forms, the JSON API, the command line).

A 1 MB initiative title once made pages of 8 MB; a NUL character is refused by PostgreSQL (a
500 there, and a backup that will not restore there). The limits are below the narrowest column
a value is stored in (`String(n)` in the table modules), so SQLite and PostgreSQL take the same
values.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, StringConstraints

MAX_ID = 120
"""Ids of programme items, areas, indicators, dimensions (String(120) columns)."""
MAX_NAME = 200
"""Names of areas, dimensions and subgroups, display names of accounts (String(200))."""
MAX_TITLE = 300
"""Titles and names shown as headings: programmes, nodes, initiatives, actors, indicators."""
MAX_TEXT = 20_000
"""Long texts: descriptions, purposes, contents, notes (about ten pages)."""

NUL_MESSAGE = (
    "texten innehåller ett NUL-tecken (\\x00) / the text contains a NUL character (\\x00); "
    "ta bort det / remove it"
)


def no_nul(value: Any) -> Any:
    """`value` unchanged; ValueError when it is text holding a NUL character."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(NUL_MESSAGE)
    return value


def too_long(value: str | None, limit: int) -> str | None:
    """Why `value` may not be stored as a text of at most `limit` characters (None: it may)."""
    if value is None:
        return None
    if "\x00" in value:
        return NUL_MESSAGE
    if len(value) > limit:
        return (
            f"högst {limit} tecken, inte {len(value)} / at most {limit} characters, "
            f"not {len(value)}"
        )
    return None


def text(max_length: int, min_length: int = 1) -> Any:
    """A pydantic text type: `min_length` to `max_length` characters, no NUL."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(no_nul),
    ]


# Written out (not `text(MAX_TITLE)`) so that type checkers see type aliases, not values.
Title = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_TITLE), AfterValidator(no_nul)
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME), AfterValidator(no_nul)]
LongText = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_TEXT), AfterValidator(no_nul)
]
