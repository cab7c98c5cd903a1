"""Every investigation has a case from the moment it is recorded: typed, raised or imported."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import serializers

from provide.cases.models import Case
from provide.intake.models import Investigation
from provide.intake.signals import investigations_recorded
from provide.people.models import Person

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 2, 1, 8, 0, tzinfo=dt.UTC)


def _victim(name: str) -> Person:
    return Person.objects.create(given_name="Ivy", family_name=name, synthetic=True)


def test_saving_a_new_investigation_opens_its_case_once(areas: dict[str, Any]) -> None:
    investigation = Investigation.objects.create(
        investigation_ref="WB/R/1", recorded_at=T0, bcu=areas["west"], victim=_victim("Saved")
    )
    case = Case.objects.get(investigation=investigation)
    assert case.state == "new" and case.events.get().actor_label == "provide"
    investigation.offence = "Assault"
    investigation.save()  # a later save is not a new investigation
    assert (
        Case.objects.filter(investigation=investigation).count() == 1 and case.events.count() == 1
    )


def test_loading_a_fixture_does_not_open_cases(areas: dict[str, Any]) -> None:
    # Given an investigation serialised, then removed before its case was opened
    victim = _victim("Fixture")
    Investigation.objects.bulk_create(
        [
            Investigation(
                investigation_ref="WB/R/FIX", recorded_at=T0, bcu=areas["west"], victim=victim
            )
        ]
    )
    data = serializers.serialize("json", Investigation.objects.filter(investigation_ref="WB/R/FIX"))
    Investigation.objects.filter(investigation_ref="WB/R/FIX").delete()
    # When loaddata saves it (a raw save)
    for stored in serializers.deserialize("json", data):
        stored.save()
    # Then it comes back without a case: fixtures carry their own
    assert Investigation.objects.filter(investigation_ref="WB/R/FIX").exists()
    assert not Case.objects.filter(investigation__investigation_ref="WB/R/FIX").exists()


def test_an_import_opens_a_case_for_each_investigation_it_inserted_in_bulk(
    areas: dict[str, Any],
) -> None:
    Investigation.objects.bulk_create(
        [
            Investigation(
                investigation_ref=f"WB/R/IMP{n}",
                recorded_at=T0,
                bcu=areas["west"],
                victim=_victim(f"I{n}"),
            )
            for n in range(3)
        ]
    )
    ids = list(
        Investigation.objects.filter(investigation_ref__startswith="WB/R/IMP").values_list(
            "pk", flat=True
        )
    )
    assert not Case.objects.filter(investigation_id__in=ids).exists()
    investigations_recorded.send(sender=Investigation, investigation_ids=ids)
    cases = Case.objects.filter(investigation_id__in=ids)
    assert cases.count() == 3
    assert {case.events.get().actor_label for case in cases} == {"import"}
