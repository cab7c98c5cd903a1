"""What each role sees on its home page: one context builder per role."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils import timezone

from provide.accounts.models import User
from provide.areas.models import Area
from provide.core.safeguarding.marac import next_meeting_on
from provide.health.policies import can_export_tracker, can_import_tracker
from provide.health.selectors import support_record_list_for, tracker_summary_for
from provide.intake.models import Investigation
from provide.intake.selectors import (
    custody_now_for,
    investigation_list_for,
    investigation_risk_counts_for,
)
from provide.planning.selectors import shift_list_for
from provide.safeguarding import selectors as safeguarding
from provide.triage.queues import stale_cases_for
from provide.triage.selectors import BoardUnavailable, triage_board_for
from provide.visits.selectors import consultation_list_for, visit_list_for, visit_worklist_for

HomeContext = Callable[[User, dt.datetime], dict[str, Any]]


def _percent(numerator: int, denominator: int) -> str:
    return f"{100 * numerator / denominator:.1f}%" if denominator else "–"


def response_officer(user: User, now: dt.datetime) -> dict[str, Any]:
    since = now - dt.timedelta(hours=24)
    return {
        "recent": list(investigation_list_for(user=user, since=since)[:15]),
        "recent_count": investigation_list_for(user=user, since=since).count(),
    }


def triage_sergeant(user: User, now: dt.datetime) -> dict[str, Any]:
    """A summary of today's triage board (the board itself is at triage:board)."""
    since = now - dt.timedelta(hours=24)
    counts = investigation_risk_counts_for(user=user, since=since)
    try:
        board = triage_board_for(user=user, audit=False)
    except (BoardUnavailable, PermissionDenied):
        board = None
    return {
        "risk_counts": [(grade, counts.get(grade, 0)) for grade in ("high", "medium", "standard")],
        "recent_count": sum(counts.values()),
        "board": board,
        "next_cases": [row for row in board.eligible_rows if row.decision is None][:5]
        if board
        else [],
        "stale": stale_cases_for(user=user, as_of=now),
        "in_custody": list(custody_now_for(user=user, as_of=now)[:15]),
    }


def joint_team(user: User, now: dt.datetime) -> dict[str, Any]:
    local_today = timezone.localdate(now)
    return {
        "shifts": list(shift_list_for(user=user, on_date=local_today)),
        "recent_visits": list(visit_list_for(user=user, since=now - dt.timedelta(days=7))[:15]),
        "to_record": visit_worklist_for(user=user, as_of=now)["open"][:10],
    }


def health_idva(user: User, now: dt.datetime) -> dict[str, Any]:
    context = joint_team(user, now)
    context["support_records"] = list(
        support_record_list_for(user=user, since=now - dt.timedelta(days=7))[:15]
    )
    context["consultations"] = list(consultation_list_for(user=user)[:5])
    return context


def idva_manager(user: User, now: dt.datetime) -> dict[str, Any]:
    since = now - dt.timedelta(days=30)
    summary = tracker_summary_for(user=user, since=since)
    return {
        "can_import": can_import_tracker(user),
        "can_export": can_export_tracker(user),
        "summary": summary,
        "acceptance": _percent(summary["accepted"], summary["known"]),
        "prosecution_acceptance": _percent(
            summary["prosecution_accepted"], summary["prosecution_known"]
        ),
        "by_idva": Counter(
            support_record_list_for(user=user, since=since).values_list("idva_name", flat=True)
        ).most_common(10),
    }


def safeguarding_officer(user: User, now: dt.datetime) -> dict[str, Any]:
    today = timezone.localdate(now)
    referrals = safeguarding.referral_list_for(user=user)
    overdue = safeguarding.referral_overdue_list_for(user=user, today=today)
    next_meeting = next_meeting_on(today)
    teams: dict[Any, list[Any]] = {}
    for task in safeguarding.handover_list_for(user=user)[:30]:
        teams.setdefault(task.team, []).append(task)
    return {
        "today": today,
        "referrals": list(referrals[:20]),
        "referral_count": referrals.count(),
        "overdue": list(overdue[:20]),
        "overdue_count": overdue.count(),
        "next_meeting_on": next_meeting,
        "marac_cases": list(safeguarding.marac_agenda_for(user=user, meeting_on=next_meeting)),
        "measure_alerts": safeguarding.measure_alerts_for(user=user, as_of=now),
        "handover_teams": list(teams.items()),
    }


def analyst(user: User, now: dt.datetime) -> dict[str, Any]:
    """Counts only: an analyst never sees a name."""
    since = now - dt.timedelta(days=90)
    rows = (
        Investigation.objects.filter(recorded_at__gte=since)
        .values("bcu__name", "risk_grade")
        .annotate(n=Count("id"))
        .order_by("bcu__name", "risk_grade")
    )
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row["bcu__name"], {})[row["risk_grade"] or "unknown"] = row["n"]
    return {"by_bcu": sorted(table.items())}


def administrator(user: User, now: dt.datetime) -> dict[str, Any]:
    return {
        "groups": Group.objects.annotate(members=Count("user")).order_by("name"),
        "bcus": Area.objects.filter(kind=Area.Kind.BCU).order_by("name"),
    }


HOMES: dict[str, tuple[str, HomeContext]] = {
    "response_officer": ("web/home_response_officer.html", response_officer),
    "triage_sergeant": ("web/home_triage_sergeant.html", triage_sergeant),
    "joint_team_officer": ("web/home_joint_team.html", joint_team),
    "health_idva": ("web/home_health_idva.html", health_idva),
    "idva_manager": ("web/home_idva_manager.html", idva_manager),
    "safeguarding_officer": ("web/home_safeguarding.html", safeguarding_officer),
    "analyst": ("web/home_analyst.html", analyst),
    "administrator": ("web/home_administrator.html", administrator),
}
