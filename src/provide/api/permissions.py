from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from provide.accounts.policies import can_view_health_record, can_view_people


class CanViewPeople(BasePermission):
    message = "Your role cannot see people's records."

    def has_permission(self, request: Any, view: Any) -> bool:
        return can_view_people(request.user)


class CanViewInvestigations(BasePermission):
    message = "Your role cannot see investigations."

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user.has_perm("intake.view_investigation"))


class IsHealthRole(BasePermission):
    message = "Health-side records are open to health roles only."

    def has_permission(self, request: Any, view: Any) -> bool:
        return can_view_health_record(request.user)
