"""The Django admin's user pages are no back door: roles, permissions and superuser status
cannot be set there, a health-role user's password cannot be changed there, nobody is deleted,
and every change made there is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from provide.accounts.models import HealthRoleGrantRequest, User
from provide.accounts.policies import can_view_health_record
from provide.accounts.roles import ROLES_BY_SLUG
from provide.accounts.services import role_of
from provide.audit.models import AuditAction, AuditEvent
from tests.audit_assertions import assert_audited
from tests.cast import HEALTH_SECRETS

pytestmark = pytest.mark.django_db


def _admin_client(personas: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(personas["administrator"])
    return client


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def _change(client: Client, user: User, **extra: Any) -> Any:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "bcu": user.bcu_id or "",
        "_save": "Save",
        **extra,
    }
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


def test_the_administrator_cannot_give_itself_a_health_role_or_superuser_in_the_admin(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    admin = personas["administrator"]
    client = _admin_client(personas)
    form = client.get(reverse("admin:accounts_user_change", args=[admin.pk])).content.decode()
    for locked in ("is_superuser", "groups", "user_permissions", "is_staff", "agency"):
        assert f'name="{locked}"' not in form, locked
    manager_group = Group.objects.get(name=ROLES_BY_SLUG["idva_manager"].name)
    health = Permission.objects.filter(content_type__app_label="health")
    response = _change(
        client,
        admin,
        first_name="Boss",
        is_superuser="on",
        is_staff="on",
        groups=[manager_group.pk],
        user_permissions=[p.pk for p in health],
        agency="health",
    )
    assert response.status_code == 302
    admin = _fresh(admin)
    assert admin.first_name == "Boss"  # the editable field was saved ...
    assert (
        not admin.is_superuser and role_of(admin) == ROLES_BY_SLUG["administrator"]
    )  # ... nothing else
    assert not admin.user_permissions.exists() and admin.agency == "police"
    assert not can_view_health_record(admin)
    client.force_login(admin)
    person_page = client.get(reverse("people:person-detail", args=[west_case["victim"].public_id]))
    assert HEALTH_SECRETS["notes"] not in person_page.content.decode()
    event = assert_audited(
        "accounts.user_updated_in_admin", action=AuditAction.UPDATE, actor=admin, subject=admin
    )
    assert event.changes == {"first_name": ["Administrator", "Boss"]}


def test_a_user_added_in_the_admin_has_no_role_and_is_audited(personas: dict[str, Any]) -> None:
    client = _admin_client(personas)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "added.in.admin",
            "usable_password": "true",
            "password1": "correct horse battery 42",
            "password2": "correct horse battery 42",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="added.in.admin")
    assert role_of(user) is None and not user.is_superuser and not user.is_staff
    event = assert_audited(
        "accounts.user_created_in_admin",
        action=AuditAction.CREATE,
        actor=personas["administrator"],
        subject=user,
    )
    assert event.changes["password_set"] is True and "correct horse" not in str(event.changes)


@pytest.mark.parametrize("slug", ["health_idva", "idva_manager"])
def test_a_health_role_users_password_cannot_be_set_in_the_admin(
    slug: str, personas: dict[str, Any]
) -> None:
    user = personas[slug]
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    client = _admin_client(personas)
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "password1": "taken over 12345 x",
            "password2": "taken over 12345 x",
            "set_usable_password": "true",
        },
    )
    assert response.status_code == 403
    assert not _fresh(user).check_password("taken over 12345 x")


def test_nor_the_password_of_a_user_waiting_for_a_health_role(personas: dict[str, Any]) -> None:
    officer = personas["joint_team_officer"]
    HealthRoleGrantRequest.objects.create(
        user=officer,
        role="health_idva",
        reason="Joins the IDVA team",
        requested_by=personas["administrator"],
    )
    assert (
        _admin_client(personas)
        .get(reverse("admin:auth_user_password_change", args=[officer.pk]))
        .status_code
        == 403
    )


def test_another_users_password_set_in_the_admin_is_audited_and_flagged(
    personas: dict[str, Any],
) -> None:
    officer = personas["response_officer"]
    response = _admin_client(personas).post(
        reverse("admin:auth_user_password_change", args=[officer.pk]),
        {
            "password1": "fresh start 2026 horse",
            "password2": "fresh start 2026 horse",
            "set_usable_password": "true",
        },
    )
    assert response.status_code == 302 and _fresh(officer).check_password("fresh start 2026 horse")
    event = assert_audited(
        "accounts.password_set_in_admin",
        action=AuditAction.UPDATE,
        actor=personas["administrator"],
        subject=officer,
        flagged=True,
    )
    assert event.changes == {"password": "set"}


def test_users_are_never_deleted_in_the_admin(personas: dict[str, Any]) -> None:
    analyst = personas["analyst"]
    client = _admin_client(personas)
    assert (
        client.post(
            reverse("admin:accounts_user_delete", args=[analyst.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert User.objects.filter(pk=analyst.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.DELETE).exists()
