"""Who may do what with the health-side record: health roles only, whatever a group holds."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from provide.accounts.models import User
from provide.accounts.policies import can_view_health_record


def can_edit_health_record(user: User | AnonymousUser) -> bool:
    return can_view_health_record(user) and bool(user.has_perm("health.change_supportrecord"))


def can_import_tracker(user: User | AnonymousUser) -> bool:
    return can_view_health_record(user) and bool(user.has_perm("health.import_tracker"))


def can_export_tracker(user: User | AnonymousUser) -> bool:
    return can_view_health_record(user) and bool(user.has_perm("health.export_tracker"))


def can_import_appointments(user: User | AnonymousUser) -> bool:
    return can_view_health_record(user) and bool(user.has_perm("health.add_healthappointment"))
