"""Cases for records made before the case lifecycle: replayed from decisions, visits and
hand-overs in time order, with old history that rests undecided or seen closed with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.cases.backfill import SEEN_REASON, UNTRIAGED_REASON, VISITED_REASON, backfill_cases
from provide.cases.models import Case, CaseEvent
from provide.cases.services import EVENT_KINDS, event_payload, store_case
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.safeguarding.models import HandoverTask
from provide.triage.models import TriageDecision
from provide.triage.versions import triage_policy_ensure_default
from provide.visits.models import Visit

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
NOW = T0 + dt.timedelta(days=30)
LABEL = "records before case tracking"


class History:
    """Investigations as they stood before the case lifecycle: inserted without a case."""

    def __init__(self, areas: dict[str, Any]) -> None:
        self.areas = areas
        self.policy = triage_policy_ensure_default()

    def investigation(self, ref: str, *, hours: float = 0, grade: str = "medium") -> Investigation:
        victim = Person.objects.create(given_name="Old", family_name=ref, synthetic=True)
        recorded = T0 + dt.timedelta(hours=hours)
        Investigation.objects.bulk_create(
            [
                Investigation(
                    investigation_ref=ref,
                    recorded_at=recorded,
                    first_police_visit_at=recorded + dt.timedelta(hours=1),
                    bcu=self.areas["west"],
                    victim=victim,
                    risk_grade=grade,
                )
            ]
        )  # bulk: no post_save, so no case
        return Investigation.objects.get(investigation_ref=ref)

    def decision(
        self,
        investigation: Investigation,
        hours: float,
        decision: str = "joint_visit_post",
        status: str = "open",
    ) -> None:
        TriageDecision.objects.create(
            investigation=investigation,
            policy=self.policy,
            decision=decision,
            status=status,
            decided_at=T0 + dt.timedelta(hours=hours),
        )

    def visit(self, investigation: Investigation, hours: float, result: str) -> None:
        Visit.objects.create(
            mode=Visit.Mode.POST_INCIDENT,
            investigation=investigation,
            victim=investigation.victim,
            arrived_at=T0 + dt.timedelta(hours=hours),
            contact_result=result,
        )

    def handover(self, investigation: Investigation, hours: float) -> None:
        task = HandoverTask.objects.create(
            team=self.areas["west"],
            victim=investigation.victim,
            investigation=investigation,
            title="Follow up",
        )
        HandoverTask.objects.filter(pk=task.pk).update(created_at=T0 + dt.timedelta(hours=hours))


@pytest.fixture
def history(areas: dict[str, Any]) -> History:
    return History(areas)


def _backfill(untriaged_before: dt.datetime | None = None) -> int:
    return backfill_cases(
        Investigation=Investigation,
        Case=Case,
        CaseEvent=CaseEvent,
        TriageDecision=TriageDecision,
        Visit=Visit,
        HandoverTask=HandoverTask,
        untriaged_before=untriaged_before,
        now=NOW,
        store=store_case,
        payload=event_payload,
        kinds=EVENT_KINDS,
    )


def _journey(investigation: Investigation) -> list[tuple[str, str, str]]:
    case = Case.objects.get(investigation=investigation)
    return [(e.kind, e.from_state, e.to_state) for e in case.events.order_by("id")]


def test_a_case_is_replayed_from_its_decision_visits_and_hand_over(history: History) -> None:
    investigation = history.investigation("OLD/1", grade="high")
    history.decision(investigation, 2)
    history.visit(investigation, 5, "no_contact")
    history.visit(investigation, 9, "engaged")
    history.handover(investigation, 12)
    assert _backfill() == 1
    case = Case.objects.get(investigation=investigation)
    assert (case.state, case.high_risk, case.attempts, case.decision) == (
        "handed_over",
        True,
        1,
        "joint_visit_post",
    )
    assert case.seen_at == case.clock_stopped_at == T0 + dt.timedelta(hours=9)
    assert case.handed_over_at == T0 + dt.timedelta(hours=12)
    assert _journey(investigation) == [
        ("opened", "", "new"),
        ("decided", "new", "accepted"),
        ("attempted", "accepted", "attempted"),
        ("attempted", "attempted", "seen"),
        ("handed_over", "seen", "handed_over"),
    ]
    events = list(case.events.order_by("id"))
    assert {e.actor_label for e in events} == {LABEL} and all(e.actor is None for e in events)
    assert [e.happened_at for e in events] == [T0 + dt.timedelta(hours=h) for h in (0, 2, 5, 9, 12)]


def test_a_decision_planned_before_case_tracking_leaves_the_case_planned(history: History) -> None:
    investigation = history.investigation("OLD/PLANNED")
    history.decision(investigation, 2, status="planned")
    _backfill()
    assert _journey(investigation)[-1] == ("planned", "accepted", "planned")


def test_steps_the_lifecycle_refuses_are_skipped(history: History) -> None:
    # A hand-over task raised before anyone saw the victim does not hand the case over
    investigation = history.investigation("OLD/EARLY")
    history.decision(investigation, 1, decision="not_eligible")
    history.handover(investigation, 3)
    _backfill()
    assert Case.objects.get(investigation=investigation).state == "triaged"
    assert [kind for kind, _, _ in _journey(investigation)] == ["opened", "decided"]


def test_old_history_resting_undecided_seen_or_visited_without_decision_is_closed_with_a_reason(
    history: History,
) -> None:
    untriaged = history.investigation("OLD/NEW")
    seen = history.investigation("OLD/SEEN")
    history.decision(seen, 1)
    history.visit(seen, 3, "engaged")
    visited = history.investigation("OLD/VISITED")
    history.visit(visited, 3, "no_contact")
    awaiting = history.investigation("OLD/AWAITING")
    history.decision(awaiting, 1)
    retried = history.investigation("OLD/RETRY")
    history.decision(retried, 1)
    history.visit(retried, 3, "no_contact")
    recent = history.investigation("NEW/UNTRIAGED", hours=24 * 20)
    assert _backfill(untriaged_before=T0 + dt.timedelta(days=7)) == 6
    reasons = {
        i.investigation_ref: Case.objects.get(investigation=i).closed_reason
        for i in (untriaged, seen, visited, awaiting, retried, recent)
    }
    assert reasons == {
        "OLD/NEW": UNTRIAGED_REASON,
        "OLD/SEEN": SEEN_REASON,
        "OLD/VISITED": VISITED_REASON,
        "OLD/AWAITING": "",
        "OLD/RETRY": "",
        "NEW/UNTRIAGED": "",
    }
    closed = Case.objects.get(investigation=seen)
    assert closed.state == "closed" and closed.closed_at == NOW
    assert _journey(seen)[-1] == ("closed", "seen", "closed")
    assert closed.events.get(kind=CaseEvent.Kind.CLOSED).reason == SEEN_REASON
    # Victims still owed a visit stay open: the stale lists must show them
    assert Case.objects.get(investigation=awaiting).state == "accepted"
    assert Case.objects.get(investigation=retried).state == "attempted"
    assert Case.objects.get(investigation=recent).state == "new"


def test_a_history_running_past_the_cut_off_stays_open(history: History) -> None:
    investigation = history.investigation("OLD/LATE-VISIT")
    history.visit(investigation, 24 * 10, "engaged")
    _backfill(untriaged_before=T0 + dt.timedelta(days=7))
    assert Case.objects.get(investigation=investigation).state == "seen"


def test_without_a_cut_off_nothing_is_closed(history: History) -> None:
    investigation = history.investigation("OLD/KEPT")
    _backfill(untriaged_before=None)
    assert Case.objects.get(investigation=investigation).state == "new"


def test_investigations_that_have_a_case_are_left_alone(
    history: History, areas: dict[str, Any]
) -> None:
    victim = Person.objects.create(given_name="Has", family_name="Case", synthetic=True)
    with_case = Investigation.objects.create(
        investigation_ref="NOW/1", recorded_at=T0, bcu=areas["west"], victim=victim
    )  # post_save opens its case
    before = list(Case.objects.get(investigation=with_case).events.values_list("id", flat=True))
    history.investigation("OLD/2")
    assert _backfill() == 1
    assert _backfill() == 0
    assert (
        list(Case.objects.get(investigation=with_case).events.values_list("id", flat=True))
        == before
    )
    assert Case.objects.count() == 2
