"""Reads of the health-side record: health roles only, by BCU, every read audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.health.models import SupportRecord, TrackerUpload
from provide.health.selectors import (
    appointment_windows_for,
    nhs_number_for,
    support_record_for_visit,
    support_record_list_for,
    tracker_search_for,
    tracker_summary_for,
    tracker_upload_get_for,
)
from tests.audit_assertions import assert_audited
from tests.cast import HEALTH_SECRETS

pytestmark = pytest.mark.django_db
NOT_HEALTH = [
    "response_officer",
    "triage_sergeant",
    "joint_team_officer",
    "safeguarding_officer",
    "analyst",
    "administrator",
]


@pytest.mark.parametrize("slug", NOT_HEALTH)
def test_every_read_is_empty_for_roles_outside_health(
    slug: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    user, victim, appointment = make_user(slug), west_case["victim"], west_case["appointment"]
    assert list(support_record_list_for(user=user)) == []
    assert support_record_for_visit(user=user, visit=west_case["visit"]) is None
    assert tracker_search_for(user=user, text="Westby") == []
    assert (
        appointment_windows_for(
            user=user,
            person_ids=[victim.public_id],
            start=appointment.starts_at,
            end=appointment.ends_at,
        )
        == []
    )
    assert nhs_number_for(user=user, person=victim) == ""


def test_records_are_limited_to_the_idvas_bcu(make_user: Any, west_case: dict[str, Any]) -> None:
    assert [r.tracker_id for r in support_record_list_for(user=make_user("health_idva"))] == ["T-1"]
    east_idva = make_user("health_idva", bcu="east", username="east.idva")
    assert list(support_record_list_for(user=east_idva)) == []
    assert [r.tracker_id for r in support_record_list_for(user=make_user("idva_manager"))] == [
        "T-1"
    ]


def test_the_summary_counts_known_and_accepted_answers(
    make_user: Any, west_case: dict[str, Any], areas: dict[str, Any]
) -> None:
    record = west_case["support_record"]
    SupportRecord.objects.create(
        tracker_id="T-2",
        bcu=areas["west"],
        idva_visit_at=record.idva_visit_at,
        idva_support_offered=True,
        idva_support_accepted=False,
        prosecution_support_accepted=True,
    )
    manager = make_user("idva_manager")
    summary = tracker_summary_for(user=manager, since=record.idva_visit_at - dt.timedelta(days=1))
    assert summary == {
        "rows": 2,
        "offered": 1,
        "accepted": 1,
        "known": 2,
        "prosecution_accepted": 1,
        "prosecution_known": 1,
    }
    later = tracker_summary_for(user=manager, since=record.idva_visit_at + dt.timedelta(hours=1))
    assert later["rows"] == 0


def test_opening_the_record_of_a_visit_is_audited(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    idva = make_user("health_idva")
    record = support_record_for_visit(user=idva, visit=west_case["visit"])
    assert record == west_case["support_record"]
    assert_audited("health.support_record_viewed", action="view", actor=idva, subject=record)


@pytest.mark.parametrize(
    "term", ["T-1", "t-1", "wb/2026/000001", "westby", "Alic", "P-W-1", "  T-1  "]
)
def test_search_finds_a_row_by_id_reference_or_name_and_audits_each_found(
    term: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    idva = make_user("health_idva")
    SupportRecord.objects.filter(tracker_id="T-1").update(investigation_ref="WB/2026/000001")
    assert [r.tracker_id for r in tracker_search_for(user=idva, text=term)] == ["T-1"]
    assert_audited(
        "health.support_record_found",
        action="view",
        actor=idva,
        subject=west_case["support_record"],
    )


def test_a_blank_search_finds_nothing_and_a_partial_id_does_not_match(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    idva = make_user("health_idva")
    assert tracker_search_for(user=idva, text="   ") == []
    assert tracker_search_for(user=idva, text="T-") == []


def test_appointment_windows_overlap_the_period_and_are_audited(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    idva, victim, appointment = (
        make_user("health_idva"),
        west_case["victim"],
        west_case["appointment"],
    )
    (window,) = appointment_windows_for(
        user=idva,
        person_ids=[victim.public_id],
        start=appointment.starts_at + dt.timedelta(minutes=59),
        end=appointment.ends_at + dt.timedelta(days=1),
    )
    assert (window.person_id, window.starts_at, window.location_name) == (
        victim.public_id,
        appointment.starts_at,
        HEALTH_SECRETS["appointment"],
    )
    assert_audited("health.appointment_window_read", action="view", actor=idva, subject=appointment)
    touching = appointment_windows_for(
        user=idva,
        person_ids=[victim.public_id],
        start=appointment.ends_at,
        end=appointment.ends_at + dt.timedelta(hours=1),
    )
    assert touching == []
    assert (
        appointment_windows_for(
            user=idva, person_ids=[], start=appointment.starts_at, end=appointment.ends_at
        )
        == []
    )


def test_an_upload_is_found_only_by_its_uploader(make_user: Any, areas: dict[str, Any]) -> None:
    manager = make_user("idva_manager")
    upload = TrackerUpload.objects.create(
        uploaded_by=manager, file_name="t.csv", content=b"x", mapping={}, summary={}
    )
    assert tracker_upload_get_for(user=manager, upload_id=upload.public_id) == upload
    assert (
        tracker_upload_get_for(
            user=make_user("idva_manager", username="other.manager"), upload_id=upload.public_id
        )
        is None
    )
    assert tracker_upload_get_for(user=manager, upload_id="not-a-uuid") is None


def test_the_nhs_number_is_shown_to_health_roles_and_audited(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    idva, victim = make_user("health_idva"), west_case["victim"]
    assert nhs_number_for(user=idva, person=victim) == HEALTH_SECRETS["nhs_number"]
    assert_audited("health.nhs_number_viewed", action="view", actor=idva, subject=victim)
    assert nhs_number_for(user=idva, person=west_case["investigation"].suspect) == ""
