"""Reads of the health-side record. Police roles are refused here whatever their groups say."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from provide.accounts.policies import bcu_scope, can_view_health_record
from provide.health.models import SupportRecord
from provide.people.models import Person


def support_record_list_for(
    *, user: Any, since: dt.datetime | None = None, person: Person | None = None
) -> QuerySet[SupportRecord]:
    if not can_view_health_record(user):
        return SupportRecord.objects.none()
    records = SupportRecord.objects.select_related("victim", "bcu")
    bcu = bcu_scope(user)
    if bcu is not None:
        records = records.filter(bcu=bcu)
    if since is not None:
        records = records.filter(idva_visit_at__gte=since)
    if person is not None:
        records = records.filter(victim=person)
    return records.order_by("-idva_visit_at")


def tracker_summary_for(*, user: Any, since: dt.datetime) -> dict[str, int]:
    records = support_record_list_for(user=user, since=since)
    return records.aggregate(
        rows=Count("id"),
        offered=Count("id", filter=Q(idva_support_offered=True)),
        accepted=Count("id", filter=Q(idva_support_accepted=True)),
        known=Count("id", filter=Q(idva_support_accepted__isnull=False)),
        prosecution_accepted=Count("id", filter=Q(prosecution_support_accepted=True)),
        prosecution_known=Count("id", filter=Q(prosecution_support_accepted__isnull=False)),
    )
