"""When a victim may be visited on a day: her schedule, her availability (never inside an
unsafe range), the source of each window, and local time across a clock change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from provide.people.contact import (
    AVAILABILITY,
    SAFE_CONTACT,
    availability_upcoming,
    contact_fields_from_text,
    contact_windows_for,
)
from provide.people.models import Person, VictimAvailability

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _victim(text: str = "") -> Person:
    return Person.objects.create(family_name="Victim", synthetic=True,
                                 **contact_fields_from_text(text))  # fmt: skip


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def test_the_fields_a_text_gives() -> None:
    fields = contact_fields_from_text("weekdays 09:00-12:00 · suspect may answer")
    assert fields["safe_contact_schedule"] == [
        {"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "12:00", "safe": True}
    ]
    assert fields["safe_contact_review_needed"] is False
    assert fields["suspect_may_answer"] is True
    assert "no_messages" not in fields, "a warning is only ever turned on"
    assert contact_fields_from_text("ring her sister")["safe_contact_review_needed"] is True


def test_no_schedule_and_no_availability_is_no_restriction() -> None:
    windows = contact_windows_for(_victim(), dt.date(2026, 12, 7))
    assert windows.windows is None and not windows.restricted


def test_safe_windows_with_their_source_and_none_on_a_day_they_miss() -> None:
    victim = _victim("weekdays 09:00-12:00")
    monday = dt.date(2026, 12, 7)
    windows = contact_windows_for(victim, monday)
    assert [(w.starts_at, w.ends_at, w.source) for w in windows.windows or ()] == [
        (_at(monday, 9), _at(monday, 12), SAFE_CONTACT)
    ]
    assert contact_windows_for(victim, dt.date(2026, 12, 6)).windows == ()


def test_availability_adds_a_window_but_is_cut_by_an_unsafe_range() -> None:
    victim = _victim("after 18:00; not 11:00-11:30")
    day = dt.date(2026, 12, 7)
    VictimAvailability.objects.create(person=victim, starts_at=_at(day, 10), ends_at=_at(day, 12))
    VictimAvailability.objects.create(
        person=victim, starts_at=_at(day + dt.timedelta(days=1), 10),
        ends_at=_at(day + dt.timedelta(days=1), 12),
    )  # fmt: skip
    windows = contact_windows_for(victim, day).windows or ()
    assert [(w.starts_at.time(), w.ends_at.time(), w.source) for w in windows] == [
        (dt.time(10), dt.time(11), AVAILABILITY),
        (dt.time(11, 30), dt.time(12), AVAILABILITY),
        (dt.time(18), dt.time(0), SAFE_CONTACT),
    ]
    assert windows[-1].ends_at == _at(day + dt.timedelta(days=1), 0)


def test_availability_alone_restricts_the_day() -> None:
    victim = _victim()
    day = dt.date(2026, 12, 7)
    VictimAvailability.objects.create(person=victim, starts_at=_at(day, 14), ends_at=_at(day, 15))
    windows = contact_windows_for(victim, day)
    assert windows.restricted
    assert [w.source for w in windows.windows or ()] == [AVAILABILITY]


def test_local_times_hold_on_the_day_the_clocks_go_forward() -> None:
    victim = _victim("09:00-12:00")
    day = dt.date(2026, 3, 29)  # 01:00 GMT becomes 02:00 BST
    (window,) = contact_windows_for(victim, day).windows or ()
    assert window.starts_at.astimezone(LONDON).time() == dt.time(9)
    assert window.ends_at.astimezone(LONDON).time() == dt.time(12)
    assert window.to_json()["start"] == "2026-03-29T09:00:00+01:00"


def test_upcoming_availability_leaves_out_what_has_passed() -> None:
    victim = _victim()
    now = timezone.now()
    VictimAvailability.objects.create(
        person=victim, starts_at=now - dt.timedelta(hours=3), ends_at=now - dt.timedelta(hours=2)
    )
    later = VictimAvailability.objects.create(
        person=victim, starts_at=now + dt.timedelta(hours=2), ends_at=now + dt.timedelta(hours=3)
    )
    assert availability_upcoming(victim) == [later]
