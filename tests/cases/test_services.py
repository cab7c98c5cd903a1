"""Every write to a case: opening, decisions, plans, visits (and their corrections), hand-over
and close, each stored on the row, appended to the history and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from provide.audit.models import AuditAction
from provide.cases.models import Case, CaseEvent
from provide.cases.services import (
    EVENT_KINDS,
    CaseTransitionRefused,
    case_attempt_recorded,
    case_check_decidable,
    case_close,
    case_decided,
    case_for,
    case_handed_over,
    case_rebuild,
    cases_open_for,
    cases_planned,
    cases_unplanned,
    clock_start,
    event_from_row,
    event_payload,
    store_case,
    to_core,
)
from provide.core import cases as core
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.visits.models import Visit
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
RULES = core.AttemptRules(retry_after_hours=2.0, escalate_after_attempts=2, target_hours=24.0)


def _investigation(
    areas: dict[str, Any],
    ref: str,
    *,
    grade: str = "medium",
    first_visit: dt.datetime | None = T0 + dt.timedelta(hours=1),
    source: str = Investigation.Source.TYPED,
) -> Investigation:
    victim = Person.objects.create(given_name="Vera", family_name=f"Victim {ref}", synthetic=True)
    return Investigation.objects.create(
        investigation_ref=ref,
        recorded_at=T0,
        first_police_visit_at=first_visit,
        bcu=areas["west"],
        victim=victim,
        risk_grade=grade,
        source=source,
    )


def _without_case(areas: dict[str, Any], ref: str, **fields: Any) -> Investigation:
    """An investigation inserted in bulk (no post_save): it has no case yet, as after an import."""
    victim = Person.objects.create(given_name="Bea", family_name=f"Bulk {ref}", synthetic=True)
    Investigation.objects.bulk_create(
        [
            Investigation(
                investigation_ref=ref, recorded_at=T0, bcu=areas["west"], victim=victim, **fields
            )
        ]
    )
    return Investigation.objects.get(investigation_ref=ref)


def _visit(
    investigation: Investigation | None,
    victim: Person,
    result: str,
    arrived: dt.datetime | None = T0 + dt.timedelta(hours=3),
) -> Visit:
    mode = Visit.Mode.POST_INCIDENT if investigation else Visit.Mode.CONSULTATION
    return Visit.objects.create(
        mode=mode,
        investigation=investigation,
        victim=victim,
        arrived_at=arrived,
        contact_result=result,
    )


def _accepted(
    areas: dict[str, Any], user: Any, ref: str = "WB/S/1", **kwargs: Any
) -> Investigation:
    investigation = _investigation(areas, ref, **kwargs)
    case_decided(
        user=user,
        investigation=investigation,
        decision="joint_visit_post",
        reason="eligible",
        rules=RULES,
        at=T0 + dt.timedelta(hours=2),
    )
    return investigation


def _states(case: Case) -> list[tuple[str, str, str]]:
    return [(e.kind, e.from_state, e.to_state) for e in case.events.order_by("id")]


# --- row <-> core ------------------------------------------------------------------------------


def test_a_stored_case_reads_back_as_the_same_core_case(areas: dict[str, Any]) -> None:
    row = Case.objects.get(investigation=_investigation(areas, "WB/S/RT"))
    full = core.Case(
        state=core.CaseState.ATTEMPTED,
        high_risk=True,
        decision=core.Decision.JOINT_VISIT_LIVE,
        accepted_at=T0,
        clock=core.CaseClock(T0, T0 + dt.timedelta(hours=24), None),
        rules=RULES,
        attempts=2,
        last_attempt_at=T0 + dt.timedelta(hours=5),
        last_attempt_result=core.AttemptResult.NO_CONTACT,
        next_attempt_due_at=T0 + dt.timedelta(hours=7),
        escalated_at=T0 + dt.timedelta(hours=5),
        escalation_reason="2 attempts without seeing the victim",
        seen_at=None,
        handed_over_at=None,
        closed_at=None,
        closed_reason="",
    )
    store_case(row, full)
    row.save()
    row.refresh_from_db()
    assert to_core(row) == full
    assert row.rules == RULES.as_mapping() and row.decision == "joint_visit_live"


def test_storing_an_undecided_case_leaves_the_choice_fields_blank_and_cuts_a_long_reason(
    areas: dict[str, Any],
) -> None:
    row = Case.objects.get(investigation=_investigation(areas, "WB/S/BLANK"))
    store_case(row, core.Case(escalation_reason="x" * 250))
    assert (row.decision, row.last_attempt_result, row.state) == ("", "", "new")
    assert row.escalation_reason == "x" * 200
    assert to_core(row).decision is None and to_core(row).last_attempt_result is None


@pytest.mark.parametrize(
    "event",
    [
        core.Opened(T0, T0 + dt.timedelta(hours=1), True),
        core.Opened(T0, None, False),
        core.Decided(T0, core.Decision.JOINT_VISIT_POST, RULES, T0 + dt.timedelta(hours=1), True),
        core.Decided(T0, core.Decision.NOT_ELIGIBLE, core.AttemptRules(), None, None),
        core.Planned(T0),
        core.Unplanned(T0),
        core.HandedOver(T0),
        core.Attempted(T0, core.AttemptResult.DECLINED),
        core.Closed(T0, "Victim moved out of area"),
    ],
    ids=lambda event: type(event).__name__,
)
def test_an_event_survives_its_history_row(event: core.Event) -> None:
    row = CaseEvent(
        kind=EVENT_KINDS[type(event)], happened_at=event.at, payload=event_payload(event)
    )
    assert event_from_row(row) == event


def test_a_corrected_result_overrides_the_one_in_the_history_row() -> None:
    row = CaseEvent(kind=CaseEvent.Kind.ATTEMPTED, happened_at=T0, payload={"result": "engaged"})
    assert event_from_row(row, result="no_contact") == core.Attempted(
        T0, core.AttemptResult.NO_CONTACT
    )


def test_an_old_closed_row_without_a_payload_takes_its_reason_column() -> None:
    row = CaseEvent(
        kind=CaseEvent.Kind.CLOSED, happened_at=T0, payload={}, reason="Duplicate record"
    )
    assert event_from_row(row) == core.Closed(T0, "Duplicate record")


# --- opening -----------------------------------------------------------------------------------


def test_the_clock_starts_at_the_first_police_visit_or_when_a_live_incident_was_raised(
    areas: dict[str, Any],
) -> None:
    visited = _investigation(areas, "WB/S/V")
    live = _investigation(areas, "WB/S/L", first_visit=None, source=Investigation.Source.LIVE)
    typed = _investigation(areas, "WB/S/T", first_visit=None)
    assert clock_start(visited) == T0 + dt.timedelta(hours=1)
    assert clock_start(live) == T0 == live.recorded_at
    assert clock_start(typed) is None


def test_cases_open_for_opens_each_missing_case_once_with_its_opening_event(
    areas: dict[str, Any],
) -> None:
    high = _without_case(
        areas, "WB/S/B1", risk_grade="high", first_police_visit_at=T0 + dt.timedelta(hours=1)
    )
    plain = _without_case(areas, "WB/S/B2", risk_grade="standard")
    assert not Case.objects.filter(investigation__in=[high, plain]).exists()
    assert cases_open_for([high.pk, plain.pk], actor_label="import") == 2
    assert cases_open_for([high.pk, plain.pk]) == 0  # idempotent
    case = Case.objects.get(investigation=high)
    assert (case.state, case.high_risk, case.clock_started_at) == (
        "new",
        True,
        T0 + dt.timedelta(hours=1),
    )
    assert case.clock_due_at == T0 + dt.timedelta(hours=25)
    opened = case.events.get()
    assert (opened.kind, opened.from_state, opened.to_state, opened.actor_label) == (
        "opened",
        "",
        "new",
        "import",
    )
    assert opened.happened_at == T0 and opened.payload["high_risk"] is True
    other = Case.objects.get(investigation=plain)
    assert not other.high_risk and other.clock_started_at is None and other.events.count() == 1


def test_case_for_opens_a_missing_case_and_returns_the_existing_one(areas: dict[str, Any]) -> None:
    bulk = _without_case(areas, "WB/S/CF")
    opened = case_for(bulk.pk)
    assert opened.investigation == bulk and opened.state == "new"
    assert case_for(bulk) == opened and Case.objects.filter(investigation=bulk).count() == 1


# --- transitions ------------------------------------------------------------------------------


def test_an_accepting_decision_is_stored_in_the_history_and_audited(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    sergeant = personas["triage_sergeant"]
    investigation = _investigation(areas, "WB/S/D", grade="high")
    row = case_decided(
        user=sergeant,
        investigation=investigation,
        decision="joint_visit_post",
        reason="High risk: always offered",
        rules=RULES,
        at=T0 + dt.timedelta(hours=2),
    )
    assert (row.state, row.decision, row.high_risk, row.rules) == (
        "accepted",
        "joint_visit_post",
        True,
        RULES.as_mapping(),
    )
    assert row.accepted_at == T0 + dt.timedelta(hours=2)
    decided = row.events.get(kind=CaseEvent.Kind.DECIDED)
    assert (decided.from_state, decided.to_state, decided.actor, decided.reason) == (
        "new",
        "accepted",
        sergeant,
        "High risk: always offered",
    )
    audit = assert_audited(
        "cases.decided",
        action=AuditAction.UPDATE,
        actor=sergeant,
        subject=row,
        person=investigation.victim,
    )
    assert (
        audit.changes == {"state": ["new", "accepted"]}
        and audit.reason == "High risk: always offered"
    )


def test_a_decision_not_for_the_joint_team_triages_the_case(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    row = case_decided(
        user=personas["triage_sergeant"],
        investigation=_investigation(areas, "WB/S/NE"),
        decision="not_eligible",
        reason="Not eligible",
        rules=RULES,
    )
    assert row.state == "triaged" and row.accepted_at is None


def test_a_decision_reads_the_latest_grade_when_the_caller_has_it(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    investigation = _investigation(areas, "WB/S/LG", grade="standard")
    investigation.latest_grade = "high"  # type: ignore[attr-defined]  # as the triage board annotates it
    row = case_decided(
        user=personas["triage_sergeant"],
        investigation=investigation,
        decision="joint_visit_post",
        reason="",
        rules=RULES,
    )
    assert row.high_risk


def test_only_an_undecided_or_awaiting_case_takes_a_decision(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    case_check_decidable(_without_case(areas, "WB/S/NONE"))  # no case yet: new, decidable
    investigation = _accepted(areas, personas["triage_sergeant"])
    case_check_decidable(investigation)
    case_attempt_recorded(
        user=personas["joint_team_officer"],
        visit=_visit(investigation, investigation.victim, "engaged"),
    )
    with pytest.raises(CaseTransitionRefused, match="the case is seen"):
        case_check_decidable(investigation)


def test_planning_moves_only_cases_awaiting_a_visit_and_unplanning_puts_them_back(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    sergeant = personas["triage_sergeant"]
    accepted = _accepted(areas, sergeant, "WB/S/P1")
    new = _investigation(areas, "WB/S/P2")
    at = T0 + dt.timedelta(hours=4)
    assert (
        cases_planned(
            user=sergeant, investigation_ids=[accepted.pk, new.pk], at=at, actor_label="planner"
        )
        == 1
    )
    assert Case.objects.get(investigation=new).state == "new"
    planned = Case.objects.get(investigation=accepted)
    assert planned.state == "planned"
    assert planned.events.get(kind=CaseEvent.Kind.PLANNED).actor == sergeant
    assert (
        cases_planned(user=sergeant, investigation_ids=[accepted.pk], at=at) == 0
    )  # already planned
    assert cases_unplanned(user=sergeant, investigation_ids=[accepted.pk, new.pk], at=at) == 1
    assert _states(Case.objects.get(investigation=accepted))[-2:] == [
        ("planned", "accepted", "planned"),
        ("unplanned", "planned", "accepted"),
    ]
    assert_audited(
        "cases.unplanned",
        action=AuditAction.UPDATE,
        actor=sergeant,
        subject=Case.objects.get(investigation=accepted),
    )


def test_an_unplanned_case_with_a_failed_attempt_goes_back_to_attempted(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    sergeant = personas["triage_sergeant"]
    investigation = _accepted(areas, sergeant)
    case_attempt_recorded(
        user=None,
        visit=_visit(investigation, investigation.victim, "no_contact"),
        actor_label="tracker import",
    )
    cases_planned(
        user=sergeant, investigation_ids=[investigation.pk], at=T0 + dt.timedelta(hours=6)
    )
    cases_unplanned(
        user=sergeant, investigation_ids=[investigation.pk], at=T0 + dt.timedelta(hours=7)
    )
    assert Case.objects.get(investigation=investigation).state == "attempted"


def test_a_visit_without_an_investigation_arrival_or_result_is_no_attempt(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    investigation = _accepted(areas, personas["triage_sergeant"])
    victim = investigation.victim
    assert case_attempt_recorded(user=None, visit=_visit(None, victim, "engaged")) is None
    assert (
        case_attempt_recorded(
            user=None, visit=_visit(investigation, victim, "engaged", arrived=None)
        )
        is None
    )
    assert case_attempt_recorded(user=None, visit=_visit(investigation, victim, "")) is None
    assert Case.objects.get(investigation=investigation).state == "accepted"


def test_a_visit_is_one_attempt_however_often_it_is_saved(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    officer = personas["joint_team_officer"]
    investigation = _accepted(areas, personas["triage_sergeant"])
    visit = _visit(investigation, investigation.victim, "no_contact")
    row = case_attempt_recorded(user=officer, visit=visit)
    assert row is not None and (row.state, row.attempts) == ("attempted", 1)
    assert row.next_attempt_due_at == visit.arrived_at + dt.timedelta(hours=RULES.retry_after_hours)
    again = case_attempt_recorded(user=officer, visit=visit)
    assert again is not None and again.attempts == 1
    attempt = row.events.get(kind=CaseEvent.Kind.ATTEMPTED)
    assert (attempt.visit_public_id, attempt.actor, attempt.reason) == (
        visit.public_id,
        officer,
        "Visit: no contact",
    )
    assert_audited("cases.attempted", action=AuditAction.UPDATE, actor=officer, subject=row)


def test_a_corrected_visit_result_rebuilds_the_case_from_its_history(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    officer = personas["joint_team_officer"]
    investigation = _accepted(areas, personas["triage_sergeant"])
    visit = _visit(investigation, investigation.victim, "engaged")
    assert case_attempt_recorded(user=officer, visit=visit).state == "seen"  # type: ignore[union-attr]
    visit.contact_result = "no_contact"
    visit.save()
    row = case_attempt_recorded(user=officer, visit=visit)
    assert row is not None
    assert (row.state, row.attempts, row.seen_at, row.clock_stopped_at) == (
        "attempted",
        1,
        None,
        None,
    )
    correction = row.events.filter(kind=CaseEvent.Kind.ATTEMPTED).order_by("id").last()
    assert correction is not None and correction.reason == "Visit result corrected"
    rebuilt = assert_audited("cases.rebuilt", action=AuditAction.UPDATE, actor=officer, subject=row)
    assert rebuilt.changes == {"state": ["seen", "attempted"]}


def test_after_a_corrected_visit_the_history_ends_in_the_cases_state(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    investigation = _accepted(areas, personas["triage_sergeant"])
    visit = _visit(investigation, investigation.victim, "engaged")
    case_attempt_recorded(user=None, visit=visit)
    visit.contact_result = "no_contact"
    visit.save()
    row = case_attempt_recorded(user=None, visit=visit)
    assert row is not None and row.state == "attempted"
    assert _states(row)[-1] == ("attempted", "seen", "attempted")


def test_a_rebuild_skips_steps_a_later_correction_made_moot(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    # Given a victim seen, handed over, and then the visit corrected to no contact
    investigation = _accepted(areas, personas["triage_sergeant"])
    visit = _visit(investigation, investigation.victim, "engaged")
    case_attempt_recorded(user=None, visit=visit)
    case_handed_over(
        user=personas["safeguarding_officer"],
        investigation_id=investigation.pk,
        at=T0 + dt.timedelta(hours=5),
    )
    visit.contact_result = "no_contact"
    visit.save()
    row = case_attempt_recorded(user=None, visit=visit, actor_label="tracker import")
    # Then the hand-over before any contact is skipped: the victim is back in the queue
    assert row is not None and row.state == "attempted" and row.handed_over_at is None
    # and a rebuild of an unchanged history changes nothing
    assert case_rebuild(row, reason="check").state == "attempted"
    assert_audited("cases.rebuilt", action=AuditAction.UPDATE, subject=row, count=2)


def test_only_a_seen_case_is_handed_over(personas: dict[str, Any], areas: dict[str, Any]) -> None:
    officer = personas["safeguarding_officer"]
    investigation = _accepted(areas, personas["triage_sergeant"])
    assert case_handed_over(user=officer, investigation_id=investigation.pk) is None
    case_attempt_recorded(user=None, visit=_visit(investigation, investigation.victim, "engaged"))
    row = case_handed_over(
        user=officer,
        investigation_id=investigation.pk,
        at=T0 + dt.timedelta(hours=6),
        reason="MARAC referral",
    )
    assert row is not None and (row.state, row.handed_over_at) == (
        "handed_over",
        T0 + dt.timedelta(hours=6),
    )
    assert_audited(
        "cases.handed_over",
        action=AuditAction.UPDATE,
        actor=officer,
        subject=row,
        reason="MARAC referral",
    )


def test_closing_needs_the_permission_and_a_reason_and_names_who_closed(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    sergeant = personas["triage_sergeant"]
    case = Case.objects.get(investigation=_investigation(areas, "WB/S/C"))
    with pytest.raises(PermissionDenied):
        case_close(user=personas["joint_team_officer"], case=case, reason="not mine to close")
    with pytest.raises(CaseTransitionRefused, match="give a reason"):
        case_close(user=sergeant, case=case, reason="   ")
    closed = case_close(
        user=sergeant, case=case, reason="  Victim moved out of area ", at=T0 + dt.timedelta(days=1)
    )
    assert (closed.state, closed.closed_reason, closed.closed_by) == (
        "closed",
        "Victim moved out of area",
        sergeant,
    )
    assert closed.closed_at == T0 + dt.timedelta(days=1)
    assert closed.events.get(kind=CaseEvent.Kind.CLOSED).reason == "Victim moved out of area"
    assert_audited(
        "cases.closed",
        action=AuditAction.UPDATE,
        actor=sergeant,
        subject=closed,
        reason="Victim moved out of area",
    )
    with pytest.raises(CaseTransitionRefused, match="cannot close the case"):
        case_close(user=sergeant, case=closed, reason="again")
