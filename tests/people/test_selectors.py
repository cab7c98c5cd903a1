"""victim_history_for: repeat victims, DA events and MARAC in the last 12 months, in two queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from provide.intake.models import Investigation
from provide.people.models import Person
from provide.people.selectors import VictimHistory, victim_history_for
from provide.safeguarding.models import MaracCase

AS_OF = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)


def _investigation(areas: dict[str, Any], victim: Person, days_ago: float, n: int) -> None:
    Investigation.objects.create(investigation_ref=f"WB/{victim.pk}/{n}", bcu=areas["west"], victim=victim,
                                 recorded_at=AS_OF - dt.timedelta(days=days_ago))


@pytest.mark.django_db
def test_history_counts_the_last_365_days_and_previous_marac(areas: dict[str, Any]) -> None:
    repeat = Person.objects.create(force_person_ref="R")
    once = Person.objects.create(force_person_ref="O")
    old = Person.objects.create(force_person_ref="X")
    for n, days in enumerate([0.1, 40, 200]):
        _investigation(areas, repeat, days, n)
    _investigation(areas, once, 1, 0)
    _investigation(areas, old, 2, 0)
    _investigation(areas, old, 366, 1)  # outside the year
    _investigation(areas, once, -1, 1)  # after as_of: not counted
    MaracCase.objects.create(victim=repeat, criterion="visible_high_risk", meeting_on=dt.date(2023, 12, 1))
    MaracCase.objects.create(victim=old, criterion="visible_high_risk", meeting_on=dt.date(2023, 5, 1))
    history = victim_history_for([repeat.pk, once.pk, old.pk], AS_OF)
    assert history[repeat.pk] == VictimHistory(3, True, True, dt.date(2023, 12, 1), AS_OF - dt.timedelta(days=0.1))
    assert (history[once.pk].da_events_12m, history[once.pk].repeat_victim) == (1, False)
    assert (history[old.pk].da_events_12m, history[old.pk].previous_marac_within_12m) == (1, False)


@pytest.mark.django_db
def test_history_for_a_whole_day_list_takes_two_queries(areas: dict[str, Any]) -> None:
    victims = [Person.objects.create(force_person_ref=f"V{i}") for i in range(120)]
    for n, victim in enumerate(victims):
        _investigation(areas, victim, 0.5, n)
        _investigation(areas, victim, 100, n + 1000)
    with CaptureQueriesContext(connection) as queries:
        history = victim_history_for([v.pk for v in victims], AS_OF)
    assert len(queries) == 2
    assert all(h.repeat_victim and h.da_events_12m == 2 for h in history.values())


@pytest.mark.django_db
def test_someone_with_no_history_gets_an_empty_one() -> None:
    person = Person.objects.create(force_person_ref="N")
    assert victim_history_for([person.pk], AS_OF) == {person.pk: VictimHistory()}
