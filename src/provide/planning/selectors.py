"""Reads of teams, shifts and plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from provide.accounts.policies import bcu_scope
from provide.planning.models import Shift


def shift_list_for(*, user: Any, on_date: dt.date) -> QuerySet[Shift]:
    if not user.has_perm("planning.view_shift"):
        return Shift.objects.none()
    shifts = Shift.objects.select_related("team", "team__base", "team__bcu").filter(on_date=on_date)
    bcu = bcu_scope(user)
    if bcu is not None:
        shifts = shifts.filter(team__bcu=bcu)
    return shifts.order_by("starts_at", "team__name")
