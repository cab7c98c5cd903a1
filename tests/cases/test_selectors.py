"""The one owner of victim history, and the state reads every list uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from provide.cases.selectors import (
    STATE_FILTERS,
    UnknownState,
    cases_awaiting_visit,
    state_counts,
    states_for,
    victim_history,
)
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.safeguarding.models import MaracCase

pytestmark = pytest.mark.django_db
AS_OF = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def _event(areas: Any, victim: Person, days_ago: int, ref: str) -> Investigation:
    return Investigation.objects.create(
        investigation_ref=ref,
        recorded_at=AS_OF - dt.timedelta(days=days_ago),
        bcu=areas["west"],
        victim=victim,
    )


def test_victim_history_counts_the_window_and_the_last_marac(areas: Any) -> None:
    repeat = Person.objects.create(family_name="Repeat", synthetic=True)
    once = Person.objects.create(family_name="Once", synthetic=True)
    nobody = Person.objects.create(family_name="Nobody", synthetic=True)
    for n, days in enumerate((1, 40, 364, 366)):
        _event(areas, repeat, days, f"R{n}")
    _event(areas, once, 3, "O1")
    MaracCase.objects.create(
        victim=repeat,
        criterion="visible_high_risk",
        meeting_on=(AS_OF - dt.timedelta(days=30)).date(),
    )
    MaracCase.objects.create(
        victim=once,
        criterion="visible_high_risk",
        meeting_on=(AS_OF - dt.timedelta(days=400)).date(),
    )
    history = victim_history([repeat.pk, once.pk, nobody.pk], AS_OF)
    assert (
        history[repeat.pk].da_events == 3
        and history[repeat.pk].last_marac_on == (AS_OF - dt.timedelta(days=30)).date()
    )
    assert history[repeat.pk].first_event_at == AS_OF - dt.timedelta(days=364)
    assert history[once.pk].da_events == 1 and history[once.pk].last_marac_on is None
    assert history[nobody.pk].da_events == 0
    assert victim_history([repeat.pk], AS_OF, days=7)[repeat.pk].da_events == 1


def test_state_filters_and_counts(areas: Any, west_case: Any) -> None:
    assert states_for("awaiting_visit") == ("accepted", "attempted", "planned")
    assert "closed" not in STATE_FILTERS["open"]
    with pytest.raises(UnknownState, match="unknown state 'sideways'"):
        states_for("sideways")
    assert (
        state_counts(areas["west"])["new"] == 1 and sum(state_counts(areas["east"]).values()) == 0
    )
    assert list(cases_awaiting_visit(areas["west"], attempt_due_by=timezone.now())) == []
