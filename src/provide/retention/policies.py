"""Who may do what with retention, by role (each side belongs to its own controller).

* The **administrator** (police) sees the police side of the schedule, places police holds and
  answers subject-access requests with the police side only.
* The **IDVA manager** (NHS trust) does the same for the health side only. This is one of the
  walls around the health side: the administrator's pages and exports never show a health-side
  record or a count of them (the people whose identity goes next is one number for both sides).
* The **analyst** downloads the pseudonymised extract (the ``people.view_pseudonymised``
  permission, which only the analyst's role holds).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from provide.accounts.models import User
from provide.accounts.policies import can_view_health_record
from provide.accounts.roles import ADMINISTRATOR, IDVA_MANAGER
from provide.accounts.services import role_of
from provide.retention.models import Side

EXTRACT_PERMISSION = "people.view_pseudonymised"


class RetentionNotAllowed(Exception):
    """The user's role may not do this."""


def retention_side_of(user: User | AnonymousUser) -> str | None:
    """The side whose retention ``user`` manages: police, health, or None."""
    role = role_of(user)
    if role is None:
        return None
    if role.slug == ADMINISTRATOR.slug:
        return Side.POLICE
    if role.slug == IDVA_MANAGER.slug and can_view_health_record(user):
        return Side.HEALTH
    return None


def can_manage_retention(user: User | AnonymousUser, side: str) -> bool:
    return retention_side_of(user) == side


def can_download_extract(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm(EXTRACT_PERMISSION))
