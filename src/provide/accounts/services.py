"""Writes for users and roles."""

from __future__ import annotations

from typing import Any, TypeAlias, cast

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import transaction

from provide.accounts.models import User
from provide.accounts.roles import ALL_ROLES, ROLES_BY_NAME, Role
from provide.audit.models import AuditAction
from provide.audit.services import audit_record


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


SYSTEM_ACTOR = "provide"
"""The audit log's actor name for a user created by code that names no actor."""


def user_snapshot(user: User) -> dict[str, Any]:
    """What the audit log records of a user before and after a change (never the password)."""
    role = role_of(user)
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": role.name if role else None,
        "agency": user.agency,
        "bcu": user.bcu.name if user.bcu_id and user.bcu else None,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: Role | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    bcu: object | None = None,
    actor: Actor | None = None,
) -> User:
    """Create a user holding ``role`` (or none yet), audited as ``accounts.user_created`` with
    ``actor`` (a signed-in administrator, or the operator of a ``provide`` command) and the
    new user as the subject. Nobody is made a superuser here: the application grants no
    superuser status, and a health role comes only through an approved request
    (:mod:`provide.accounts.grants`) or the single sign-on provider's claims."""
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        agency=role.agency if role else "",
        bcu=bcu,  # type: ignore[misc]
        is_staff=bool(role and role.is_staff),
        is_superuser=False,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    if role is not None:
        user.groups.add(Group.objects.get(name=role.name))
    user._provide_role = role  # type: ignore[attr-defined]
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        event="accounts.user_created",
        subject=user,
        actor_username="" if actor is not None else SYSTEM_ACTOR,
        changes={
            **{
                key: [None, value]
                for key, value in user_snapshot(user).items()
                if value not in ("", None, False)
            },
            "password_set": bool(password),
        },
    )
    return user
