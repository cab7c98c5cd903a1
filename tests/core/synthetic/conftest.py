"""Shared generated datasets: generating once per session keeps the suite fast."""

from __future__ import annotations

from datetime import date

import pytest

from provide.core.synthetic import SyntheticDataset, generate_dataset

SAMPLE_START = date(2023, 4, 1)
"""All three BCUs are live from this date (East went live on 9 January 2023)."""


@pytest.fixture(scope="session")
def sample() -> SyntheticDataset:
    """90 days for all three BCUs, seed 7."""
    return generate_dataset(start_on=SAMPLE_START, days=90, seed=7)


@pytest.fixture(scope="session")
def across_go_live() -> SyntheticDataset:
    """60 days spanning East's go-live on 9 January 2023 (South live, West live)."""
    return generate_dataset(start_on=date(2022, 12, 1), days=60, seed=11)
