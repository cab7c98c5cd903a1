"""Fast inserts for the importers: plain rows in, primary keys out in row order, values stored
as the ORM would store them (dates, UUIDs, JSON, defaults, timestamps), and no signals sent."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
import time_machine

from provide.cases.models import Case
from provide.intake.models import Investigation
from provide.people.bulk_insert import MAX_PARAMETERS, insert_new, insert_rows
from provide.people.models import Person

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)


def test_nothing_to_insert_returns_no_keys() -> None:
    assert insert_rows(Person, []) == []
    insert_new(Person, [])
    assert not Person.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_rows_are_stored_with_their_values_and_defaults_and_keys_come_back_in_row_order(
    areas: dict[str, Any],
) -> None:
    given = uuid.uuid4()
    rows: list[dict[str, Any]] = [
        {
            "given_name": "Ada",
            "family_name": "Zed",
            "date_of_birth": dt.date(1990, 1, 31),
            "public_id": given,
            "vulnerabilities": ["pregnancy", "language"],
            "latitude": 53.8,
            "district_id": areas["blackpool"].pk,
            "merged_at": dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        },
        {"family_name": "Able", "created_at": NOW - dt.timedelta(days=3)},
    ]
    keys = insert_rows(Person, rows)
    ada, able = Person.objects.get(pk=keys[0]), Person.objects.get(pk=keys[1])
    assert (ada.family_name, able.family_name) == ("Zed", "Able")  # not in name (ordering) order
    assert ada.public_id == given and isinstance(rows[1]["public_id"], uuid.UUID)
    assert able.public_id == rows[1]["public_id"]  # a row without one is given one
    assert (ada.date_of_birth, ada.vulnerabilities, ada.latitude, ada.district) == (
        dt.date(1990, 1, 31),
        ["pregnancy", "language"],
        53.8,
        areas["blackpool"],
    )
    assert ada.merged_at == dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)
    # Fields the row does not give take their defaults, a callable default called per row
    assert (able.sex, able.vulnerabilities, able.no_sms, able.date_of_birth) == (
        "unknown",
        [],
        False,
        None,
    )
    assert able.pseudonym.startswith("PSN-") and able.pseudonym != ada.pseudonym
    # Timestamps are set as save() would; a given created_at is kept
    assert (ada.created_at, ada.updated_at) == (NOW, NOW)
    assert (able.created_at, able.updated_at) == (NOW - dt.timedelta(days=3), NOW)


def test_more_rows_than_one_statement_takes_are_all_inserted_in_order() -> None:
    per_statement = MAX_PARAMETERS // len(
        [f for f in Person._meta.concrete_fields if not f.auto_created]
    )
    count = min(2000, per_statement) + 5
    keys = insert_rows(
        Person, [{"family_name": f"F{n:05d}", "synthetic": True} for n in range(count)]
    )
    assert len(keys) == len(set(keys)) == count
    names = dict(Person.objects.filter(pk__in=keys).values_list("pk", "family_name"))
    assert [names[key] for key in keys] == [f"F{n:05d}" for n in range(count)]


def test_no_signal_is_sent_so_the_caller_opens_what_save_would(
    areas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    (pk,) = insert_rows(
        Investigation,
        [
            {
                "investigation_ref": "WB/BULK/1",
                "recorded_at": NOW,
                "bcu_id": areas["west"].pk,
                "victim_id": west_case["victim"].pk,
            }
        ],
    )
    assert Investigation.objects.get(pk=pk).investigation_ref == "WB/BULK/1"
    assert not Case.objects.filter(investigation_id=pk).exists()  # post_save would have opened one


@time_machine.travel(NOW, tick=False)
def test_new_instances_get_their_keys_and_behave_as_saved_records() -> None:
    people = [
        Person(given_name="Ann", family_name="One"),
        Person(given_name="Bo", family_name="Two"),
    ]
    insert_new(Person, people)
    assert all(
        p.pk is not None and not p._state.adding and p._state.db == "default" for p in people
    )
    assert [Person.objects.get(pk=p.pk).given_name for p in people] == ["Ann", "Bo"]
    assert people[0].created_at == NOW
    people[0].postcode = "FY1 1AA"
    people[0].save()  # an update of the stored row, not a second insert
    assert Person.objects.count() == 2 and Person.objects.get(pk=people[0].pk).postcode == "FY1 1AA"
