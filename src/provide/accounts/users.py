"""User management for the administrator: reads and writes behind the user-management pages.

Every write is permission-checked (:func:`provide.accounts.policies.can_manage_users`: the
administrator role) and audited in its transaction with the actor, the user changed (the
subject) and the fields before and after. What the administrator cannot do from here:

* give a health role: that takes a request and an IDVA manager's approval
  (:mod:`provide.accounts.grants`);
* make anyone a superuser, or staff beyond what their role says;
* change their own role or deactivate themselves;
* set the password of an existing user.

Resetting a second factor and unlocking sign-in call the modules that own them
(:func:`provide.accounts.mfa.second_factor_reset`, :func:`provide.accounts.lockout.sign_in_unlock`),
which check the administrator again and write their own audit events.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet

from provide.accounts import lockout, mfa
from provide.accounts.models import HealthRoleGrantRequest, User
from provide.accounts.policies import can_manage_users
from provide.accounts.roles import ALL_ROLES, ROLES_BY_NAME, Role
from provide.accounts.services import role_of, user_create, user_snapshot
from provide.audit.models import AuditAction
from provide.audit.services import audit_record, audit_record_many, changed_fields
from provide.shared.access import RecordNotFound

BCU_SCOPED_ROLES = frozenset(
    {"response_officer", "triage_sergeant", "joint_team_officer", "health_idva"}
)
"""Roles whose users work one BCU's cases, so need a BCU."""

NOT_ALLOWED = "Only an administrator can manage users."
HEALTH_ROLE_NEEDS_APPROVAL = (
    "A health role is given only when an IDVA manager approves a request for it."
)
NOT_YOUR_OWN_ROLE = "You cannot change your own role."
NOT_YOURSELF = "You cannot deactivate your own account."
NEEDS_BCU = "{role} works one BCU: choose the BCU."
USERNAME_TAKEN = "There is already a user called {username}."
NONE_CHOSEN = "Choose at least one user to deactivate."

NO_ROLE = "none"
"""The role filter's value for users without a role."""


class UserManagementError(Exception):
    """A change the rules refuse; the message is one of this module's constants."""


def _require(actor: Any) -> None:
    if not can_manage_users(actor):
        raise PermissionDenied(NOT_ALLOWED)


def assignable_roles() -> list[Role]:
    """The roles the administrator may give directly: every role but the health roles."""
    return [role for role in ALL_ROLES if not role.is_health]


def bcu_choices() -> QuerySet[Any]:
    """The BCUs a user can work (``areas.Area`` of kind "bcu"), reached through the user's own
    ``bcu`` field: ``accounts`` and ``areas`` sit side by side in the layers and do not import
    each other."""
    area = cast("type[Model]", User._meta.get_field("bcu").related_model)
    return area._default_manager.filter(kind="bcu").order_by("name")


def _check_bcu(role: Role | None, bcu: Any) -> None:
    if role is not None and role.slug in BCU_SCOPED_ROLES and bcu is None:
        raise UserManagementError(NEEDS_BCU.format(role=role.name))


def apply_role(user: User, role: Role | None) -> None:
    """Give ``user`` exactly ``role`` (or none): its group, its agency and its staff status.
    Not audited and not checked: callers (:func:`user_update`, the grant approval) do both."""
    role_groups = Group.objects.filter(name__in=list(ROLES_BY_NAME))
    user.groups.remove(*role_groups)
    if role is not None:
        user.groups.add(Group.objects.get(name=role.name))
    user.agency = role.agency if role else ""
    user.is_staff = bool(role and role.is_staff)
    user.save(update_fields=["agency", "is_staff"])
    user._provide_role = role  # type: ignore[attr-defined]


# --- reads ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserFilters:
    """The user list's filters: text in the username, name or email; a role's slug (or
    :data:`NO_ROLE`); a BCU (an ``areas.Area``); ``"active"`` or ``"inactive"``; only users
    with a request waiting."""

    text: str = ""
    role: str = ""
    bcu: Any = None
    status: str = ""
    pending_request: bool = False


