"""Users and roles: one role group each, exactly its permissions, the command-line operator."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission

from provide.accounts.roles import ALL_ROLES, ROLES_BY_SLUG
from provide.accounts.services import (
    SYSTEM_ACTOR,
    CommandLineOperator,
    role_of,
    roles_sync,
    user_create,
)
from provide.audit.models import AuditAction
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db


def test_roles_sync_gives_each_group_exactly_its_permissions_again() -> None:
    sergeant_group = Group.objects.get(name=ROLES_BY_SLUG["triage_sergeant"].name)
    extra = Permission.objects.get(content_type__app_label="health", codename="view_supportrecord")
    sergeant_group.permissions.add(extra)
    roles_sync()
    roles_sync()
    for role in ALL_ROLES:
        group = Group.objects.get(name=role.name)
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert held == set(role.permissions), role.slug
    assert extra not in sergeant_group.permissions.all()


def test_user_create_puts_the_user_in_their_role_with_their_agency_and_bcu(
    areas: dict[str, Any],
) -> None:
    role = ROLES_BY_SLUG["health_idva"]
    user = user_create(
        username="idva.west",
        password="a long test passphrase",
        role=role,
        first_name="Jo",
        bcu=areas["west"],
    )
    assert role_of(user) == role and user.agency == role.agency and user.bcu == areas["west"]
    assert user.check_password("a long test passphrase") and not user.is_superuser


def test_a_user_without_a_password_cannot_sign_in_with_one() -> None:
    user = user_create(username="no.password", password=None, role=ROLES_BY_SLUG["analyst"])
    assert not user.has_usable_password()


def test_user_create_never_makes_a_superuser_and_has_no_way_to() -> None:
    user = user_create(username="root", password=None, role=ROLES_BY_SLUG["administrator"])
    assert not user.is_superuser and user.is_staff
    with pytest.raises(TypeError):
        user_create(
            username="root2", password=None, role=ROLES_BY_SLUG["analyst"], is_superuser=True
        )  # type: ignore[call-arg]


def test_user_create_is_audited_with_actor_subject_and_what_was_set(
    make_user: Any, areas: dict[str, Any]
) -> None:
    admin = make_user("administrator")
    user = user_create(
        username="new.officer",
        password="a long test passphrase",
        role=ROLES_BY_SLUG["response_officer"],
        first_name="Nia",
        email="nia@example.org",
        bcu=areas["west"],
        actor=admin,
    )
    event = assert_audited(
        "accounts.user_created", action=AuditAction.CREATE, actor=admin, subject=user
    )
    assert event.changes == {
        "username": [None, "new.officer"],
        "first_name": [None, "Nia"],
        "email": [None, "nia@example.org"],
        "role": [None, "Response officer"],
        "agency": [None, "police"],
        "bcu": [None, "West"],
        "is_active": [None, True],
        "password_set": True,
    }


def test_a_user_created_without_an_actor_is_audited_as_the_system() -> None:
    user = user_create(username="nobody.yet", password=None, role=None)
    assert role_of(user) is None and user.agency == "" and not user.is_staff
    assert_audited(
        "accounts.user_created",
        action=AuditAction.CREATE,
        actor_username=SYSTEM_ACTOR,
        subject=user,
    )


def test_role_of_an_anonymous_user_or_a_user_without_a_role_group_is_none(make_user: Any) -> None:
    assert role_of(AnonymousUser()) is None
    user = make_user("analyst")
    user.groups.clear()
    fresh = type(user).objects.get(pk=user.pk)
    assert role_of(fresh) is None


def test_role_of_is_read_once_per_user_object(
    make_user: Any, django_assert_num_queries: Any
) -> None:
    user = type(make_user("analyst")).objects.get(username="analyst")
    with django_assert_num_queries(1):
        assert role_of(user) == ROLES_BY_SLUG["analyst"]
        assert role_of(user) == ROLES_BY_SLUG["analyst"]


def test_the_command_line_operator_is_trusted_and_named_for_the_audit_log() -> None:
    operator = CommandLineOperator("import-investigations")
    assert operator.audit_name == "provide import-investigations"
    assert (
        operator.has_perm("anything.at_all")
        and not operator.is_authenticated
        and operator.bcu is None
    )
