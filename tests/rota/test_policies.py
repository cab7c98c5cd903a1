"""Who plans the rota (the IDVA manager, the triage sergeant, the administrator) and who can be
rostered (joint-team officers as officers, health IDVAs as IDVAs)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission

from provide.accounts.roles import ALL_ROLES
from provide.rota.policies import (
    can_be_rostered_as_idva,
    can_be_rostered_as_officer,
    can_manage_rota,
)

pytestmark = pytest.mark.django_db
MANAGERS = {"idva_manager", "triage_sergeant", "administrator"}


@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda role: role.slug)
def test_only_the_rota_roles_manage_the_rota(role: Any, make_user: Any) -> None:
    assert can_manage_rota(make_user(role.slug)) is (role.slug in MANAGERS)


def test_an_anonymous_visitor_does_not(db: Any) -> None:
    assert can_manage_rota(AnonymousUser()) is False


def test_a_deactivated_manager_does_not(make_user: Any) -> None:
    manager = make_user("idva_manager")
    manager.is_active = False
    manager.save()
    assert can_manage_rota(manager) is False


def test_the_permission_given_to_another_role_by_hand_does_not_open_the_rota(
    make_user: Any,
) -> None:
    officer = make_user("response_officer")
    group = Group.objects.get(name="Response officer")
    group.permissions.add(Permission.objects.get(codename="manage_rota"))
    assert officer.has_perm("rota.manage_rota") is True
    assert can_manage_rota(officer) is False


@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda role: role.slug)
def test_who_can_be_rostered(role: Any, make_user: Any) -> None:
    user = make_user(role.slug)
    assert can_be_rostered_as_officer(user) is (role.slug == "joint_team_officer")
    assert can_be_rostered_as_idva(user) is (role.slug == "health_idva")
