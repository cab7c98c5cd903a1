"""The database keeps the rota's records sound even if a service is bypassed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from provide.rota.models import Absence, StaffProfile
from tests.rota.conftest import DAY, NOW, Rota

pytestmark = pytest.mark.django_db


def test_an_absence_cannot_end_before_it_starts(rota: Rota, manager: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Absence.objects.create(
            user=rota.officer,
            starts_on=DAY,
            ends_on=DAY - dt.timedelta(days=1),
            kind=Absence.Kind.LEAVE,
            recorded_by=manager,
            recorded_at=NOW,
        )
    assert not Absence.objects.exists()


def test_a_one_day_absence_starts_and_ends_the_same_day(rota: Rota, manager: Any) -> None:
    absence = Absence.objects.create(
        user=rota.officer,
        starts_on=DAY,
        ends_on=DAY,
        kind=Absence.Kind.TRAINING,
        recorded_by=manager,
        recorded_at=NOW,
    )
    assert str(absence) == "Pat Jones training 2026-03-10–2026-03-10"


def test_a_person_has_one_set_of_skills(rota: Rota) -> None:
    StaffProfile.objects.create(user=rota.idva, languages=["Urdu"])
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffProfile.objects.create(user=rota.idva, languages=["Polish"])
