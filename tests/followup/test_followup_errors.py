"""Bad requests get errors that say what is wrong and what exists instead."""

from __future__ import annotations

import pytest

from jamlik.demo import PROGRAMME_ID
from jamlik.errors import JamlikError
from jamlik.followup import benchmark, build_followup, explore


def test_unknown_indicator_dimension_period_and_measure(demo_ws) -> None:
    with pytest.raises(JamlikError, match="no-such"):
        explore(demo_ws, "no-such", "sex")
    with pytest.raises(JamlikError, match="known: .*country_of_birth"):
        explore(demo_ws, "ex-kulturskola", "religion")
    with pytest.raises(JamlikError, match="periods with values: 2012"):
        explore(demo_ws, "ex-kulturskola", "sex", period="1999")
    with pytest.raises(JamlikError, match="XYZ"):
        explore(demo_ws, "ex-kulturskola", "sex", measures=["XYZ"])


def test_bad_followup_requests(demo_ws) -> None:
    with pytest.raises(JamlikError, match="no programme 'nope'"):
        build_followup(demo_ws, "nope", 2025)
    with pytest.raises(JamlikError, match="known: .*exempelstad"):
        build_followup(demo_ws, PROGRAMME_ID, 2025, area="atlantis")
    with pytest.raises(JamlikError, match="XYZ"):
        build_followup(demo_ws, PROGRAMME_ID, 2025, measures={"ex-kulturskola": ["XYZ"]})


def test_benchmark_of_unknown_area(demo_ws) -> None:
    with pytest.raises(JamlikError, match="atlantis"):
        benchmark(demo_ws, "ex-kulturskola", "atlantis")
    out = benchmark(demo_ws, "ex-kulturskola", "ex-stenasen")
    assert [b.comparison for b in out] == ["whole"] and out[0].comparison_areas == ["exempelstad"]
