"""The demo generator loads synthetic, deterministic data and the demo users."""

from __future__ import annotations

import datetime as dt

import pytest

from provide.accounts.models import User
from provide.demo.services import demo_data_load
from provide.health.models import SupportRecord
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.planning.models import Shift


@pytest.mark.django_db
def test_demo_data_is_synthetic_and_covers_every_bcu() -> None:
    summary = demo_data_load(
        end_on=dt.date(2026, 3, 10), days=3, seed=7, password="demo-password-123"
    )
    assert summary.investigations == Investigation.objects.count() > 100
    assert not Person.objects.filter(synthetic=False).exists()
    assert set(Investigation.objects.values_list("bcu__name", flat=True)) == {
        "West",
        "South",
        "East",
    }
    assert Shift.objects.exists() and SupportRecord.objects.exists()
    assert User.objects.count() == 8
    assert User.objects.get(username="triage.sergeant").check_password("demo-password-123")


@pytest.mark.django_db
def test_demo_data_is_deterministic_for_a_seed() -> None:
    demo_data_load(end_on=dt.date(2026, 3, 10), days=2, seed=11, with_users=False)
    first = list(
        Investigation.objects.order_by("investigation_ref").values_list(
            "investigation_ref", "victim__family_name", "risk_grade"
        )
    )
    demo_data_load(end_on=dt.date(2026, 3, 10), days=2, seed=11, with_users=False)
    second = list(
        Investigation.objects.order_by("investigation_ref").values_list(
            "investigation_ref", "victim__family_name", "risk_grade"
        )
    )
    assert first == second


@pytest.mark.django_db
def test_demo_data_has_a_case_for_every_investigation_and_failed_attempts_back_on_the_board() -> (
    None
):
    from django.test import Client

    from provide.cases.models import Case
    from provide.cases.selectors import cases_back_from_a_visit

    demo_data_load(end_on=dt.date(2026, 3, 10), days=6, seed=7, password="demo-password-123")
    assert Case.objects.count() == Investigation.objects.count()
    states = set(Case.objects.values_list("state", flat=True))
    assert {"new", "accepted", "attempted", "seen", "closed"} <= states
    west = Investigation.objects.filter(bcu__name="West").first().bcu
    back = list(cases_back_from_a_visit(west))
    assert back and all(case.attempts >= 1 for case in back)
    client = Client()
    client.force_login(User.objects.get(username="triage.sergeant"))
    body = client.get("/triage/", {"date": "2026-03-10"}).content.decode()
    assert (
        "Back from a visit that did not see the victim" in body
        and back[0].investigation.investigation_ref in body
    )
