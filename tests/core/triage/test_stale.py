"""The stale bands: how long a case has waited on the board."""

from __future__ import annotations

import datetime as dt

import pytest

from provide.core.triage import stale_band
from provide.core.triage.stale import StaleBand
from tests.core.triage.builders import T0


@pytest.mark.parametrize(
    ("hours", "band"),
    [
        (23.9, None),
        (24, StaleBand.OVER_24_HOURS),
        (71.9, StaleBand.OVER_24_HOURS),
        (72, StaleBand.OVER_72_HOURS),
    ],
)
def test_stale_bands(hours: float, band: StaleBand | None) -> None:
    assert stale_band(T0, T0 + dt.timedelta(hours=hours)) is band
