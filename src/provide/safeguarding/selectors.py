"""Access-checked reads of referrals, the daily MARAC list, protective measures and hand-overs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from provide.accounts.models import User
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.cases.selectors import victim_history
from provide.core.safeguarding.marac import (
    Assessment,
    MaracDecision,
    Rules,
    VictimFacts,
    evaluate_marac,
)
from provide.core.safeguarding.measures import Alert, Kind, measure_alert
from provide.intake.models import Investigation, RiskAssessment
from provide.people.models import Person
from provide.safeguarding.models import (
    HandoverTask,
    MaracAction,
    MaracCase,
    MaracPolicy,
    ProtectiveMeasure,
    Referral,
)
from provide.safeguarding.policies import (
    can_run_marac,
    can_view_handover,
    can_view_idva_summary,
    can_view_measures,
    can_view_referrals,
)
from provide.shared.access import RecordNotFound, bcu_scope

OPEN_STATUSES = (Referral.Status.SENT, Referral.Status.ACCEPTED)


def _in_user_area(user: User, victim_field: str = "victim") -> Q:
    """Records about victims with an investigation in the user's BCU (all, for force-wide roles)."""
    bcu = bcu_scope(user)
    if bcu is None:
        return Q()
    return Q(Exists(Investigation.objects.filter(victim=OuterRef(victim_field), bcu=bcu)))


def referral_list_for(
    *, user: User, open_only: bool = True, victim: Person | None = None
) -> QuerySet[Referral]:
    if not can_view_referrals(user):
        return Referral.objects.none()
    referrals = Referral.objects.select_related("victim", "service").filter(_in_user_area(user))
    if open_only:
        referrals = referrals.exclude(status__in=[Referral.Status.DONE, Referral.Status.REJECTED])
    if victim is not None:
        referrals = referrals.filter(victim=victim)
    return referrals.order_by("due_on", "-created_at")


def referral_overdue_list_for(*, user: User, today: dt.date) -> QuerySet[Referral]:
    """Referrals still with the service (sent or accepted) after their due date."""
    return referral_list_for(user=user).filter(status__in=OPEN_STATUSES, due_on__lt=today)


