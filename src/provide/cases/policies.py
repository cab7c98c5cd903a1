"""Who may do what with cases: small functions over a user's permissions."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from provide.accounts.models import User


def can_view_cases(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm("cases.view_case"))


def can_raise_incident(user: User | AnonymousUser) -> bool:
    """Response officers and sergeants raise live incidents (and control-room systems, by token)."""
    return bool(user.is_authenticated and user.has_perm("cases.add_case"))


def can_close_case(user: User | AnonymousUser) -> bool:
    """The triage sergeant and the safeguarding officer close cases, with a reason."""
    return bool(user.is_authenticated and user.has_perm("cases.change_case"))
