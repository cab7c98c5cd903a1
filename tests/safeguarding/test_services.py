"""Referral lifecycle, consent and audit, MARAC listing, actions, measures and hand-over."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from provide.audit.models import AuditEvent
from provide.core.safeguarding.lifecycle import NEEDS_LAWFUL_BASIS, NEEDS_REJECTION_REASON
from provide.core.safeguarding.marac import next_meeting_on
from provide.safeguarding import services
from provide.safeguarding.models import HandoverTask, MaracCase, ProtectiveMeasure, Referral

pytestmark = pytest.mark.django_db
BASIS = "Meets the MARAC threshold; DPA 2018 Sch 1 para 18 safeguarding of individuals at risk"


def _referral(user: Any, case: dict[str, Any], **overrides: Any) -> Referral:
    values: dict[str, Any] = {"target": "housing", "consent": "given", "reasons": "Needs a move"}
    values.update(overrides)
    return services.referral_create(user=user, victim=case["victim"], visit=case["visit"], **values)


def test_referral_goes_draft_sent_accepted_done(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    # Given an IDVA's draft referral from the visit
    referral = _referral(personas["health_idva"], west_case)
    assert referral.status == "draft" and referral.investigation == west_case["investigation"]
    # When the IDVA sends it and the safeguarding officer accepts and closes it
    sent_at = timezone.now()
    services.referral_send(user=personas["health_idva"], referral=referral, as_of=sent_at)
    officer = personas["safeguarding_officer"]
    services.referral_accept(user=officer, referral=referral)
    services.referral_complete(user=officer, referral=referral, outcome="Rehoused")
    # Then each step is stored, with a due date a week after sending
    referral.refresh_from_db()
    assert referral.status == "done" and referral.outcome == "Rehoused"
    assert referral.due_on == timezone.localdate(sent_at) + dt.timedelta(days=7)
    events = list(
        AuditEvent.objects.filter(object_id=str(referral.public_id)).values_list("event", flat=True)
    )
    assert {
        "safeguarding.referral_created",
        "safeguarding.referral_sent",
        "safeguarding.referral_accepted",
        "safeguarding.referral_done",
    } <= set(events)


def test_skipping_a_step_is_refused(personas: dict[str, Any], west_case: dict[str, Any]) -> None:
    referral = _referral(personas["safeguarding_officer"], west_case)
    with pytest.raises(
        services.SafeguardingError, match="A draft referral cannot be marked accepted"
    ):
        services.referral_accept(user=personas["safeguarding_officer"], referral=referral)


def test_rejection_needs_and_keeps_its_reason(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    officer = personas["safeguarding_officer"]
    referral = services.referral_send(user=officer, referral=_referral(officer, west_case))
    with pytest.raises(services.SafeguardingError, match=NEEDS_REJECTION_REASON):
        services.referral_reject(user=officer, referral=referral, reason=" ")
    services.referral_reject(
        user=officer, referral=referral, reason="Victim lives outside our area"
    )
    referral.refresh_from_db()
    assert (
        referral.status == "rejected"
        and referral.rejection_reason == "Victim lives outside our area"
    )


def test_sharing_without_consent_needs_the_basis_and_is_flagged(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    idva = personas["health_idva"]
    with pytest.raises(services.SafeguardingError, match=re.escape(NEEDS_LAWFUL_BASIS)):
        _referral(idva, west_case, consent="refused", lawful_basis="MARAC")
    referral = _referral(idva, west_case, consent="refused", lawful_basis=BASIS)
    services.referral_send(user=idva, referral=referral)
    event = AuditEvent.objects.get(event="safeguarding.referral_shared_without_consent")
    assert (
        event.flagged and event.reason == BASIS and event.person_id == west_case["victim"].public_id
    )


def test_consented_sending_is_not_flagged(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    idva = personas["health_idva"]
    services.referral_send(user=idva, referral=_referral(idva, west_case))
    assert not AuditEvent.objects.get(event="safeguarding.referral_sent").flagged


def test_only_the_safeguarding_team_decides(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    idva = personas["health_idva"]
    referral = services.referral_send(user=idva, referral=_referral(idva, west_case))
    with pytest.raises(services.SafeguardingNotAllowed):
        services.referral_accept(user=idva, referral=referral)
    with pytest.raises(services.SafeguardingNotAllowed):
        _referral(personas["analyst"], west_case)


def test_only_the_idva_can_put_health_side_information_on_a_referral(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    with pytest.raises(services.SafeguardingNotAllowed):
        _referral(personas["joint_team_officer"], west_case, idva_shared_summary="anything")
    referral = _referral(
        personas["health_idva"], west_case, idva_shared_summary="Agreed: pregnant, 20 weeks"
    )
    assert referral.idva_shared_summary == "Agreed: pregnant, 20 weeks"


def test_a_marac_referral_needs_reasons(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    with pytest.raises(services.SafeguardingError, match=services.NEEDS_MARAC_REASONS):
        _referral(personas["health_idva"], west_case, target="marac", reasons="")


def test_accepting_a_marac_referral_lists_it_on_the_next_meeting(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    officer = personas["safeguarding_officer"]
    referral = _referral(
        personas["health_idva"], west_case, target="marac", reasons="Threats to kill"
    )
    services.referral_send(user=personas["health_idva"], referral=referral)
    now = timezone.now()
    services.referral_accept(user=officer, referral=referral, as_of=now)
    case = MaracCase.objects.get(referral=referral)
    assert case.meeting_on == next_meeting_on(timezone.localdate(now))
    assert case.criterion == "professional_judgement" and "Threats to kill" in case.evidence
    assert not case.is_repeat


def test_a_repeat_within_twelve_months_is_flagged_automatically(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    officer = personas["safeguarding_officer"]
    victim = west_case["victim"]
    MaracCase.objects.create(
        victim=victim,
        criterion="visible_high_risk",
        meeting_on=timezone.localdate() - dt.timedelta(days=90),
    )
    case = services.marac_case_list(
        user=officer, victim=victim, meeting_on=timezone.localdate() + dt.timedelta(days=1)
    )
    assert case.is_repeat and case.criterion == "repeat"
    assert "heard at MARAC on" in case.evidence


def test_listing_needs_a_criterion_and_no_duplicate(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    officer = personas["safeguarding_officer"]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(services.SafeguardingError, match="meets none of the four MARAC criteria"):
        services.marac_case_list(user=officer, victim=west_case["victim"], meeting_on=tomorrow)
    MaracCase.objects.create(victim=west_case["victim"], criterion="repeat", meeting_on=tomorrow)
    with pytest.raises(services.SafeguardingError, match=services.ALREADY_LISTED):
        services.marac_case_list(user=officer, victim=west_case["victim"], meeting_on=tomorrow)


def test_actions_are_recorded_and_done_once(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    officer = personas["safeguarding_officer"]
    case = MaracCase.objects.create(
        victim=west_case["victim"], criterion="repeat", meeting_on=timezone.localdate()
    )
    with pytest.raises(services.SafeguardingError, match=services.NEEDS_AGENCY):
        services.marac_action_add(user=officer, case=case, agency=" ", action="Fit alarm")
    action = services.marac_action_add(
        user=officer, case=case, agency="Police", action="Fit alarm", owner="PC Hale"
    )
    services.marac_action_done(user=officer, action=action)
    action.refresh_from_db()
    assert action.done_at is not None and action.done_by == officer
    with pytest.raises(services.SafeguardingError, match=services.ACTION_ALREADY_DONE):
        services.marac_action_done(user=officer, action=action)
    services.marac_minutes_save(user=officer, case=case, minutes="Agreed: alarm, housing move")
    case.refresh_from_db()
    assert case.minutes == "Agreed: alarm, housing move"
    with pytest.raises(services.SafeguardingNotAllowed):
        services.marac_action_add(user=personas["health_idva"], case=case, agency="x", action="y")


def test_a_dvpo_replaces_its_dvpn_and_gets_its_expiry(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    officer = personas["safeguarding_officer"]
    served = timezone.now() - dt.timedelta(hours=20)
    dvpn = services.measure_record(
        user=officer, victim=west_case["victim"], kind="dvpn", issued_at=served
    )
    assert dvpn.expires_at == served + dt.timedelta(hours=48)
    with pytest.raises(services.SafeguardingError, match="14 to 28 days"):
        services.measure_record(
            user=officer, victim=west_case["victim"], kind="dvpo", issued_at=served, dvpo_days=40
        )
    made = timezone.now()
    dvpo = services.measure_record(
        user=officer,
        victim=west_case["victim"],
        kind="dvpo",
        issued_at=made,
        dvpo_days=28,
        follows=dvpn,
    )
    dvpn.refresh_from_db()
    assert dvpn.status == ProtectiveMeasure.Status.ENDED and dvpo.expires_at == made + dt.timedelta(
        days=28
    )


def test_hand_over_creates_a_team_task_and_tracks_status(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    task = services.handover_create(
        user=personas["joint_team_officer"],
        victim=west_case["victim"],
        team=west_case["investigation"].bcu,
        title="Statement follow-up",
        visit=west_case["visit"],
    )
    assert task.investigation == west_case["investigation"]
    with pytest.raises(services.SafeguardingNotAllowed):
        services.handover_set_status(user=personas["joint_team_officer"], task=task, status="done")
    services.handover_set_status(user=personas["safeguarding_officer"], task=task, status="done")
    task.refresh_from_db()
    assert task.status == HandoverTask.Status.DONE and task.done_at is not None
