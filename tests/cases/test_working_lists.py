"""Property: whatever happens to cases (new incidents, decisions, plans, visit outcomes,
re-plans, merges of people, hand-overs, closes), no open case is absent from every working
list, a seen case is never shown as awaiting or breached, and the 24-hour clock stops at the
first contact."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provide.areas.models import Station
from provide.cases.models import Case
from provide.cases.selectors import cases_awaiting_visit, cases_to_hand_over
from provide.cases.services import case_close
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.people.services import person_merge
from provide.planning.models import Shift, Team
from provide.planning.services import plan_run
from provide.safeguarding.models import HandoverTask
from provide.safeguarding.services import handover_create
from provide.triage.queues import handover_for, stale_cases
from provide.triage.selectors import triage_board_for
from provide.triage.services import TriageError, triage_decision_record
from provide.visits.models import Visit
from provide.visits.services import visit_attempt_record

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)

ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["incident", "decide", "plan", "visit", "merge", "handover", "close"]),
        st.integers(0, 5),
        st.integers(0, 9),
    ),
    min_size=1,
    max_size=12,
)
DECISIONS = [
    "joint_visit_post",
    "joint_visit_live",
    "joint_visit_post",
    "not_eligible",
    "consultation",
]
RESULTS = ["no_contact", "engaged", "declined", "unsafe"]


@pytest.fixture
def shift(areas: Any) -> Shift:
    now = timezone.now()
    base = Station.objects.get(name="Blackpool Police HQ")
    team = Team.objects.create(name="West A", bcu=areas["west"], base=base, vehicle="PV1")
    return Shift.objects.create(
        team=team,
        on_date=timezone.localdate(now),
        pattern="early",
        starts_at=now - dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=6),
    )


def _incident(areas: Any, grade_pick: int) -> None:
    n = next(_numbers)
    now = timezone.now()
    victim = Person.objects.create(
        given_name="Victim",
        family_name=f"N{n}",
        latitude=53.81 + n % 7 * 0.004,
        longitude=-3.04,
        synthetic=True,
    )
    Investigation.objects.create(
        investigation_ref=f"WB/P/{n:05d}",
        recorded_at=now - dt.timedelta(hours=3),
        first_police_visit_at=now - dt.timedelta(hours=2 + grade_pick % 3 * 12),
        bcu=areas["west"],
        victim=victim,
        latitude=53.81,
        longitude=-3.04,
        risk_grade=["high", "medium", "standard"][grade_pick % 3],
    )


def _act(
    action: str, pick: int, choice: int, personas: dict[str, Any], areas: Any, shift: Shift
) -> None:
    cases = list(Case.objects.select_related("investigation__victim").order_by("id"))
    case = cases[pick % len(cases)] if cases else None
    now = timezone.now()
    if action == "incident" or case is None:
        _incident(areas, choice)
    elif action == "decide":
        with contextlib.suppress(
            TriageError
        ):  # a seen, handed-over or closed case takes no new decision
            triage_decision_record(
                user=personas["triage_sergeant"],
                investigation_id=case.investigation.public_id,
                decision=DECISIONS[choice % len(DECISIONS)],
                reason="property test",
            )
    elif action == "plan":
        plan_run(
            user=personas["triage_sergeant"], shifts=[shift], as_of=now, time_limit_seconds=0.2
        )
    elif action == "visit" and case.state != "closed":
        visit_attempt_record(
            user=personas["joint_team_officer"],
            investigation=case.investigation,
            arrived_at=now - dt.timedelta(minutes=60 - choice),
            result=RESULTS[choice % 4],
        )
    elif action == "merge" and len(cases) > 1:
        other = cases[(pick + 1) % len(cases)]
        if other.investigation.victim_id != case.investigation.victim_id:
            person_merge(
                user=personas["triage_sergeant"],
                duplicate=other.investigation.victim,
                survivor=case.investigation.victim,
                reason="same woman, two spellings",
            )
    elif action == "handover":
        handover_create(
            user=personas["safeguarding_officer"],
            victim=case.investigation.victim,
            team=areas["west"],
            title="Follow up",
            investigation=case.investigation,
        )
    elif action == "close" and case.state != "closed":
        case_close(user=personas["triage_sergeant"], case=case, reason="property test close")


def _check_every_list(personas: dict[str, Any], areas: Any) -> None:
    sergeant = personas["triage_sergeant"]
    now = timezone.now()
    board = triage_board_for(user=sergeant, audit=False)
    rows = {r.investigation.pk: r for r in board.rows + board.carried_over_rows}
    handover = handover_for(user=sergeant, board=board)
    on_handover = {c.pk for c in handover.awaiting_visit}
    awaiting = {c.pk for c in cases_awaiting_visit(areas["west"])}
    stale = {
        s.case.pk for s in stale_cases(areas["west"], now + dt.timedelta(days=4)).over_72_hours
    }
    to_hand_over = {c.pk for c in cases_to_hand_over(areas["west"])}
    tasks = set(HandoverTask.objects.values_list("investigation_id", flat=True))
    for case in Case.objects.select_related("investigation"):
        lists = {
            "board": case.investigation_id in rows and not rows[case.investigation_id].decided,
            "awaiting": case.pk in on_handover and case.pk in stale and case.pk in awaiting,
            "hand_over": case.pk in to_hand_over,
            "task": case.investigation_id in tasks,
        }
        expected = {
            "new": "board",
            "accepted": "awaiting",
            "planned": "awaiting",
            "attempted": "awaiting",
            "seen": "hand_over",
            "handed_over": "task",
        }
        if case.state in expected:
            assert lists[expected[case.state]], (
                f"{case.state} case {case.investigation} is on no working list"
            )
        if case.state in ("seen", "handed_over"):
            assert not (case.pk in awaiting or case.pk in on_handover or case.pk in stale)
            row = rows.get(case.investigation_id)
            assert row is None or row.assessment.clock.state.value != "breached"
        contact = (
            Visit.objects.filter(
                investigation=case.investigation, contact_result__in=["engaged", "declined"]
            )
            .order_by("arrived_at")
            .values_list("arrived_at", flat=True)
            .first()
        )
        assert case.clock_stopped_at == contact


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
def test_no_open_case_is_lost_whatever_happens(
    actions: list[tuple[str, int, int]], personas: dict[str, Any], areas: Any, shift: Shift
) -> None:
    for action, pick, choice in actions:
        _act(action, pick, choice, personas, areas, shift)
        _check_every_list(personas, areas)
