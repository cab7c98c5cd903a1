"""Reads of the shared joint visit record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from provide.accounts.policies import bcu_scope
from provide.visits.models import Visit


def visit_list_for(
    *, user: Any, since: dt.datetime | None = None, person: Any = None
) -> QuerySet[Visit]:
    if not user.has_perm("visits.view_visit"):
        return Visit.objects.none()
    visits = Visit.objects.select_related("victim", "shift", "shift__team", "investigation")
    bcu = bcu_scope(user)
    if bcu is not None:
        visits = visits.filter(Q(investigation__bcu=bcu) | Q(shift__team__bcu=bcu))
    if since is not None:
        visits = visits.filter(arrived_at__gte=since)
    if person is not None:
        visits = visits.filter(victim=person)
    return visits.order_by("-arrived_at")
