"""Reads of the joint visit record and of consultations: by role and BCU, audited when one is opened."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from provide.shared.access import RecordNotFound
from provide.visits.models import Consultation, PoliceVisitRecord, Visit
from provide.visits.selectors import (
    consultation_get_for,
    consultation_list_for,
    police_record_for,
    visit_get_for,
    visit_list_for,
    visit_worklist_for,
)
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db


def test_visits_are_limited_to_the_users_bcu_and_absent_for_roles_without_them(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    visit = west_case["visit"]
    assert list(visit_list_for(user=make_user("joint_team_officer"))) == [visit]
    assert (
        list(
            visit_list_for(
                user=make_user("joint_team_officer", bcu="east", username="east.officer")
            )
        )
        == []
    )
    assert list(visit_list_for(user=make_user("analyst"))) == []


def test_visits_since_a_moment_and_for_a_person(make_user: Any, west_case: dict[str, Any]) -> None:
    officer, visit = make_user("joint_team_officer"), west_case["visit"]
    assert list(visit_list_for(user=officer, since=visit.arrived_at)) == [visit]
    assert (
        list(visit_list_for(user=officer, since=visit.arrived_at + dt.timedelta(seconds=1))) == []
    )
    assert list(visit_list_for(user=officer, person=west_case["investigation"].suspect)) == []


def test_opening_a_visit_is_audited_and_out_of_scope_looks_missing(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    officer, visit = make_user("joint_team_officer"), west_case["visit"]
    assert visit_get_for(user=officer, visit_id=visit.public_id) == visit
    assert_audited("visits.visit_viewed", action="view", actor=officer, subject=visit)
    east = make_user("joint_team_officer", bcu="east", username="east.officer")
    for visit_id in (visit.public_id, "not-a-uuid", "00000000-0000-4000-8000-000000000000"):
        with pytest.raises(RecordNotFound):
            visit_get_for(user=east if visit_id == visit.public_id else officer, visit_id=visit_id)


def test_the_worklist_has_open_visits_and_those_finished_in_the_last_week(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    officer, done = make_user("joint_team_officer"), west_case["visit"]
    done.record_status = Visit.RecordStatus.COMPLETE
    done.save()
    planned = Visit.objects.create(
        mode="post-incident",
        investigation=west_case["investigation"],
        victim=west_case["victim"],
        record_status=Visit.RecordStatus.PLANNED,
        planned_at=timezone.now(),
    )
    now = timezone.now()
    assert visit_worklist_for(user=officer, as_of=now) == {"open": [planned], "finished": [done]}
    assert visit_worklist_for(user=officer, as_of=now + dt.timedelta(days=8))["finished"] == []


def test_the_police_side_is_for_police_roles_only(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    record = PoliceVisitRecord.objects.create(visit=west_case["visit"], statement_taken=True)
    assert (
        police_record_for(user=make_user("joint_team_officer"), visit=west_case["visit"]) == record
    )
    assert police_record_for(user=make_user("health_idva"), visit=west_case["visit"]) is None


def test_officers_see_their_consultations_idvas_theirs_and_their_areas(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    officer = make_user("joint_team_officer")
    other_officer = make_user("response_officer")
    idva = make_user("health_idva")
    east_idva = make_user("health_idva", bcu="east", username="east.idva")
    now = timezone.now()
    to_idva = Consultation.objects.create(officer=officer, idva=idva, asked_at=now, topic="Bail")
    to_anyone = Consultation.objects.create(
        officer=other_officer, asked_at=now - dt.timedelta(hours=1), topic="Housing"
    )
    about_case = Consultation.objects.create(
        officer=other_officer,
        idva=east_idva,
        topic="Refuge",
        asked_at=now - dt.timedelta(hours=2),
        investigation=west_case["investigation"],
    )
    assert list(consultation_list_for(user=officer)) == [to_idva]
    assert list(consultation_list_for(user=other_officer)) == [to_anyone, about_case]
    assert list(consultation_list_for(user=idva)) == [to_idva, to_anyone, about_case]
    assert list(consultation_list_for(user=east_idva)) == [about_case]
    assert set(consultation_list_for(user=make_user("idva_manager"))) == {
        to_idva,
        to_anyone,
        about_case,
    }
    assert list(consultation_list_for(user=make_user("analyst"))) == []


def test_opening_a_consultation_is_audited(make_user: Any, west_case: dict[str, Any]) -> None:
    officer = make_user("joint_team_officer")
    consultation = Consultation.objects.create(
        officer=officer, asked_at=timezone.now(), topic="Bail"
    )
    assert (
        consultation_get_for(user=officer, consultation_id=consultation.public_id) == consultation
    )
    assert_audited("visits.consultation_viewed", action="view", actor=officer, subject=consultation)
    with pytest.raises(RecordNotFound):
        consultation_get_for(
            user=make_user("response_officer"), consultation_id=consultation.public_id
        )
