"""Who may plan the rota, and who may be rostered on it."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from provide.accounts.models import User
from provide.accounts.roles import (
    ADMINISTRATOR,
    HEALTH_IDVA,
    IDVA_MANAGER,
    JOINT_TEAM_OFFICER,
    TRIAGE_SERGEANT,
)
from provide.accounts.services import role_of

ROTA_MANAGERS = frozenset({IDVA_MANAGER.slug, TRIAGE_SERGEANT.slug, ADMINISTRATOR.slug})
"""The roles that plan shifts (checked as roles, so a group given the permission by hand does
not open the rota to a response officer)."""


def can_manage_rota(user: User | AnonymousUser) -> bool:
    """Plan shifts, staff them, record skills and leave: the IDVA manager, the triage sergeant
    and the administrator, holding ``rota.manage_rota``."""
    role = role_of(user)
    return bool(
        user.is_authenticated
        and user.is_active
        and role is not None
        and role.slug in ROTA_MANAGERS
        and user.has_perm("rota.manage_rota")
    )


def can_be_rostered_as_officer(user: User) -> bool:
    role = role_of(user)
    return bool(user.is_active and role is not None and role.slug == JOINT_TEAM_OFFICER.slug)


def can_be_rostered_as_idva(user: User) -> bool:
    role = role_of(user)
    return bool(user.is_active and role is not None and role.slug == HEALTH_IDVA.slug)