def referral_get_for(*, user: User, referral_id: Any, audit: bool = True) -> Referral:
    try:
        referral = (
            referral_list_for(user=user, open_only=False)
            .select_related("investigation", "investigation__suspect", "visit", "created_by")
            .get(public_id=referral_id)
        )
    except (Referral.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None
    if audit:
        audit_record(
            actor=user,
            action=AuditAction.VIEW,
            event="safeguarding.referral_viewed",
            subject=referral,
        )
    return referral


def idva_summary_for(*, user: User, referral: Referral) -> str:
    """What the IDVA shared on ``referral``, for the users the health-side wall lets see it
    (:func:`~provide.safeguarding.policies.can_view_idva_summary`); empty for everyone else.
    Every surface that shows the summary (the referral page, its PDF) reads it here."""
    return referral.idva_shared_summary if can_view_idva_summary(user, referral) else ""


# --- the daily MARAC -------------------------------------------------------------------


def marac_rules() -> tuple[Rules, int]:
    """The local thresholds (admin-editable :class:`MaracPolicy`, newest row) and look-back days."""
    policy = MaracPolicy.objects.order_by("-created_at").first()
    if policy is None:
        return Rules(), 7
    return (
        Rules(
            escalation_events=policy.escalation_events,
            escalation_window_days=policy.escalation_window_days,
        ),
        policy.lookback_days,
    )


def da_event_summary_for(
    *, victim_ids: list[int], as_of: dt.datetime, window_days: int
) -> dict[int, tuple[int, dt.date, dt.date]]:
    """DA events per victim in the ``window_days`` up to ``as_of``: (count, first, latest) as
    local dates, read from the one owner of victim history
    (:func:`provide.cases.selectors.victim_history`). Victims with none are absent."""
    history = victim_history(victim_ids, as_of, days=window_days)
    return {
        victim_id: (
            record.da_events,
            timezone.localdate(record.first_event_at),
            timezone.localdate(record.latest_event_at),
        )
        for victim_id, record in history.items()
        if record.da_events and record.first_event_at and record.latest_event_at
    }


@dataclass(frozen=True)
class MaracCandidate:
    victim: Person
    decision: MaracDecision
    referral: Referral | None


def marac_candidates_for(
    *, user: User, meeting_on: dt.date, as_of: dt.datetime
) -> list[MaracCandidate]:
    """Victims meeting any of the four criteria and not yet on ``meeting_on``'s agenda.

    Considers victims with a DA event in the policy's look-back and victims with a MARAC
    referral waiting (sent or accepted). A fixed number of queries, whatever the number of
    victims.
    """
    if not can_run_marac(user):
        return []
    rules, lookback_days = marac_rules()
    since = as_of - dt.timedelta(days=lookback_days)
    area = _in_user_area(user, "pk")
    waiting = list(
        Referral.objects.filter(target="marac", status__in=OPEN_STATUSES)
        .order_by("sent_at")
        .values_list("victim_id", "pk", "reasons")
    )
    recent_ids = set(
        Investigation.objects.filter(recorded_at__gt=since, recorded_at__lte=as_of).values_list(
            "victim_id", flat=True
        )
    )
    ids = recent_ids | {victim_id for victim_id, _, _ in waiting}
    listed = set(
        MaracCase.objects.filter(meeting_on=meeting_on, victim_id__in=ids).values_list(
            "victim_id", flat=True
        )
    )
    ids -= listed
    people = {p.pk: p for p in Person.objects.filter(area, pk__in=ids)}
    ids = set(people)
    events = da_event_summary_for(
        victim_ids=list(ids), as_of=as_of, window_days=rules.escalation_window_days
    )
    assessments: dict[int, list[Assessment]] = {}
    for victim_id, tool, yes, assessed_at, ref in RiskAssessment.objects.filter(
        victim_id__in=ids,
        assessed_at__gt=since,
        assessed_at__lte=as_of,
        tool__in=("DASH", "RIC"),
    ).values_list(
        "victim_id", "tool", "yes_count", "assessed_at", "investigation__investigation_ref"
    ):
        assessments.setdefault(victim_id, []).append(
            Assessment(tool, yes, timezone.localdate(assessed_at), ref)
        )
    last_marac = dict(
        MaracCase.objects.filter(victim_id__in=ids, meeting_on__lt=meeting_on)
        .values("victim_id")
        .annotate(last=Max("meeting_on"))
        .values_list("victim_id", "last")
    )
    reasons: dict[int, list[str]] = {}
    referral_ids: dict[int, int] = {}
    for victim_id, referral_pk, text in waiting:
        reasons.setdefault(victim_id, []).append(text)
        referral_ids.setdefault(victim_id, referral_pk)
    referrals = Referral.objects.in_bulk(list(referral_ids.values()))
    today = timezone.localdate(as_of)
    candidates = []
    for victim_id, person in people.items():
        count, first, latest = events.get(victim_id, (0, None, None))
        facts = VictimFacts(
            victim_key=str(person.public_id),
            events_in_window=count,
            latest_event_on=latest,
            first_event_on=first,
            assessments=tuple(assessments.get(victim_id, ())),
            judgement_reasons=tuple(reasons.get(victim_id, ())),
            last_marac_on=last_marac.get(victim_id),
        )
        decision = evaluate_marac(facts, as_of=today, rules=rules)
        if decision.meets_any:
            referral = referrals.get(referral_ids[victim_id]) if victim_id in referral_ids else None
            candidates.append(MaracCandidate(person, decision, referral))
    return sorted(
        candidates, key=lambda c: (c.decision.main.value if c.decision.main else "", str(c.victim))
    )


def marac_decision_for(
    *, victim: Person, meeting_on: dt.date, as_of: dt.datetime, extra_reasons: tuple[str, ...] = ()
) -> MaracDecision:
    """The four criteria for one victim (used when listing a case)."""
    rules, lookback_days = marac_rules()
    since = as_of - dt.timedelta(days=lookback_days)
    count, first, latest = da_event_summary_for(
        victim_ids=[victim.pk], as_of=as_of, window_days=rules.escalation_window_days
    ).get(victim.pk, (0, None, None))
    assessments = tuple(
        Assessment(tool, yes, timezone.localdate(at), ref)
        for tool, yes, at, ref in RiskAssessment.objects.filter(
            victim=victim,
            assessed_at__gt=since,
            assessed_at__lte=as_of,
            tool__in=("DASH", "RIC"),
        ).values_list("tool", "yes_count", "assessed_at", "investigation__investigation_ref")
    )
    last = MaracCase.objects.filter(victim=victim, meeting_on__lt=meeting_on).aggregate(
        m=Max("meeting_on")
    )["m"]
    facts = VictimFacts(
        str(victim.public_id), count, latest, first, assessments, extra_reasons, last
    )
    return evaluate_marac(facts, as_of=timezone.localdate(as_of), rules=rules)


def marac_agenda_for(*, user: User, meeting_on: dt.date) -> QuerySet[MaracCase]:
    if not can_run_marac(user):
        return MaracCase.objects.none()
    return (
        MaracCase.objects.filter(_in_user_area(user), meeting_on=meeting_on)
        .select_related("victim", "referral")
        .annotate(
            action_count=Count("actions"),
            open_action_count=Count("actions", filter=Q(actions__done_at__isnull=True)),
        )
        .order_by("victim__family_name", "victim__given_name", "id")
    )


def marac_case_list_for(*, user: User, from_date: dt.date) -> QuerySet[MaracCase]:
    if not user.has_perm("safeguarding.view_maraccase"):
        return MaracCase.objects.none()
    return (
        MaracCase.objects.select_related("victim")
        .filter(_in_user_area(user), meeting_on__gte=from_date)
        .order_by("meeting_on")
    )


def marac_case_get_for(*, user: User, case_id: Any) -> MaracCase:
    if not can_run_marac(user):
        raise RecordNotFound
    try:
        case = (
            MaracCase.objects.select_related("victim", "referral")
            .filter(_in_user_area(user))
            .get(public_id=case_id)
        )
    except (MaracCase.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None
    audit_record(
        actor=user, action=AuditAction.VIEW, event="safeguarding.marac_case_viewed", subject=case
    )
    return case


def marac_action_get_for(*, user: User, action_id: Any) -> MaracAction:
    if not can_run_marac(user):
        raise RecordNotFound
    try:
        return MaracAction.objects.select_related("case", "case__victim").get(public_id=action_id)
    except (MaracAction.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None


# --- protective measures and hand-overs -------------------------------------------------


@dataclass(frozen=True)
class MeasureAlert:
    measure: ProtectiveMeasure
    alert: Alert


def measure_list_for(*, user: User, active_only: bool = True) -> QuerySet[ProtectiveMeasure]:
    if not can_view_measures(user):
        return ProtectiveMeasure.objects.none()
    measures = ProtectiveMeasure.objects.select_related("victim", "investigation").filter(
        _in_user_area(user)
    )
    if active_only:
        measures = measures.filter(status=ProtectiveMeasure.Status.ACTIVE)
    return measures.order_by("expires_at")


def measure_alerts_for(*, user: User, as_of: dt.datetime) -> list[MeasureAlert]:
    """Active measures that have passed, or are near, their expiry or deadline."""
    alerts = []
    for measure in measure_list_for(user=user).filter(expires_at__lte=as_of + dt.timedelta(days=7)):
        alert = measure_alert(Kind(measure.kind), measure.expires_at, as_of=as_of)
        if alert is not None:
            alerts.append(MeasureAlert(measure, alert))
    return alerts


def measure_get_for(*, user: User, measure_id: Any) -> ProtectiveMeasure:
    try:
        return measure_list_for(user=user, active_only=False).get(public_id=measure_id)
    except (ProtectiveMeasure.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None


def handover_list_for(
    *, user: User, team: Any = None, open_only: bool = True
) -> QuerySet[HandoverTask]:
    if not can_view_handover(user):
        return HandoverTask.objects.none()
    tasks = HandoverTask.objects.select_related("victim", "team", "investigation")
    bcu = bcu_scope(user)
    if bcu is not None:
        tasks = tasks.filter(team=bcu)
    if team is not None:
        tasks = tasks.filter(team=team)
    if open_only:
        tasks = tasks.exclude(status=HandoverTask.Status.DONE)
    return tasks.order_by("team__name", "due_on", "created_at")


def handover_get_for(*, user: User, task_id: Any) -> HandoverTask:
    try:
        return handover_list_for(user=user, open_only=False).get(public_id=task_id)
    except (HandoverTask.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None
