"""Tables in, the same kind of table out: pandas inside, pandas, Polars or PyArrow at the edges.

Polars and PyArrow are imported only when the caller already handed us one of their tables, so
pandas users never pay for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import numpy as np
import pandas as pd

from ._errors import MeasureInputError

if TYPE_CHECKING:
    import polars as pl
    import pyarrow as pa

Kind = Literal["pandas", "polars", "pyarrow"]

FrameT = TypeVar("FrameT", pd.DataFrame, "pl.DataFrame", "pa.Table")
"""A table of one of the kinds the measures read: pandas, Polars or PyArrow. A function typed
`(frame: FrameT) -> FrameT` returns the kind of table it was given."""


def as_pandas(frame: Any, what: str = "frame") -> tuple[pd.DataFrame, Kind]:
    """The frame as pandas, and which kind it came as."""
    if isinstance(frame, pd.DataFrame):
        return frame, "pandas"
    module = type(frame).__module__.split(".")[0]
    if module == "polars" and type(frame).__name__ == "DataFrame":
        return frame.to_pandas(), "polars"
    if module == "pyarrow" and type(frame).__name__ == "Table":
        return frame.to_pandas(), "pyarrow"
    raise TypeError(
        f"{what}: expected a pandas, Polars or PyArrow table, got {type(frame).__name__}"
    )


def like_input(result: pd.DataFrame, kind: Kind) -> Any:
    """Hand the result back as the kind of table the caller gave."""
    result = result.reset_index(drop=True)
    if kind == "polars":
        import polars as pl

        return pl.from_pandas(result)
    if kind == "pyarrow":
        import pyarrow as pa

        return pa.Table.from_pandas(result, preserve_index=False)
    return result


def as_list(columns: str | Iterable[str] | None) -> list[str]:
    """`by="year"`, `by=["year"]` and `by=None` all mean a list of column names."""
    if columns is None:
        return []
    if isinstance(columns, str):
        return [columns]
    return list(columns)


def input_error(what: str, message: str) -> MeasureInputError:
    """The package's one error for a malformed table, naming the function it was given to."""
    return MeasureInputError([message], what)


def require_columns(frame: pd.DataFrame, needed: Sequence[str], what: str) -> None:
    """One error that lists every missing column, so the caller fixes them in one go."""
    missing = [c for c in dict.fromkeys(needed) if c not in frame.columns]
    if missing:
        have = ", ".join(map(str, frame.columns))
        raise input_error(
            what,
            f"missing column(s) {', '.join(missing)} (the table has: {have}); "
            "rename the columns or pass their names as arguments",
        )


def series_ids(frame: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """An integer series id per row (0..k-1) and the key table (one row per id, in id order).

    Missing keys form their own series rather than being dropped, so no row silently vanishes.
    """
    if not by:
        return np.zeros(len(frame), dtype=np.int64), pd.DataFrame(index=range(1))
    groups = frame.groupby(list(by), sort=True, dropna=False, observed=True)
    codes = groups.ngroup().to_numpy(dtype=np.int64)
    keys = groups.size().index.to_frame(index=False)
    keys.columns = list(by)
    return codes, keys
