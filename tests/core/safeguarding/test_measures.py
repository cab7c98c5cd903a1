"""DVPN / DVPO / DVDS clocks and alerts."""

from __future__ import annotations

import datetime as dt

import pytest

from provide.core.safeguarding.measures import (
    DVPO_DAYS_OUT_OF_RANGE,
    Kind,
    Level,
    measure_alert,
    measure_ends_at,
)

T0 = dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC)


def test_a_dvpn_lasts_48_hours() -> None:
    assert measure_ends_at(Kind.DVPN, T0) == T0 + dt.timedelta(hours=48)


def test_a_dvpo_lasts_14_to_28_days() -> None:
    assert measure_ends_at(Kind.DVPO, T0, dvpo_days=28) == T0 + dt.timedelta(days=28)
    for days in (None, 13, 29):
        with pytest.raises(ValueError, match=DVPO_DAYS_OUT_OF_RANGE):
            measure_ends_at(Kind.DVPO, T0, dvpo_days=days)


def test_a_dvds_request_has_a_28_day_target() -> None:
    assert measure_ends_at(Kind.DVDS_ASK, T0) == T0 + dt.timedelta(days=28)


def test_alerts_warn_before_and_flag_after_the_deadline() -> None:
    ends = measure_ends_at(Kind.DVPN, T0)
    assert measure_alert(Kind.DVPN, ends, as_of=T0 + dt.timedelta(hours=1)) is None
    soon = measure_alert(Kind.DVPN, ends, as_of=T0 + dt.timedelta(hours=30))
    assert soon is not None and soon.level is Level.DUE_SOON and "DVPO hearing" in soon.message
    late = measure_alert(Kind.DVPN, ends, as_of=ends)
    assert late is not None and late.level is Level.OVERDUE
    assert measure_alert(Kind.DVPN, ends, as_of=ends, active=False) is None


def test_dvds_alert_a_week_before_its_target() -> None:
    ends = measure_ends_at(Kind.DVDS_KNOW, T0)
    assert measure_alert(Kind.DVDS_KNOW, ends, as_of=ends - dt.timedelta(days=8)) is None
    alert = measure_alert(Kind.DVDS_KNOW, ends, as_of=ends - dt.timedelta(days=6))
    assert alert is not None and alert.level is Level.DUE_SOON
