"""Fixtures for the demo tests: the default-seed data, generated once per session."""

from __future__ import annotations

import pandas as pd
import pytest

from jamlik.demo.generator import DEFAULT_SEED, Truth, generate_observations


@pytest.fixture(scope="session")
def generated() -> tuple[pd.DataFrame, Truth]:
    return generate_observations(DEFAULT_SEED)


@pytest.fixture(scope="session")
def observations(generated) -> pd.DataFrame:
    return generated[0]


@pytest.fixture(scope="session")
def truth(generated) -> Truth:
    return generated[1]
