"""Who may see cases, raise a live incident and close a case: by role, never when signed out."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from provide.accounts.roles import ALL_ROLES
from provide.cases.policies import can_close_case, can_raise_incident, can_view_cases

pytestmark = pytest.mark.django_db

VIEW = {
    "response_officer",
    "triage_sergeant",
    "joint_team_officer",
    "health_idva",
    "idva_manager",
    "safeguarding_officer",
}
RAISE = {"response_officer", "triage_sergeant"}
CLOSE = {"triage_sergeant", "safeguarding_officer"}


@pytest.mark.parametrize("role", [role.slug for role in ALL_ROLES])
def test_each_role_holds_exactly_its_case_powers(role: str, make_user: Any) -> None:
    user = make_user(role)
    assert can_view_cases(user) is (role in VIEW)
    assert can_raise_incident(user) is (role in RAISE)
    assert can_close_case(user) is (role in CLOSE)


def test_nobody_signed_out_may_do_anything_with_cases() -> None:
    anonymous = AnonymousUser()
    assert not can_view_cases(anonymous)
    assert not can_raise_incident(anonymous)
    assert not can_close_case(anonymous)


def test_an_inactive_user_loses_the_powers_of_the_role(make_user: Any) -> None:
    sergeant = make_user("triage_sergeant")
    sergeant.is_active = False
    sergeant.save()
    assert not (
        can_view_cases(sergeant) or can_raise_incident(sergeant) or can_close_case(sergeant)
    )
