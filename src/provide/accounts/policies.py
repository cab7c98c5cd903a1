"""Who may see what: small pure functions over a user's role and area."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from provide.accounts.models import User
from provide.accounts.roles import ADMINISTRATOR
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


def can_manage_users(user: User | AnonymousUser) -> bool:
    """The user-management pages: the administrator role (checked as a role, like the health
    wall) holding the user permissions. A superuser without the role is refused too."""
    role = role_of(user)
    return bool(
        user.is_authenticated
        and user.is_active
        and role is not None
        and role.slug == ADMINISTRATOR.slug
        and user.has_perm("accounts.add_user")
        and user.has_perm("accounts.change_user")
    )


def can_decide_health_role_grant(user: User | AnonymousUser) -> bool:
    """Approve or refuse a health-role request: a health role holding the permission (the IDVA
    manager), never the administrator who asked."""
    return bool(
        user.is_authenticated
        and user.is_active
        and is_health_role(user)
        and user.has_perm("accounts.decide_healthrolegrantrequest")
    )
