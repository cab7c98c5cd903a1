"""Who may use the health-side record: health roles only, whatever a group holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from provide.accounts.roles import ALL_ROLES
from provide.health.policies import (
    can_edit_health_record,
    can_export_tracker,
    can_import_appointments,
    can_import_tracker,
    can_view_health_field,
)

pytestmark = pytest.mark.django_db
HEALTH = {"health_idva", "idva_manager"}


@pytest.mark.parametrize(
    ("policy", "allowed"),
    [
        (can_edit_health_record, HEALTH),
        (can_export_tracker, HEALTH),
        (can_import_appointments, HEALTH),
        (can_import_tracker, {"idva_manager"}),
    ],
)
def test_only_health_roles_pass(
    policy: Callable[[Any], bool], allowed: set[str], make_user: Any
) -> None:
    assert {role.slug for role in ALL_ROLES if policy(make_user(role.slug))} == allowed
    assert not policy(AnonymousUser())


def test_a_police_role_given_the_health_permissions_by_a_group_is_still_refused(
    make_user: Any,
) -> None:
    sergeant = make_user("triage_sergeant")
    sergeant.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="health",
            codename__in=[
                "view_supportrecord",
                "change_supportrecord",
                "import_tracker",
                "export_tracker",
                "add_healthappointment",
            ],
        )
    )
    sergeant = type(sergeant).objects.get(pk=sergeant.pk)  # a fresh permission cache
    assert sergeant.has_perm("health.change_supportrecord")
    assert not any(
        policy(sergeant)
        for policy in (
            can_edit_health_record,
            can_export_tracker,
            can_import_appointments,
            can_import_tracker,
        )
    )


def test_the_health_field_wall_opens_to_health_roles_and_shared_fields_to_the_safeguarding_team(
    make_user: Any,
) -> None:
    users = {role.slug: make_user(role.slug) for role in ALL_ROLES}
    assert {slug for slug, user in users.items() if can_view_health_field(user)} == HEALTH
    assert {
        slug
        for slug, user in users.items()
        if can_view_health_field(user, shared_with_partners=True)
    } == (HEALTH | {"safeguarding_officer"})
    assert not can_view_health_field(AnonymousUser(), shared_with_partners=True)
    officer = users["safeguarding_officer"]
    officer.is_active = False
    assert not can_view_health_field(officer, shared_with_partners=True)


def test_the_health_field_wall_ignores_health_permissions_given_to_a_police_role(
    make_user: Any,
) -> None:
    officer = make_user("joint_team_officer")
    officer.user_permissions.add(*Permission.objects.filter(content_type__app_label="health"))
    officer = type(officer).objects.get(pk=officer.pk)
    assert officer.has_perm("health.view_supportrecord")
    assert not can_view_health_field(officer) and not can_view_health_field(
        officer, shared_with_partners=True
    )
