"""Reading numbers and days typed into forms: plain values in range, None for anything else."""

from __future__ import annotations

from datetime import date

from jamlik.web.form_values import day, decimal, is_whole, whole


def test_whole_numbers():
    assert whole("1 234 567", 0, 10**9) == 1_234_567  # spaces group thousands
    assert whole("12\u00a0000", 0, 10**9) == 12_000
    assert whole("−5", -10, 10) == -5  # the typographic minus
    assert whole("-5", 0, 10) is None  # no sign where the range has no negatives
    for odd in ("²", "³", "١٢", "12a", "1.5", "", "9" * 16, "9" * 5000, str(2**63)):
        assert whole(odd, 0, 10**15) is None, odd
    assert whole("121", 0, 120) is None
    assert is_whole("121") and not is_whole("²")


def test_decimals():
    assert decimal("3,5") == 3.5 and decimal("−0,25") == -0.25
    assert decimal("1 000,5") == 1000.5
    for odd in ("nan", "inf", "-Infinity", "1e999", "9" * 5000, "²", "1,2,3", ""):
        assert decimal(odd) is None, odd
    assert decimal("2e15") is None and decimal("1e15") == 1e15


def test_days():
    assert day("2024-02-29") == date(2024, 2, 29)
    for odd in ("2023-02-29", "20240101", "0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"):
        assert day(odd) is None, odd
    assert day("1900-01-01") == date(1900, 1, 1) and day("2199-12-31") == date(2199, 12, 31)