def user_list_for(*, actor: User, filters: UserFilters = UserFilters()) -> QuerySet[User]:
    """Users for the administrator's list, with their groups and BCU loaded and
    ``pending_requests`` counted (a fixed number of queries, whatever the number of users)."""
    if not can_manage_users(actor):
        return User.objects.none()
    users = (
        User.objects.select_related("bcu")
        .prefetch_related("groups")
        .annotate(
            pending_requests=Count(
                "health_role_requests",
                filter=Q(health_role_requests__status=HealthRoleGrantRequest.Status.PENDING),
            )
        )
    )
    text = filters.text.strip()
    if text:
        users = users.filter(
            Q(username__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(email__icontains=text)
        )
    if filters.role == NO_ROLE:
        users = users.exclude(groups__name__in=list(ROLES_BY_NAME))
    elif filters.role:
        users = users.filter(groups__name=next(r.name for r in ALL_ROLES if r.slug == filters.role))
    if filters.bcu is not None:
        users = users.filter(bcu=filters.bcu)
    if filters.status in ("active", "inactive"):
        users = users.filter(is_active=filters.status == "active")
    if filters.pending_request:
        users = users.filter(pending_requests__gt=0)
    return users.order_by("username")


def user_get_for(*, actor: User, user_id: uuid.UUID | str) -> User:
    """One user by public id for the administrator; :class:`RecordNotFound` otherwise."""
    if not can_manage_users(actor):
        raise RecordNotFound
    try:
        return User.objects.select_related("bcu").get(public_id=user_id)
    except (User.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None


def locked_usernames(*, actor: User) -> frozenset[str]:
    """The usernames locked out of password sign-in now (for the list's "Locked" tag)."""
    if not can_manage_users(actor):
        return frozenset()
    return frozenset(
        lock.value for lock in lockout.sign_in_lockouts(user=actor) if lock.kind == lockout.ACCOUNT
    )


# --- writes -----------------------------------------------------------------------------


def user_add(
    *,
    actor: User,
    username: str,
    role: Role | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    bcu: Any = None,
    password: str | None = None,
) -> User:
    """Create a user with a role the administrator may give (never a health role), audited as
    ``accounts.user_created`` (by :func:`provide.accounts.services.user_create`)."""
    _require(actor)
    if role is not None and role.is_health:
        raise UserManagementError(HEALTH_ROLE_NEEDS_APPROVAL)
    _check_bcu(role, bcu)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise UserManagementError(USERNAME_TAKEN.format(username=username))
    return user_create(
        username=username,
        password=password or None,
        role=role,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        bcu=bcu,
        actor=actor,
    )


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    role: Role | None,
    bcu: Any,
) -> User:
    """Change a user's name, email, role and BCU; audited as ``accounts.user_updated`` with the
    fields that changed (old and new). A health role can be taken away here but not given:
    ``role`` may be a health role only when the user holds it already."""
    _require(actor)
    user = User.objects.select_for_update(of=("self",)).select_related("bcu").get(pk=user.pk)
    current = role_of(user)
    if role != current:
        if role is not None and role.is_health:
            raise UserManagementError(HEALTH_ROLE_NEEDS_APPROVAL)
        if user.pk == actor.pk:
            raise UserManagementError(NOT_YOUR_OWN_ROLE)
    _check_bcu(role, bcu)
    before = user_snapshot(user)
    user.first_name, user.last_name, user.email = (
        first_name.strip(),
        last_name.strip(),
        email.strip(),
    )
    user.bcu = bcu
    user.save(update_fields=["first_name", "last_name", "email", "bcu"])
    if role != current:
        apply_role(user, role)
    changes = changed_fields(before, user_snapshot(user))
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            event="accounts.user_updated",
            subject=user,
            changes=changes,
        )
    return user


def _set_active(actor: User, users: list[User], active: bool) -> list[User]:
    changed = []
    for user in users:
        if user.is_active == active:
            continue
        user.is_active = active
        user.save(update_fields=["is_active"])  # post_save: a deactivation revokes API tokens
        changed.append(user)
    audit_record_many(
        actor=actor,
        action=AuditAction.UPDATE,
        event="accounts.user_reactivated" if active else "accounts.user_deactivated",
        subjects=changed,
        changes=[{"is_active": [not active, active]} for _ in changed],
    )
    return changed


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> bool:
    """Deactivate (or reactivate) one user; audited. Returns whether anything changed."""
    _require(actor)
    if not active and user.pk == actor.pk:
        raise UserManagementError(NOT_YOURSELF)
    user = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    return bool(_set_active(actor, [user], active))


@transaction.atomic
def users_deactivate(*, actor: User, user_ids: Iterable[uuid.UUID | str]) -> list[User]:
    """Deactivate several users at once (the list's bulk action); one audit event each.
    The administrator's own account is refused; users already inactive are left as they are."""
    _require(actor)
    ids = {str(user_id) for user_id in user_ids}
    if not ids:
        raise UserManagementError(NONE_CHOSEN)
    users = list(
        User.objects.select_for_update(of=("self",)).filter(public_id__in=ids).order_by("pk")
    )
    if len(users) != len(ids):
        raise RecordNotFound
    if any(user.pk == actor.pk for user in users):
        raise UserManagementError(NOT_YOURSELF)
    return _set_active(actor, users, False)


def user_second_factor_reset(*, actor: User, user: User) -> int:
    """Remove the user's second factors (:func:`provide.accounts.mfa.second_factor_reset`,
    which audits it as ``accounts.second_factor_reset``). Returns how many were removed."""
    _require(actor)
    return mfa.second_factor_reset(actor=actor, user=user)


def user_sign_in_unlock(*, actor: User, user: User) -> int:
    """Clear the user's failed sign-ins (:func:`provide.accounts.lockout.sign_in_unlock`,
    which audits it as ``accounts.sign_in_unlocked``). Returns how many records were cleared."""
    _require(actor)
    return lockout.sign_in_unlock(actor=actor, username=user.username)
