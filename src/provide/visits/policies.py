"""Who may see and change which part of a visit.

The shared joint record is for the joint team (police and health); the police-side record
for police roles only; the health-side record (:mod:`provide.health.policies`) for health
roles only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from provide.accounts.models import User
from provide.accounts.policies import is_health_role, is_police_role


def can_start_visit(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm("visits.add_visit"))


def can_edit_visit(user: User | AnonymousUser) -> bool:
    """The shared fields (arrival, contact result, place, suspect present, referrals)."""
    return bool(
        user.is_authenticated
        and (is_police_role(user) or is_health_role(user))
        and user.has_perm("visits.change_visit")
    )


def can_view_police_record(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated
        and is_police_role(user)
        and user.has_perm("visits.view_policevisitrecord")
    )


def can_edit_police_record(user: User | AnonymousUser) -> bool:
    return can_view_police_record(user) and bool(user.has_perm("visits.change_policevisitrecord"))


def can_log_consultation(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated and is_police_role(user) and user.has_perm("visits.add_consultation")
    )


def can_view_consultations(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm("visits.view_consultation"))


def can_advise_on_consultation(user: User | AnonymousUser, consultation: Any) -> bool:
    """An IDVA adds or corrects the advice on a consultation addressed to them (or to no one)."""
    return bool(
        user.is_authenticated
        and is_health_role(user)
        and user.has_perm("visits.change_consultation")
        and consultation.idva_id in (None, user.pk)
    )
