"""Who may see what: small pure functions over a user's role and area."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from provide.accounts.models import User
from provide.accounts.services import role_of


def is_health_role(user: User | AnonymousUser) -> bool:
    role = role_of(user)
    return role is not None and role.is_health


def is_police_role(user: User | AnonymousUser) -> bool:
    role = role_of(user)
    return role is not None and role.is_police


def can_view_people(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm("people.view_person"))


def can_view_health_record(user: User | AnonymousUser) -> bool:
    """Health-side data: health roles only, whatever permissions a group was given."""
    return bool(
        user.is_authenticated
        and is_health_role(user)
        and user.has_perm("health.view_supportrecord")
    )
