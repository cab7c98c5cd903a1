"""Visit recording on a phone and the consultation log.

The visit form: shared facts, the police section for police roles, the health section for
health roles, drafts kept while typing, and both versions shown when someone else saved the
same answer first. The consultation log (deployment mode 3): an officer records asking an
IDVA for advice — who, when, topic, advice — in a couple of clicks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse

from provide.audit.models import AuditEvent
from provide.health.models import SupportRecord
from provide.safeguarding.visit_referrals import handover_from_visit
from provide.visits.models import Consultation, PoliceVisitRecord, Visit
from provide.visits.views import BASE_SALT
from tests.audit_assertions import assert_audited, assert_records_read
from tests.visits.formdata import form_data, with_changes

pytestmark = pytest.mark.django_db


def _url(visit: Visit) -> str:
    return reverse("visits:visit-record", args=[visit.public_id])


def _open(client: Any, visit: Visit, **query: str) -> tuple[str, dict[str, list[str]]]:
    response = client.get(_url(visit), query)
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


def test_the_arrived_button_records_now_when_no_time_was_typed(
    client_for: Any, planned_visit: Visit
) -> None:
    client = client_for("joint_team_officer")
    _, data = _open(client, planned_visit)
    now = dt.datetime(2026, 6, 14, 9, 30, 41, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        response = client.post(_url(planned_visit), {**data, "action": "arrived"}, follow=True)
    assert "Arrival recorded" in response.content.decode()
    planned_visit.refresh_from_db()
    assert planned_visit.arrived_at == now.replace(second=0)


def test_a_typed_arrival_is_kept_when_arrived_is_pressed(
    client_for: Any, planned_visit: Visit
) -> None:
    client = client_for("joint_team_officer")
    _, data = _open(client, planned_visit)
    data = with_changes(data, shared__arrived_at="14/06/2026 09:05")
    with time_machine.travel(dt.datetime(2026, 6, 14, 9, 30, tzinfo=dt.UTC), tick=False):
        client.post(_url(planned_visit), {**data, "action": "arrived"})
    planned_visit.refresh_from_db()
    assert planned_visit.arrived_at == dt.datetime(2026, 6, 14, 8, 5, tzinfo=dt.UTC)  # BST


def test_saving_a_draft_says_so_and_stays_on_the_visit(
    client_for: Any, planned_visit: Visit
) -> None:
    client = client_for("health_idva")
    _, data = _open(client, planned_visit)
    response = client.post(
        _url(planned_visit),
        {**with_changes(data, health__notes="So far"), "action": "save"},
        follow=True,
    )
    assert response.redirect_chain == [(_url(planned_visit), 302)]
    assert "Draft saved" in response.content.decode()
    assert SupportRecord.objects.get(visit=planned_visit).record_status == "draft"


def test_a_base_that_fails_its_signature_is_not_trusted(
    client_for: Any, planned_visit: Visit
) -> None:
    """With its signed base a stale form merges (test_concurrency.py); with a forged one every
    field that differs from the stored visit is shown as a conflict instead of overwritten."""
    officer, idva = client_for("joint_team_officer"), client_for("health_idva")
    _, officer_form = _open(officer, planned_visit)
    _, idva_form = _open(idva, planned_visit)
    idva.post(
        _url(planned_visit), {**with_changes(idva_form, shared__place_type="gp"), "action": "save"}
    )
    forged = with_changes(officer_form, shared__contact_result="engaged")
    forged["base"] = [signing.dumps({"shared": {"place_type": ""}}, salt="another-salt")]
    response = officer.post(_url(planned_visit), {**forged, "action": "save"})
    assert response.status_code == 409
    assert "Keep Health Persona’s: GP surgery" in response.content.decode()
    planned_visit.refresh_from_db()
    assert (planned_visit.place_type, planned_visit.contact_result) == ("gp", "")


def test_a_form_whose_version_is_unreadable_is_merged_against_its_base(
    client_for: Any, planned_visit: Visit
) -> None:
    client = client_for("joint_team_officer")
    _, data = _open(client, planned_visit)
    data = with_changes(data, shared__contact_result="declined", lock_version="two")
    assert client.post(_url(planned_visit), {**data, "action": "save"}).status_code == 302
    planned_visit.refresh_from_db()
    assert planned_visit.contact_result == "declined" and planned_visit.lock_version == 2


def test_taking_their_value_needs_their_value_signed(client_for: Any, planned_visit: Visit) -> None:
    officer, idva = client_for("joint_team_officer"), client_for("health_idva")
    _, officer_form = _open(officer, planned_visit)
    _, idva_form = _open(idva, planned_visit)
    officer.post(
        _url(planned_visit),
        {**with_changes(officer_form, shared__contact_result="engaged"), "action": "save"},
    )
    html = idva.post(
        _url(planned_visit),
        {**with_changes(idva_form, shared__contact_result="declined"), "action": "save"},
    ).content.decode()
    screen = form_data(html)
    screen["theirs"] = [signing.dumps({"shared-contact_result": ["unsafe"]}, salt="another-salt")]
    response = idva.post(
        _url(planned_visit),
        {**screen, "resolve-shared-contact_result": "theirs", "action": "save"},
    )
    assert response.status_code == 302, "the forged value is ignored: the IDVA's own is kept"
    planned_visit.refresh_from_db()
    assert planned_visit.contact_result == "declined"
    assert signing.loads(form_data(html)["theirs"][0], salt=BASE_SALT) == {
        "shared-contact_result": ["engaged"]
    }


def test_a_follow_up_that_needs_action_is_shown_after_saving(
    client_for: Any, west_case: dict[str, Any]
) -> None:
    from provide.safeguarding.models import Referral

    client = client_for("joint_team_officer")
    visit = west_case["visit"]
    visit.referrals_made = ["marac", "housing"]
    visit.save()
    handover_from_visit(user=client.user, visit=visit)
    Referral.objects.filter(visit=visit, target="marac").update(status=Referral.Status.SENT)
    _, data = _open(client, visit, amend="1")  # the visit is finished: amend it
    response = client.post(
        _url(visit),
        {**with_changes(data, shared__referrals_made=["housing"]), "action": "save"},
        follow=True,
    )
    assert (
        "MARAC referral: No longer ticked on the visit, but this referral was already sent"
        in response.content.decode()
    )


def test_autosave_refuses_other_roles_unknown_visits_and_reads(
    client_for: Any, planned_visit: Visit
) -> None:
    url = reverse("visits:visit-autosave", args=[planned_visit.public_id])
    sergeant = client_for("triage_sergeant")
    assert sergeant.post(url, {"shared-contact_result": "engaged"}).status_code == 403
    officer = client_for("joint_team_officer")
    assert officer.get(url).status_code == 405
    unknown = reverse("visits:visit-autosave", args=["00000000-0000-0000-0000-000000000000"])
    assert officer.post(unknown, {"lock_version": "1"}).status_code == 404
    planned_visit.refresh_from_db()
    assert planned_visit.lock_version == 1 and planned_visit.contact_result == ""


def test_only_the_joint_team_starts_visits(client_for: Any, west_case: dict[str, Any]) -> None:
    assert client_for("triage_sergeant").get(reverse("visits:visit-start")).status_code == 403
    officer = client_for("joint_team_officer")
    assert "Investigation reference" in officer.get(reverse("visits:visit-start")).content.decode()
    response = officer.post(reverse("visits:visit-start"), {"mode": "live"})
    assert "Enter the investigation reference" in response.content.decode()
    assert Visit.objects.count() == 1  # west_case's own


def test_the_visit_list_is_for_roles_that_see_visits_and_audits_what_it_lists(
    client_for: Any, planned_visit: Visit, west_case: dict[str, Any]
) -> None:
    assert client_for("analyst").get(reverse("visits:visit-list")).status_code == 403
    idva = client_for("health_idva")
    idva.get(reverse("visits:visit-list"))
    assert_records_read(
        "visits.visit_listed", pages=[[planned_visit, west_case["visit"]]], actor=idva.user
    )


# --- the consultation log ------------------------------------------------------------------


def test_an_officer_logs_a_consultation_in_one_form(
    client_for: Any, west_case: dict[str, Any]
) -> None:
    idva_client = client_for("health_idva")
    officer = client_for("response_officer")
    page = officer.get(reverse("visits:consultation-new")).content.decode()
    assert "Health Persona" in page  # the IDVAs of the officer's area are offered
    response = officer.post(
        reverse("visits:consultation-new"),
        {
            "topic": "Risk and safety",
            "detail": "strangulation disclosed",
            "idva": idva_client.user.pk,
            "investigation_ref": "WB/2026/000001",
            "advice": "Refer to MARAC today",
        },
        follow=True,
    )
    assert "Consultation logged" in response.content.decode()
    consultation = Consultation.objects.get()
    assert consultation.officer == officer.user and consultation.idva == idva_client.user
    assert consultation.topic == "Risk and safety: strangulation disclosed"
    assert (
        consultation.investigation == west_case["investigation"]
        and consultation.asked_at is not None
    )
    assert_audited(
        "visits.consultation_logged", action="create", actor=officer.user, subject=consultation
    )


def test_only_the_topic_is_needed(client_for: Any, west_case: dict[str, Any]) -> None:
    officer = client_for("joint_team_officer")
    response = officer.post(reverse("visits:consultation-new"), {"topic": "Other"})
    assert response.status_code == 302 and Consultation.objects.get().topic == "Other"


def test_a_missing_topic_or_unknown_reference_is_re_shown(
    client_for: Any, west_case: dict[str, Any]
) -> None:
    officer = client_for("response_officer")
    response = officer.post(reverse("visits:consultation-new"), {"advice": "typed advice"})
    html = response.content.decode()
    assert (
        response.status_code == 400
        and "Select what you asked about" in html
        and "typed advice" in html
    )
    response = officer.post(
        reverse("visits:consultation-new"),
        {"topic": "Other", "investigation_ref": "EB/2026/000001"},
    )
    assert "No investigation in your area has that reference" in response.content.decode()
    assert not Consultation.objects.exists()


def test_the_idva_asked_adds_the_advice(client_for: Any, west_case: dict[str, Any]) -> None:
    officer, idva = client_for("response_officer"), client_for("health_idva")
    officer.post(reverse("visits:consultation-new"), {"topic": "Other", "idva": idva.user.pk})
    consultation = Consultation.objects.get()
    url = reverse("visits:consultation-detail", args=[consultation.public_id])
    assert "Save the advice" not in officer.get(url).content.decode()
    assert officer.post(url, {"advice": "officer edits"}).status_code == 403
    assert idva.post(url, {"advice": ""}).status_code == 400
    idva.post(url, {"advice": "Offer an IDVA referral with consent"})
    consultation.refresh_from_db()
    assert consultation.advice == "Offer an IDVA referral with consent"
    assert_audited(
        "visits.consultation_advised", action="update", actor=idva.user, subject=consultation
    )


def test_officers_see_their_own_consultations_and_idvas_those_asked_of_them(
    client_for: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    first, idva = client_for("response_officer"), client_for("health_idva")
    first.post(
        reverse("visits:consultation-new"),
        {"topic": "Other", "detail": "FIRST-ASK", "idva": idva.user.pk},
    )
    other = make_user("joint_team_officer", username="other.officer")
    from django.test import Client

    other_client = Client()
    other_client.force_login(other)
    assert "FIRST-ASK" not in other_client.get(reverse("visits:consultation-list")).content.decode()
    assert "FIRST-ASK" in idva.get(reverse("visits:consultation-list")).content.decode()


def test_roles_without_the_log_cannot_reach_it(client_for: Any) -> None:
    assert client_for("analyst").get(reverse("visits:consultation-list")).status_code == 403
    assert client_for("health_idva").get(reverse("visits:consultation-new")).status_code == 403


def test_listing_consultations_is_audited_naming_each_one(
    client_for: Any, west_case: dict[str, Any]
) -> None:
    officer = client_for("response_officer")
    for topic in ("Other", "Risk and safety"):
        officer.post(reverse("visits:consultation-new"), {"topic": topic})
    listed = list(Consultation.objects.order_by("-asked_at"))
    html = officer.get(reverse("visits:consultation-list")).content.decode()
    assert "Risk and safety" in html and "Log a consultation" in html
    assert_records_read("visits.consultations_listed", pages=[listed], actor=officer.user)


def test_the_idvas_offered_are_the_active_ones_of_the_officers_area(
    client_for: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    west = make_user("health_idva", username="west.idva")
    make_user("health_idva", bcu="east", username="east.idva")
    gone = make_user("health_idva", username="gone.idva")
    gone.is_active = False
    gone.save()
    form = client_for("response_officer").get(reverse("visits:consultation-new")).context["form"]
    assert list(form.fields["idva"].queryset) == [west]


def test_an_officer_without_a_bcu_is_offered_every_idva(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    west = make_user("health_idva", username="west.idva")
    east = make_user("health_idva", bcu="east", username="east.idva")
    officer = make_user("response_officer", bcu=None, username="force.officer")
    client = Client()
    client.force_login(officer)
    form = client.get(reverse("visits:consultation-new")).context["form"]
    assert set(form.fields["idva"].queryset) == {west, east}


def test_a_consultation_outside_the_users_view_is_not_found(
    client_for: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    client_for("response_officer").post(reverse("visits:consultation-new"), {"topic": "Other"})
    consultation = Consultation.objects.get()
    url = reverse("visits:consultation-detail", args=[consultation.public_id])
    other = make_user("joint_team_officer", username="other.officer")
    client = Client()
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url, {"advice": "x"}).status_code == 404
    unknown = reverse("visits:consultation-detail", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for("response_officer").get(unknown).status_code == 404
    assert not AuditEvent.objects.filter(event="visits.consultation_viewed").exists()


def _finished_by_officer(client: Any, visit: Visit) -> None:
    _, data = _open(client, visit)
    data = with_changes(
        data,
        shared__arrived_at="2026-03-10T09:00",
        shared__contact_result="engaged",
        shared__place_type="home",
        police__safety_actions="Alarm fitted",
    )
    response = client.post(_url(visit), {**data, "action": "finish"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.record_status == "complete"


def test_a_finished_visit_reopens_read_only_with_an_amend_action(
    client_for: Any, planned_visit: Visit
) -> None:
    officer = client_for("joint_team_officer")
    _finished_by_officer(officer, planned_visit)
    html, data = _open(officer, planned_visit)
    assert data == {}, "no editable form once the visit is finished"
    assert "Finish and record the visit" not in html and "Save draft" not in html
    assert "Alarm fitted" in html, "the police side reads back to police roles"
    assert f'href="{_url(planned_visit)}?amend=1"' in html and "Amend this visit" in html
    assert not AuditEvent.objects.filter(event="visits.visit_amend_opened").exists()


def test_amending_a_finished_visit_is_audited_and_keeps_it_finished(
    client_for: Any, planned_visit: Visit
) -> None:
    officer = client_for("joint_team_officer")
    _finished_by_officer(officer, planned_visit)
    html, data = _open(officer, planned_visit, amend="1")
    assert_audited(
        "visits.visit_amend_opened", action="view", actor=officer.user, subject=planned_visit
    )
    assert data["amend"] == ["1"] and "police-safety_actions" in data
    assert "Finish and record the visit" not in html and "Save the amendment" in html
    data = with_changes(data, police__safety_actions="Alarm fitted; refuge place offered")
    response = officer.post(_url(planned_visit), {**data, "action": "save"}, follow=True)
    assert "Amendment saved" in response.content.decode()
    planned_visit.refresh_from_db()
    assert planned_visit.record_status == "complete"
    police = PoliceVisitRecord.objects.get(visit=planned_visit)
    assert police.safety_actions == "Alarm fitted; refuge place offered"
    assert form_data(officer.get(_url(planned_visit)).content.decode()) == {}, "read-only again"


def test_amend_keeps_the_conflict_screen_when_someone_saved_first(
    client_for: Any, planned_visit: Visit
) -> None:
    officer = client_for("joint_team_officer")
    _finished_by_officer(officer, planned_visit)
    _, data = _open(officer, planned_visit, amend="1")
    idva = client_for("health_idva")
    _, theirs = _open(idva, planned_visit, amend="1")
    idva.post(_url(planned_visit), {**with_changes(theirs, shared__place_type="gp")})
    mine = with_changes(data, shared__place_type="hospital")
    response = officer.post(_url(planned_visit), {**mine, "action": "save"})
    assert response.status_code == 409
    assert form_data(response.content.decode())["amend"] == ["1"], "still amending"
    planned_visit.refresh_from_db()
    assert planned_visit.place_type == "gp" and planned_visit.record_status == "complete"


def test_roles_that_may_not_edit_get_no_amend(client_for: Any, planned_visit: Visit) -> None:
    _finished_by_officer(client_for("joint_team_officer"), planned_visit)
    sergeant = client_for("triage_sergeant")
    html, data = _open(sergeant, planned_visit, amend="1")
    assert "Amend this visit" not in html and data == {}
    assert not AuditEvent.objects.filter(event="visits.visit_amend_opened").exists()
