"""Roles are groups with exactly their permissions, and health permissions stay health-side."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from provide.accounts.roles import ALL_ROLES


@pytest.mark.django_db
def test_every_role_has_a_group_with_all_its_permissions() -> None:
    for role in ALL_ROLES:
        group = Group.objects.get(name=role.name)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == set(role.permissions), role.name


@pytest.mark.django_db
def test_no_police_or_admin_role_holds_a_health_permission() -> None:
    for role in ALL_ROLES:
        if role.is_health:
            continue
        group = Group.objects.get(name=role.name)
        assert not group.permissions.filter(content_type__app_label="health").exists(), role.name
