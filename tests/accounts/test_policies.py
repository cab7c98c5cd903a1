"""Which side of the walls a user stands on, and who sees people and the health record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from provide.accounts.policies import (
    can_decide_health_role_grant,
    can_manage_users,
    can_view_health_record,
    can_view_people,
    is_health_role,
    is_police_role,
)
from provide.accounts.roles import ALL_ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("policy", "allowed"),
    [
        (is_health_role, {"health_idva", "idva_manager"}),
        (
            is_police_role,
            {"response_officer", "triage_sergeant", "joint_team_officer", "administrator"},
        ),
        (can_view_health_record, {"health_idva", "idva_manager"}),
        (
            can_view_people,
            {
                "response_officer",
                "triage_sergeant",
                "joint_team_officer",
                "health_idva",
                "idva_manager",
                "safeguarding_officer",
            },
        ),
        (can_manage_users, {"administrator"}),
        (can_decide_health_role_grant, {"idva_manager"}),
    ],
)
def test_each_role_is_on_its_side(
    policy: Callable[[Any], bool], allowed: set[str], make_user: Any
) -> None:
    assert {role.slug for role in ALL_ROLES if policy(make_user(role.slug))} == allowed
    assert not policy(AnonymousUser())


def test_no_role_is_on_both_sides(make_user: Any) -> None:
    users = [make_user(role.slug) for role in ALL_ROLES]
    assert not any(is_health_role(user) and is_police_role(user) for user in users)


def test_user_management_and_grant_decisions_need_the_role_not_only_the_permission(
    make_user: Any,
) -> None:
    from django.contrib.auth.models import Permission

    sergeant = make_user("triage_sergeant")
    sergeant.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts",
            codename__in=["add_user", "change_user", "decide_healthrolegrantrequest"],
        )
    )
    sergeant = type(sergeant).objects.get(pk=sergeant.pk)
    assert sergeant.has_perm("accounts.decide_healthrolegrantrequest")
    assert not can_manage_users(sergeant) and not can_decide_health_role_grant(sergeant)
    admin = make_user("administrator")
    admin.is_active = False
    assert not can_manage_users(admin)
