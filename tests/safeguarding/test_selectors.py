"""The daily MARAC list (four criteria with evidence), referral visibility and alerts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from provide.safeguarding import selectors, services
from provide.safeguarding.models import MaracCase, MaracPolicy, Referral

pytestmark = pytest.mark.django_db


def _by_name(candidates: list[Any]) -> dict[str, list[str]]:
    return {str(c.victim): [m.criterion.value for m in c.decision.criteria] for c in candidates}


def test_the_daily_list_shows_each_criterion_with_its_evidence(
    personas: dict[str, Any], da_event: Any, victim: Any
) -> None:
    # Given four victims, one per criterion, and one who meets none
    now = timezone.now()
    high, judged, escalating, repeat, quiet = (
        victim(n, "Case") for n in ("High", "Judged", "Esc", "Rep", "Quiet")
    )
    da_event(high, now - dt.timedelta(hours=3), yes=15)
    da_event(judged, now - dt.timedelta(hours=2), yes=6)
    Referral.objects.create(
        victim=judged, target="marac", status="sent", consent="given", reasons="Strangulation"
    )
    for days in (2, 80, 300):
        da_event(escalating, now - dt.timedelta(days=days), yes=4)
    MaracCase.objects.create(
        victim=repeat,
        criterion="visible_high_risk",
        meeting_on=timezone.localdate(now) - dt.timedelta(days=60),
    )
    da_event(repeat, now - dt.timedelta(days=1))
    da_event(quiet, now - dt.timedelta(hours=1), yes=5)
    meeting = timezone.localdate(now) + dt.timedelta(days=1)
    # When the coordinator opens the list
    candidates = selectors.marac_candidates_for(
        user=personas["safeguarding_officer"], meeting_on=meeting, as_of=now
    )
    # Then each victim is there for their criterion, with evidence, and the quiet one is not
    found = _by_name(candidates)
    assert found == {
        "High Case": ["visible_high_risk"],
        "Judged Case": ["professional_judgement"],
        "Esc Case": ["escalation"],
        "Rep Case": ["repeat"],
    }
    evidence = {str(c.victim): c.decision.criteria[0].evidence for c in candidates}
    assert "DASH 15 yes answers" in evidence["High Case"]
    assert evidence["Judged Case"] == "Strangulation"
    assert evidence["Esc Case"].startswith("3 DA events in the 365 days")
    assert [c.decision.is_repeat for c in candidates if str(c.victim) == "Rep Case"] == [True]


def test_escalation_threshold_comes_from_the_admin_policy(
    personas: dict[str, Any], da_event: Any, victim: Any
) -> None:
    now = timezone.now()
    two = victim("Two", "Events")
    da_event(two, now - dt.timedelta(days=1))
    da_event(two, now - dt.timedelta(days=40))
    meeting = timezone.localdate(now) + dt.timedelta(days=1)
    user = personas["safeguarding_officer"]
    assert selectors.marac_candidates_for(user=user, meeting_on=meeting, as_of=now) == []
    MaracPolicy.objects.create(escalation_events=2)
    assert _by_name(selectors.marac_candidates_for(user=user, meeting_on=meeting, as_of=now)) == {
        "Two Events": ["escalation"]
    }


def test_listed_victims_leave_the_candidates_and_join_the_agenda(
    personas: dict[str, Any], da_event: Any, victim: Any
) -> None:
    now = timezone.now()
    person = victim("High", "Risk")
    da_event(person, now - dt.timedelta(hours=3), yes=16)
    meeting = timezone.localdate(now) + dt.timedelta(days=1)
    user = personas["safeguarding_officer"]
    services.marac_case_list(user=user, victim=person, meeting_on=meeting, as_of=now)
    assert selectors.marac_candidates_for(user=user, meeting_on=meeting, as_of=now) == []
    assert [str(c.victim) for c in selectors.marac_agenda_for(user=user, meeting_on=meeting)] == [
        "High Risk"
    ]


def test_the_daily_list_runs_a_fixed_number_of_queries(
    personas: dict[str, Any], da_event: Any, victim: Any
) -> None:
    now = timezone.now()
    meeting = timezone.localdate(now) + dt.timedelta(days=1)
    user = personas["safeguarding_officer"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.marac_candidates_for(user=user, meeting_on=meeting, as_of=now)
        return len(captured)

    queries()  # warm the user's role and permission caches
    da_event(victim("One", "A"), now - dt.timedelta(hours=1), yes=15)
    first = queries()
    for n in range(6):
        da_event(victim(f"More{n}", "B"), now - dt.timedelta(hours=2), yes=14 + n)
    assert queries() == first


def test_da_event_summary_reads_the_one_victim_history(da_event: Any, victim: Any) -> None:
    now = timezone.now()
    person = victim("Count", "Me")
    for days in (1, 100, 400):
        da_event(person, now - dt.timedelta(days=days))
    with CaptureQueriesContext(connection) as captured:
        summary = selectors.da_event_summary_for(victim_ids=[person.pk], as_of=now, window_days=365)
    assert len(captured) == 2  # DA events and MARAC meetings, the one owner's two aggregates
    count, first, latest = summary[person.pk]
    assert first == timezone.localdate(now - dt.timedelta(days=100))
    assert count == 2 and latest == timezone.localdate(now - dt.timedelta(days=1))


def test_shared_referral_status_is_visible_to_police_health_and_safeguarding_not_analysts(
    personas: dict[str, Any], west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    west = Referral.objects.create(victim=west_case["victim"], target="refuge", status="sent")
    Referral.objects.create(victim=east_case["victim"], target="refuge", status="sent")
    for slug in ("response_officer", "triage_sergeant", "joint_team_officer", "health_idva"):
        assert list(selectors.referral_list_for(user=personas[slug])) == [west], (
            slug
        )  # their BCU only
    assert selectors.referral_list_for(user=personas["safeguarding_officer"]).count() == 2
    assert selectors.referral_list_for(user=personas["idva_manager"]).count() == 2
    assert selectors.referral_list_for(user=personas["analyst"]).count() == 0


def test_overdue_lists_only_referrals_still_with_the_service(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    today = timezone.localdate()
    late = Referral.objects.create(
        victim=west_case["victim"],
        target="housing",
        status="sent",
        due_on=today - dt.timedelta(days=1),
    )
    Referral.objects.create(
        victim=west_case["victim"],
        target="housing",
        status="done",
        due_on=today - dt.timedelta(days=5),
    )
    Referral.objects.create(
        victim=west_case["victim"], target="housing", status="accepted", due_on=today
    )
    assert list(
        selectors.referral_overdue_list_for(user=personas["safeguarding_officer"], today=today)
    ) == [late]


def test_measure_alerts_flag_lapsing_and_lapsed_measures(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    officer = personas["safeguarding_officer"]
    now = timezone.now()
    soon = services.measure_record(
        user=officer,
        victim=west_case["victim"],
        kind="dvpn",
        issued_at=now - dt.timedelta(hours=30),
    )
    late = services.measure_record(
        user=officer,
        victim=west_case["victim"],
        kind="dvds_ask",
        issued_at=now - dt.timedelta(days=29),
    )
    services.measure_record(
        user=officer, victim=west_case["victim"], kind="dvpo", issued_at=now, dvpo_days=28
    )
    alerts = {
        item.measure.pk: item.alert.level.value
        for item in selectors.measure_alerts_for(user=officer, as_of=now)
    }
    assert alerts == {soon.pk: "due_soon", late.pk: "overdue"}


def test_the_idva_summary_is_read_through_the_health_side_wall(
    personas: dict[str, Any], west_case: Any
) -> None:
    referral = services.referral_create(
        user=personas["health_idva"],
        victim=west_case["victim"],
        target="marac",
        consent="given",
        reasons="Threats to kill",
        idva_shared_summary="Shared: 20 weeks pregnant",
    )
    readers = {
        slug
        for slug, user in personas.items()
        if selectors.idva_summary_for(user=user, referral=referral)
    }
    assert readers == {"health_idva", "idva_manager"}  # a draft: health roles only
    referral = services.referral_send(user=personas["health_idva"], referral=referral)
    readers = {
        slug
        for slug, user in personas.items()
        if selectors.idva_summary_for(user=user, referral=referral)
    }
    assert readers == {"health_idva", "idva_manager", "safeguarding_officer"}
    assert selectors.idva_summary_for(user=personas["joint_team_officer"], referral=referral) == ""
