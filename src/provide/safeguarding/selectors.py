"""Reads of referrals and MARAC cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from provide.safeguarding.models import MaracCase, Referral


def referral_list_for(*, user: Any, open_only: bool = True) -> QuerySet[Referral]:
    if not user.has_perm("safeguarding.view_referral"):
        return Referral.objects.none()
    referrals = Referral.objects.select_related("victim")
    if open_only:
        referrals = referrals.exclude(status__in=[Referral.Status.DONE, Referral.Status.REJECTED])
    return referrals.order_by("due_on", "-created_at")


def marac_case_list_for(*, user: Any, from_date: dt.date) -> QuerySet[MaracCase]:
    if not user.has_perm("safeguarding.view_maraccase"):
        return MaracCase.objects.none()
    return MaracCase.objects.select_related("victim").filter(meeting_on__gte=from_date).order_by("meeting_on")
