"""Which side of the walls a user stands on, and who sees people and the health record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from provide.accounts.policies import (
    can_view_health_record,
    can_view_people,
    is_health_role,
    is_police_role,
)
from provide.accounts.roles import ALL_ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("policy", "allowed"), [
    (is_health_role, {"health_idva", "idva_manager"}),
    (is_police_role, {"response_officer", "triage_sergeant", "joint_team_officer", "administrator"}),
    (can_view_health_record, {"health_idva", "idva_manager"}),
    (can_view_people, {"response_officer", "triage_sergeant", "joint_team_officer", "health_idva",
                       "idva_manager", "safeguarding_officer"}),
])
def test_each_role_is_on_its_side(policy: Callable[[Any], bool], allowed: set[str], make_user: Any) -> None:
    assert {role.slug for role in ALL_ROLES if policy(make_user(role.slug))} == allowed
    assert not policy(AnonymousUser())


def test_no_role_is_on_both_sides(make_user: Any) -> None:
    users = [make_user(role.slug) for role in ALL_ROLES]
    assert not any(is_health_role(user) and is_police_role(user) for user in users)
