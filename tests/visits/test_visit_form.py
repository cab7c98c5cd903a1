"""The visit form the joint team fills in on a phone: shared facts, the police section for
police roles, the health section for health roles, drafts kept while typing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from provide.audit.models import AuditEvent
from provide.health.models import SupportRecord
from provide.visits.models import PoliceVisitRecord, Visit
from tests.audit_assertions import assert_audited
from tests.visits.formdata import form_data, with_changes

pytestmark = pytest.mark.django_db


def _url(visit: Visit) -> str:
    return reverse("visits:visit-record", args=[visit.public_id])


def _open(client: Any, visit: Visit) -> tuple[str, dict[str, list[str]]]:
    response = client.get(_url(visit))
    assert response.status_code == 200
    html = response.content.decode()
    return html, form_data(html)


def test_officer_sees_the_police_section_and_not_the_health_section(
    client_for: Any, planned_visit: Visit
) -> None:
    html, data = _open(client_for("joint_team_officer"), planned_visit)
    assert "Police record" in html and "Health record (IDVA)" not in html
    assert "police-safety_actions" in data and not any(k.startswith("health-") for k in data)


def test_idva_sees_the_health_section_and_not_the_police_section(
    client_for: Any, planned_visit: Visit
) -> None:
    html, data = _open(client_for("health_idva"), planned_visit)
    assert "Health record (IDVA)" in html and "Police record" not in html
    assert "health-notes" in data and not any(k.startswith("police-") for k in data)


def test_opening_a_visit_is_audited(client_for: Any, planned_visit: Visit) -> None:
    officer = client_for("joint_team_officer")
    _open(officer, planned_visit)
    assert_audited("visits.visit_viewed", action="view", actor=officer.user, subject=planned_visit)


def test_officer_records_arrival_then_finishes_the_visit(
    client_for: Any, planned_visit: Visit
) -> None:
    client = client_for("joint_team_officer")
    _, data = _open(client, planned_visit)
    response = client.post(_url(planned_visit), {**data, "action": "arrived"})
    assert response.status_code == 302
    planned_visit.refresh_from_db()
    assert planned_visit.arrived_at is not None and planned_visit.record_status == "draft"
    _, data = _open(client, planned_visit)
    data = with_changes(
        data,
        shared__contact_result="engaged",
        shared__place_type="home",
        shared__suspect_present="no",
        police__evidence_gathered="yes",
        police__body_worn_video="yes",
        police__safety_actions="Alarm fitted",
        shared__referrals_made=["marac", "housing"],
    )
    response = client.post(_url(planned_visit), {**data, "action": "finish"}, follow=True)
    assert "Visit recorded" in response.content.decode()
    planned_visit.refresh_from_db()
    assert planned_visit.record_status == "complete"
    assert planned_visit.contact_result == "engaged" and planned_visit.suspect_present is False
    assert sorted(planned_visit.referrals_made) == ["housing", "marac"]
    police = PoliceVisitRecord.objects.get(visit=planned_visit)
    assert police.evidence_gathered is True and police.safety_actions == "Alarm fitted"
    assert police.statement_taken is None  # "Not known" stays unknown, not "no"
    events = set(
        AuditEvent.objects.filter(object_id=str(planned_visit.public_id)).values_list(
            "event", flat=True
        )
    )
    assert {"visits.visit_updated", "visits.police_record_created"} <= events


def test_finishing_without_arrival_re_shows_what_was_typed_with_the_problem_marked(
    client_for: Any, planned_visit: Visit
) -> None:
    client = client_for("joint_team_officer")
    _, data = _open(client, planned_visit)
    data = with_changes(data, police__safety_actions="Typed on the doorstep")
    response = client.post(_url(planned_visit), {**data, "action": "finish"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and "Enter the time you arrived" in html
    assert 'href="#id_shared-arrived_at"' in html and "Select the contact result" in html
    assert "Typed on the doorstep" in html
    planned_visit.refresh_from_db()
    assert planned_visit.record_status == "planned"


def test_a_badly_typed_time_is_re_shown_with_its_error(
    client_for: Any, planned_visit: Visit
) -> None:
    client = client_for("joint_team_officer")
    _, data = _open(client, planned_visit)
    response = client.post(
        _url(planned_visit),
        {**with_changes(data, shared__arrived_at="yesterday-ish"), "action": "save"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="yesterday-ish"' in html and "Enter the arrival time as a date and time" in html


def test_idva_records_the_health_side_and_the_shared_fact_follows(
    client_for: Any, planned_visit: Visit
) -> None:
    client = client_for("health_idva")
    _, data = _open(client, planned_visit)
    data = with_changes(
        data,
        shared__arrived_at="2026-01-10T10:15",
        shared__contact_result="engaged",
        health__idva_support_offered="yes",
        health__idva_support_accepted="yes",
        health__prosecution_support_offered="yes",
        health__prosecution_support_accepted="no",
        health__engaged_safeguarding="yes",
        health__services=["safety_planning", "emotional_support"],
        health__notes="Private note",
    )
    response = client.post(_url(planned_visit), {**data, "action": "finish"})
    assert response.status_code == 302
    record = SupportRecord.objects.get(visit=planned_visit)
    assert record.idva_support_accepted is True and record.prosecution_support_accepted is False
    assert record.engaged_investigation is None
    assert sorted(record.services) == ["emotional_support", "safety_planning"]
    assert record.notes == "Private note" and record.record_status == "complete"
    assert record.investigation_ref == "WB/2026/000001" and record.bcu.name == "West"
    planned_visit.refresh_from_db()
    assert planned_visit.support_accepted is True  # the shared fact police may see
    event = AuditEvent.objects.get(event="health.support_record_created")
    assert "Private note" not in str(event.changes)  # the audit log names fields, not health values


def test_accepting_support_that_was_not_offered_is_refused(
    client_for: Any, planned_visit: Visit
) -> None:
    client = client_for("health_idva")
    _, data = _open(client, planned_visit)
    data = with_changes(
        data, health__idva_support_offered="no", health__idva_support_accepted="yes"
    )
    response = client.post(_url(planned_visit), {**data, "action": "save"})
    assert response.status_code == 400
    assert "Support cannot be accepted if it was not offered" in response.content.decode()
    assert not SupportRecord.objects.filter(visit=planned_visit).exists()


def test_health_fields_posted_by_an_officer_are_not_saved(
    client_for: Any, planned_visit: Visit
) -> None:
    client = client_for("joint_team_officer")
    _, data = _open(client, planned_visit)
    data = with_changes(data, health__notes="officer tries", health__idva_support_accepted="yes")
    client.post(_url(planned_visit), {**data, "action": "save"})
    assert not SupportRecord.objects.filter(visit=planned_visit).exists()


def test_roles_without_recording_rights_see_a_read_only_page(
    client_for: Any, planned_visit: Visit
) -> None:
    client = client_for("triage_sergeant")
    html, data = _open(client, planned_visit)
    assert "Finish and record the visit" not in html and data == {}
    assert client.post(_url(planned_visit), {"action": "save"}).status_code == 403


def test_visits_outside_the_users_area_are_not_found(
    make_user: Any, client_for: Any, planned_visit: Visit
) -> None:
    from django.test import Client

    east_officer = make_user("joint_team_officer", bcu="east", username="east.officer")
    client = Client()
    client.force_login(east_officer)
    assert client.get(_url(planned_visit)).status_code == 404


def test_autosave_keeps_a_draft_and_hands_back_the_new_version(
    client_for: Any, planned_visit: Visit
) -> None:
    client = client_for("joint_team_officer")
    _, data = _open(client, planned_visit)
    response = client.post(
        reverse("visits:visit-autosave", args=[planned_visit.public_id]),
        with_changes(data, police__safety_actions="typing..."),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Draft saved" in html
    assert 'hx-swap-oob="true"' in html and 'name="lock_version" value="2"' in html
    planned_visit.refresh_from_db()
    assert planned_visit.record_status == "draft" and planned_visit.lock_version == 2
    assert PoliceVisitRecord.objects.get(visit=planned_visit).safety_actions == "typing..."


def test_autosave_with_a_bad_value_saves_nothing_and_says_why(
    client_for: Any, planned_visit: Visit
) -> None:
    client = client_for("joint_team_officer")
    _, data = _open(client, planned_visit)
    response = client.post(
        reverse("visits:visit-autosave", args=[planned_visit.public_id]),
        with_changes(data, shared__arrived_at="31/02/2026 10:00"),
    )
    assert "Not saved" in response.content.decode()
    planned_visit.refresh_from_db()
    assert planned_visit.lock_version == 1


def test_the_form_is_wired_for_htmx_autosave(client_for: Any, planned_visit: Visit) -> None:
    html, _ = _open(client_for("joint_team_officer"), planned_visit)
    assert f'hx-post="/visits/{planned_visit.public_id}/autosave/"' in html
    assert 'hx-trigger="change delay:1s' in html and 'aria-live="polite"' in html


def test_starting_a_visit_from_an_investigation_reference(
    client_for: Any, west_case: dict[str, Any]
) -> None:
    client = client_for("joint_team_officer")
    response = client.post(
        reverse("visits:visit-start"),
        {"investigation_ref": "wb/2026/000001", "mode": "post-incident"},
    )
    visit = Visit.objects.get(record_status="planned")
    assert response.status_code == 302 and response["Location"] == _url(visit)
    assert visit.victim == west_case["victim"]
    response = client.post(
        reverse("visits:visit-start"), {"investigation_ref": "EB/2026/000001", "mode": "live"}
    )
    assert "No investigation in your area has that reference" in response.content.decode()


def test_visit_list_shows_drafts_to_finish_later(client_for: Any, planned_visit: Visit) -> None:
    planned_visit.record_status = "draft"
    planned_visit.save()
    html = client_for("health_idva").get(reverse("visits:visit-list")).content.decode()
    assert (
        "To record (planned and drafts)" in html and _url(planned_visit) in html and "Draft" in html
    )


def test_listing_visits_is_audited_in_the_page_and_the_api(
    client_for: Any, planned_visit: Visit
) -> None:
    client = client_for("joint_team_officer")
    client.get(reverse("visits:visit-list"))
    client.get("/api/visits/")
    listed = AuditEvent.objects.filter(
        event="visits.visit_listed"
    )  # one event per request, naming each visit
    assert listed.count() == 2
    assert all(str(planned_visit.public_id) in event.changes["records"] for event in listed)
