"""Who may do what in triage: small functions over a user's permissions and role."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from provide.accounts.models import User
from provide.accounts.services import role_of

STALE_LIST_ROLES = frozenset({"triage_sergeant", "idva_manager"})
"""Roles that see the stale lists: the sergeant's queue and the IDVA manager's caseload."""


def can_view_board(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated
        and user.has_perm("triage.view_triagedecision")
        and user.has_perm("intake.view_investigation")
    )


def can_decide_triage(user: User | AnonymousUser) -> bool:
    """Only triage sergeants decide (the permission is theirs alone)."""
    return bool(user.is_authenticated and user.has_perm("triage.add_triagedecision"))


def can_view_policy(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm("triage.view_triagepolicy"))


def can_edit_policy(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm("triage.add_triagepolicy"))


def can_view_stale_lists(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.has_perm("intake.view_investigation"):
        return False
    role = role_of(user)
    return user.has_perm("triage.view_triagedecision") or (
        role is not None and role.slug in STALE_LIST_ROLES
    )
