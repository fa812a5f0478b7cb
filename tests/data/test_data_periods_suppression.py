"""Periods as numeric time, and röjandekontroll (suppression of small cells)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from jamlik.data import normalize_period, period_midpoint, suppress
from jamlik.data.suppression import is_suppressed_flag


@pytest.mark.parametrize(
    ("period", "midpoint"),
    [
        ("2024", 2024.5),  # the year 2024 covers [2024, 2025)
        ("2024.0", 2024.5),
        ("2023/24", 2024.0),  # autumn 2023 to spring 2024: centred on new year
        ("1999/2000", 2000.0),
        ("2021-2023", 2022.5),  # [2021, 2024)
        ("2021–2023", 2022.5),
        ("2024Q1", 2024.125),  # [2024, 2024.25)
        ("2024K4", 2024.875),
        ("2024-03", 2024 + 2.5 / 12),  # March: [2024 + 2/12, 2024 + 3/12)
        ("2024M12", 2024 + 11.5 / 12),
    ],
)
def test_period_midpoint(period, midpoint):
    assert math.isclose(period_midpoint(period), midpoint)


@pytest.mark.parametrize("bad", ["24", "2023/25", "2023-2021", "2024Q5", "2024-13", "år 2024", ""])
def test_not_periods(bad):
    assert normalize_period(bad) is None
    with pytest.raises(ValueError, match="not a period"):
        period_midpoint(bad)


def _series(populations, numerators=None, denominators=None, dimension="sex", flags=None):
    n = len(populations)
    return pd.DataFrame({
        "indicator": "i", "period": "2024", "area": "a", "dimension": dimension,
        "subgroup": [f"g{k}" for k in range(n)],
        "estimate": np.arange(1.0, n + 1), "se": 0.5, "ci_lb": 0.0, "ci_ub": 9.0,
        "population": populations,
        "numerator": numerators if numerators is not None else np.nan,
        "denominator": denominators if denominators is not None else np.nan,
        "flag": flags if flags is not None else [None] * n,
    })  # fmt: skip


def _hidden(frame):
    return list(is_suppressed_flag(frame["flag"]))


def test_small_population_is_blanked_and_population_kept():
    out = suppress(_series([9, 10, 300, 500]))
    # 9 < 10 is primary; it is then the only hidden cell, so the next smallest (10) goes too.
    assert _hidden(out) == [True, True, False, False]
    hidden = out.iloc[:2]
    assert hidden[["estimate", "se", "ci_lb", "ci_ub"]].isna().all().all()
    assert list(hidden["population"]) == [9, 10]
    assert list(out["estimate"].iloc[2:]) == [3.0, 4.0]


def test_small_numerator_or_complement_is_blanked():
    frame = _series([100, 100, 100, 100], numerators=[2, 3, 97, 98], denominators=[100] * 4)
    out = suppress(frame, secondary=False)
    # numerator 2 < 3; complement 100 - 98 = 2 < 3; 3 and 97 (complement 3) are allowed
    assert _hidden(out) == [True, False, False, True]
    assert out["numerator"].isna().tolist() == [True, False, False, True]


def test_no_secondary_when_two_cells_are_hidden_already():
    out = suppress(_series([5, 6, 300, 500]))
    assert _hidden(out) == [True, True, False, False]


def test_source_symbol_counts_as_hidden_and_is_kept():
    frame = _series([400, 50, 300], flags=["..", None, None])
    frame.loc[0, ["estimate", "se", "ci_lb", "ci_ub"]] = np.nan
    out = suppress(frame)
    assert list(out["flag"]) == ["..", "suppressed_secondary", None]  # 50 is the smallest remaining


def test_hidden_total_blanks_setting_average():
    frame = pd.concat([_series([500, 600]), _series([8], dimension="total")], ignore_index=True)
    frame["setting_average"] = 3.3
    out = suppress(frame)
    assert out["setting_average"].isna().all()
    assert _hidden(out) == [False, False, True]


def test_unknown_size_is_left_as_delivered():
    out = suppress(_series([np.nan, np.nan]))
    assert not any(_hidden(out)) and list(out["estimate"]) == [1.0, 2.0]


def test_input_frame_is_not_modified():
    frame = _series([3, 400, 500])
    copy = frame.copy()
    suppress(frame)
    pd.testing.assert_frame_equal(frame, copy)
