"""The differencing attack on the analyst's JSON download: two periods one day apart,
subtracted, must not give back the day's small counts (8 visits, 7 accepted).

The IDVA manager's full figures are the control: subtracting them gives the day exactly, so
the test would catch a publication rule that let the exact totals through."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from provide.areas.models import Area
from provide.core.evaluation.publish import BASE, suppress_count
from provide.health.models import SupportRecord
from provide.people.models import Person

pytestmark = pytest.mark.django_db
URL = "/evaluation/download/json/"
DAY = dt.date(2024, 3, 31)
DAY_VISITS, DAY_ACCEPTED = 8, 7


@pytest.fixture
def tracker(areas: dict[str, Area]) -> None:
    """103 visits (95 accepted) over the 30 days before DAY, then 8 (7 accepted) on DAY."""
    people = Person.objects.bulk_create(
        [
            Person(
                force_person_ref=f"D{n:03d}",
                given_name="Given",
                family_name=f"Family{n}",
                synthetic=True,
            )
            for n in range(103 + DAY_VISITS)
        ]
    )
    rows = []
    for n, person in enumerate(people):
        on_day = n >= 103
        day = DAY if on_day else DAY - dt.timedelta(days=1 + n % 30)
        at = dt.datetime.combine(day, dt.time(10 + n % 8), tzinfo=dt.UTC)
        accepted = (n - 103) < DAY_ACCEPTED if on_day else n < 95
        rows.append(
            SupportRecord(
                tracker_id=f"D-{n:03d}",
                victim=person,
                bcu=areas["west"],
                police_visit_at=at - dt.timedelta(hours=3),
                idva_visit_at=at,
                idva_support_offered=True,
                idva_support_accepted=accepted,
            )
        )
    SupportRecord.objects.bulk_create(rows)


def _download(user: Any, **period: str) -> dict[str, Any]:
    client = Client()
    client.force_login(user)
    response = client.get(URL, {"bcu": "West", **period})
    assert response.status_code == 200
    return dict(json.loads(response.content))


def _day_by_difference(user: Any) -> tuple[Any, Any]:
    before = _download(user, date_from="2024-03-01", date_to="2024-03-30")
    through = _download(user, date_from="2024-03-01", date_to="2024-03-31")
    visits = through["tracker_rows"] - before["tracker_rows"]
    accepted = through["idva_support_acceptance"]["num"] - before["idva_support_acceptance"]["num"]
    return visits, accepted


@pytest.mark.usefixtures("tracker")
def test_the_full_figures_give_the_day_away_by_difference_the_control(
    personas: dict[str, Any],
) -> None:
    assert _day_by_difference(personas["idva_manager"]) == (DAY_VISITS, DAY_ACCEPTED)


@pytest.mark.usefixtures("tracker")
@pytest.mark.parametrize("slug", ["analyst", "triage_sergeant"])
def test_differencing_two_published_periods_does_not_recover_the_days_counts(
    slug: str, personas: dict[str, Any]
) -> None:
    visits, accepted = _day_by_difference(personas[slug])
    assert (visits, accepted) != (DAY_VISITS, DAY_ACCEPTED)
    assert visits % BASE == 0 and accepted % BASE == 0  # differences of rounded counts
    # Every day count from 6 to 14 (and accepted from 3 to 11) fits the two publications.
    assert visits - 4 <= DAY_VISITS <= visits + 4 and accepted - 4 <= DAY_ACCEPTED <= accepted + 4


@pytest.mark.usefixtures("tracker")
def test_no_published_figure_pins_the_totals_down(personas: dict[str, Any]) -> None:
    """The rates and intervals are those of the rounded counts, so they cannot be used to work
    the exact totals back out of a publication."""
    through = _download(personas["analyst"], date_from="2024-03-01", date_to="2024-03-31")
    acceptance = through["idva_support_acceptance"]
    assert (through["tracker_rows"], acceptance["num"], acceptance["den"]) == (
        suppress_count(111),
        suppress_count(102),
        suppress_count(111),
    )
    assert acceptance["value"] == acceptance["num"] / acceptance["den"] != 102 / 111
    alone = _download(personas["analyst"], date_from="2024-03-31", date_to="2024-03-31")
    assert alone["tracker_rows"] == 10 and alone["idva_support_acceptance"]["value"] is None
