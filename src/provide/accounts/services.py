"""Writes for users and roles."""

from __future__ import annotations

from typing import TypeAlias, cast

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import transaction

from provide.accounts.models import User
from provide.accounts.roles import ALL_ROLES, ROLES_BY_NAME, Role


def roles_sync() -> None:
    """Create each role's group and give it exactly its permissions (idempotent)."""
    for role in ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=role.name)
        wanted = []
        for dotted in role.permissions:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)


class CommandLineOperator:
    """The operator running a ``provide`` command: trusted, and named in the audit log."""

    is_authenticated = False
    is_active = True
    bcu = None

    def __init__(self, command: str) -> None:
        self.audit_name = f"provide {command}"

    def has_perm(self, permission: str) -> bool:
        return True


Actor: TypeAlias = User | CommandLineOperator
"""Who a service acts for: a signed-in user, or the operator of a ``provide`` command."""


def role_of(user: User | AnonymousUser) -> Role | None:
    """The user's role: the first role group they belong to (users hold one role)."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_provide_role", False)
    if cached is not False:
        return cast("Role | None", cached)
    names = [group.name for group in user.groups.all()]
    role = next((ROLES_BY_NAME[name] for name in names if name in ROLES_BY_NAME), None)
    user._provide_role = role  # type: ignore[attr-defined]
    return role


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    bcu: object | None = None,
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        agency=role.agency,
        bcu=bcu,  # type: ignore[misc]
        is_staff=role.is_staff or is_superuser,
        is_superuser=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=role.name))
    return user
