"""Discount schedules, KPI re-pricing and the unit-value library, checked by hand."""

from __future__ import annotations

import pytest
from invest_helpers import investment

from jamlik.errors import JamlikError
from jamlik.invest.discount import GREEN_BOOK, factors
from jamlik.invest.plan import discount_factors
from jamlik.invest.values import BEARERS, load_cpi, load_library


def test_constant_rate() -> None:
    assert factors(4, rate=0.035) == pytest.approx([1, 1 / 1.035, 1 / 1.035**2, 1 / 1.035**3])


def test_green_book_declining_schedule_by_hand() -> None:
    df = factors(126, schedule=GREEN_BOOK)
    at30 = 1 / 1.035**30  # 3.5 % for years 0–30
    at75 = at30 / 1.03**45  # then 3.0 % for years 31–75
    assert df[30] == pytest.approx(at30)
    assert df[31] == pytest.approx(at30 / 1.03)
    assert df[75] == pytest.approx(at75)
    assert df[76] == pytest.approx(at75 / 1.025)  # 2.5 % from year 76
    assert df[125] == pytest.approx(at75 / 1.025**50)


def test_investment_chooses_its_schedule_and_the_cli_overrides_it() -> None:
    inv = investment(
        discount={"schedule": [{"from_year": 0, "rate": 0.04}, {"from_year": 2, "rate": 0.01}]}
    )
    assert discount_factors(inv) == pytest.approx(
        [1, 1 / 1.04, 1 / 1.04 / 1.01, 1 / 1.04 / 1.01**2, 1 / 1.04 / 1.01**3]
    )
    assert discount_factors(inv, rate=0.1)[2] == pytest.approx(1 / 1.1**2)
    assert discount_factors(inv, schedule="green_book")[2] == pytest.approx(1 / 1.035**2)


def test_kpi_repricing_by_hand() -> None:
    cpi = load_cpi()
    # SCB, KPI årsmedel (1980 = 100): 2008 300.61, 2020 335.92, 2023 403.70.
    assert cpi.factor(2008, 2023) == pytest.approx(403.70 / 300.61)
    assert cpi.reprice(1000, 2020, 2023) == pytest.approx(1000 * 403.70 / 335.92)
    assert cpi.reprice(1000, 2023, 2020) == pytest.approx(1000 * 335.92 / 403.70)
    assert cpi.values[1980] == 100


def test_approximate_kpi_values_are_marked() -> None:
    cpi = load_cpi()
    assert 2024 in cpi.approximate
    assert cpi.notes(2023) == []
    assert "Approximation" in cpi.notes(2024)[0]
    assert all(y not in cpi.approximate for y in range(2006, 2024))


def test_missing_kpi_year_says_what_to_do() -> None:
    with pytest.raises(JamlikError, match="1999.*kpi.yaml"):
        load_cpi().factor(1999, 2023)


def test_library_entries_are_cited_and_consistent() -> None:
    library = load_library()
    exclusion = library["long-term-exclusion"]
    # Nilsson & Wadeskog: 10–15 million kronor over adult life → uniform, mean 12.5 million.
    assert exclusion.value.mean() == pytest.approx(12_500_000)
    assert exclusion.value.support() == (10_000_000, 15_000_000)
    assert "Nilsson" in exclusion.source and "Wadeskog" in exclusion.source
    for uv in library.values():
        assert sum(uv.bearers.values()) == pytest.approx(1.0)
        assert set(uv.bearers) <= set(BEARERS)
        assert uv.source and uv.price_year in load_cpi().values
        assert uv.estimate, f"{uv.id}: say what is assumed rather than taken from the source"
