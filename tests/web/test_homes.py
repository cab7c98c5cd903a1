"""What each role's home page is built from: one context builder per role, reading through the
access-checked selectors of each app (so a BCU user sees their BCU only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.template.loader import get_template
from django.utils import timezone

from provide.accounts.roles import ALL_ROLES
from provide.areas.models import Area, Station
from provide.health.models import SupportRecord
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.planning.models import Shift, Team
from provide.safeguarding.models import Referral
from provide.safeguarding.services import handover_create
from provide.visits.models import Consultation, Visit
from provide.web import homes

pytestmark = pytest.mark.django_db


def _investigation(
    areas: dict[str, Any],
    ref: str,
    *,
    hours_ago: float,
    bcu: str = "west",
    grade: str = "",
    name: str = "Person",
) -> Investigation:
    victim = Person.objects.create(given_name="Vic", family_name=name, synthetic=True)
    return Investigation.objects.create(
        investigation_ref=ref,
        recorded_at=timezone.now() - dt.timedelta(hours=hours_ago),
        bcu=areas[bcu],
        victim=victim,
        risk_grade=grade,
    )


def test_every_role_has_a_home_with_a_template() -> None:
    assert set(homes.HOMES) == {role.slug for role in ALL_ROLES}
    for template, build in homes.HOMES.values():
        assert get_template(template) and callable(build)


@pytest.mark.parametrize(
    ("numerator", "denominator", "shown"),
    [(1, 3, "33.3%"), (0, 4, "0.0%"), (2, 2, "100.0%"), (0, 0, "–")],
)
def test_a_percentage_is_one_decimal_or_a_dash_when_nothing_is_known(
    numerator: int, denominator: int, shown: str
) -> None:
    assert homes._percent(numerator, denominator) == shown


def test_the_response_officer_sees_the_last_24_hours_of_their_bcu(
    personas: dict[str, Any],
    areas: dict[str, Any],
    west_case: dict[str, Any],
    east_case: dict[str, Any],
) -> None:
    _investigation(areas, "WB/OLD", hours_ago=30)
    context = homes.response_officer(personas["response_officer"], timezone.now())
    assert [i.investigation_ref for i in context["recent"]] == ["WB/2026/000001"]
    assert context["recent_count"] == 1


def test_the_response_officer_list_stops_at_15_but_the_count_does_not(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    for n in range(17):
        _investigation(areas, f"WB/MANY/{n:02d}", hours_ago=1 + n / 10)
    context = homes.response_officer(personas["response_officer"], timezone.now())
    assert len(context["recent"]) == 15 and context["recent_count"] == 17


def test_the_sergeant_sees_the_days_grades_the_undecided_cases_and_the_stale_lists(
    personas: dict[str, Any],
    areas: dict[str, Any],
    west_case: dict[str, Any],
    east_case: dict[str, Any],
) -> None:
    _investigation(areas, "WB/UNGRADED", hours_ago=2)
    _investigation(areas, "WB/STANDARD", hours_ago=3, grade="standard")
    context = homes.triage_sergeant(personas["triage_sergeant"], timezone.now())
    assert context["risk_counts"] == [("high", 1), ("medium", 0), ("standard", 1)]
    assert context["recent_count"] == 3  # the ungraded one is counted too
    assert context["board"] is not None and context["board"].bcu == areas["west"]
    next_refs = [row.investigation.investigation_ref for row in context["next_cases"]]
    assert "WB/2026/000001" in next_refs and "EB/2026/000001" not in next_refs
    assert all(row.decision is None for row in context["next_cases"])
    assert context["stale"].over_24_hours == [] and context["in_custody"] == []


def test_a_user_who_may_not_see_the_board_gets_the_summary_without_it(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    context = homes.triage_sergeant(
        personas["idva_manager"], timezone.now()
    )  # stale lists, but no board
    assert context["board"] is None and context["next_cases"] == []
    assert context["risk_counts"] == [("high", 1), ("medium", 0), ("standard", 0)]


@pytest.fixture
def shifts(areas: dict[str, Any]) -> dict[str, Shift]:
    now = timezone.now()
    today = timezone.localdate(now)
    base = Station.objects.get(name="Blackpool Police HQ")
    east_base = Station.objects.create(
        name="Burnley Police Station", bcu=areas["east"], latitude=53.79, longitude=-2.24
    )
    made = {}
    for name, bcu, station, on_date in (
        ("West A", "west", base, today),
        ("East A", "east", east_base, today),
        ("West B", "west", base, today - dt.timedelta(days=1)),
    ):
        team = Team.objects.get_or_create(name=name, bcu=areas[bcu], base=station)[0]
        made[f"{name} {on_date}"] = Shift.objects.create(
            team=team,
            on_date=on_date,
            pattern="early",
            starts_at=now - dt.timedelta(hours=2),
            ends_at=now + dt.timedelta(hours=6),
        )
    return made


def test_the_joint_team_sees_todays_shifts_the_weeks_visits_and_what_is_left_to_record(
    personas: dict[str, Any], west_case: dict[str, Any], shifts: dict[str, Shift]
) -> None:
    now = timezone.now()
    investigation, victim = west_case["investigation"], west_case["victim"]
    Visit.objects.create(
        mode="post-incident",
        investigation=investigation,
        victim=victim,
        arrived_at=now - dt.timedelta(days=8),
        contact_result="no_contact",
    )
    planned = Visit.objects.create(
        mode="post-incident",
        investigation=investigation,
        victim=victim,
        planned_at=now + dt.timedelta(hours=2),
        record_status=Visit.RecordStatus.PLANNED,
    )
    context = homes.joint_team(personas["joint_team_officer"], now)
    assert [shift.team.name for shift in context["shifts"]] == ["West A"]
    assert context["recent_visits"] == [west_case["visit"]]
    assert context["to_record"] == [planned]


def test_the_idva_sees_the_joint_team_home_with_the_health_side_and_consultations(
    personas: dict[str, Any], west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    now = timezone.now()
    idva = personas["health_idva"]
    SupportRecord.objects.create(
        tracker_id="T-EAST",
        victim=east_case["victim"],
        bcu=east_case["investigation"].bcu,
        idva_visit_at=now - dt.timedelta(hours=2),
    )
    SupportRecord.objects.create(
        tracker_id="T-OLD",
        victim=west_case["victim"],
        bcu=west_case["investigation"].bcu,
        idva_visit_at=now - dt.timedelta(days=9),
    )
    asked = Consultation.objects.create(
        officer=personas["response_officer"],
        idva=idva,
        asked_at=now,
        topic="Safe to leave a message?",
    )
    context = homes.health_idva(idva, now)
    assert {"shifts", "recent_visits", "to_record"} <= set(context)
    assert [record.tracker_id for record in context["support_records"]] == ["T-1"]
    assert context["consultations"] == [asked]


def test_the_joint_team_officer_sees_no_health_side(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    assert "support_records" not in homes.joint_team(personas["joint_team_officer"], timezone.now())


def test_the_idva_manager_sees_the_tracker_summary_with_acceptance_rates_and_caseloads(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    now = timezone.now()
    bcu = west_case["investigation"].bcu
    SupportRecord.objects.filter(pk=west_case["support_record"].pk).update(idva_name="Ida")
    for n, (accepted, prosecution) in enumerate(((False, True), (None, False), (True, None))):
        SupportRecord.objects.create(
            tracker_id=f"T-M{n}",
            bcu=bcu,
            idva_name="Ida" if n else "Jo",
            idva_visit_at=now - dt.timedelta(days=3),
            idva_support_accepted=accepted,
            prosecution_support_accepted=prosecution,
        )
    SupportRecord.objects.create(
        tracker_id="T-LAST-YEAR",
        bcu=bcu,
        idva_name="Jo",
        idva_visit_at=now - dt.timedelta(days=40),
        idva_support_accepted=True,
    )
    context = homes.idva_manager(personas["idva_manager"], now)
    assert context["can_import"] is True and context["can_export"] is True
    assert context["summary"]["rows"] == 4
    assert context["acceptance"] == "66.7%"  # 2 of the 3 whose answer is known
    assert context["prosecution_acceptance"] == "50.0%"
    assert context["by_idva"] == [("Ida", 3), ("Jo", 1)]


def test_the_safeguarding_officer_sees_referrals_overdue_ones_the_next_marac_and_hand_overs_by_team(
    personas: dict[str, Any],
    areas: dict[str, Any],
    west_case: dict[str, Any],
    east_case: dict[str, Any],
) -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    officer = personas["safeguarding_officer"]
    overdue = Referral.objects.create(
        victim=west_case["victim"],
        target="housing",
        status=Referral.Status.SENT,
        due_on=today - dt.timedelta(days=2),
    )
    due_later = Referral.objects.create(
        victim=east_case["victim"],
        target="refuge",
        status=Referral.Status.SENT,
        due_on=today + dt.timedelta(days=2),
    )
    Referral.objects.create(
        victim=east_case["victim"],
        target="gp",
        status=Referral.Status.DONE,
        due_on=today - dt.timedelta(days=5),
    )
    east_task = handover_create(
        user=officer, victim=east_case["victim"], team=areas["east"], title="Call back"
    )
    west_tasks = [
        handover_create(user=officer, victim=west_case["victim"], team=areas["west"], title=title)
        for title in ("Check alarm fitted", "Book MARAC slot")
    ]
    context = homes.safeguarding_officer(officer, now)
    assert context["today"] == today
    assert context["referrals"] == [overdue, due_later] and context["referral_count"] == 2
    assert context["overdue"] == [overdue] and context["overdue_count"] == 1
    assert context["next_meeting_on"] > today and context["next_meeting_on"].weekday() < 5
    assert context["handover_teams"] == [(areas["east"], [east_task]), (areas["west"], west_tasks)]


def test_the_analyst_sees_counts_by_bcu_and_grade_and_never_a_name(
    personas: dict[str, Any],
    areas: dict[str, Any],
    west_case: dict[str, Any],
    east_case: dict[str, Any],
) -> None:
    _investigation(areas, "WB/UNGRADED", hours_ago=2, name="Hidden")
    _investigation(areas, "WB/LONG-AGO", hours_ago=24 * 100, grade="high")
    context = homes.analyst(personas["analyst"], timezone.now())
    assert context == {"by_bcu": [("East", {"medium": 1}), ("West", {"high": 1, "unknown": 1})]}
    assert "Hidden" not in repr(context) and "Westby" not in repr(context)


def test_the_administrator_sees_each_role_group_with_its_members_and_the_bcus(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    Area.objects.create(name="North", kind=Area.Kind.BCU)
    Group.objects.create(name="Unused group")
    context = homes.administrator(personas["administrator"], timezone.now())
    members = {group.name: group.members for group in context["groups"]}
    assert members["Triage sergeant"] == 1 and members["Unused group"] == 0
    assert list(members) == sorted(members)
    assert [bcu.name for bcu in context["bcus"]] == ["East", "North", "West"]
