"""Person pages: the person with what other apps add, safe contact, and the duplicate review."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from provide.people.models import Person, PersonMatch
from provide.visits.models import Visit


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_safe_contact_form_saves_and_re_shows_bad_input(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    victim = west_case["victim"]
    url = reverse("people:person-safe-contact", args=[victim.public_id])
    client = client_for(personas["joint_team_officer"])
    html = client.post(url, {"safe_phone": "call me", "no_sms": "on"}).content.decode()
    assert "Enter a phone number" in html and 'value="call me"' in html
    assert client.post(url, {"safe_phone": "07700 900982", "no_sms": "on"}).status_code == 302
    victim.refresh_from_db()
    assert (victim.safe_phone, victim.no_sms, victim.suspect_may_answer) == (
        "07700 900982",
        True,
        False,
    )


@pytest.mark.django_db
def test_sergeant_merges_a_queued_duplicate(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    victim = west_case["victim"]
    twin = Person.objects.create(force_person_ref="P-W-9", given_name="Alice", family_name="Westby")
    match = PersonMatch.objects.create(
        person=twin, candidate=victim, score=0.85, reasons=["name 1.00"]
    )
    client = client_for(personas["triage_sergeant"])
    assert "Alice Westby" in client.get(reverse("people:match-list")).content.decode()
    url = reverse("people:match-decide", args=[match.public_id])
    assert "Select whether these are the same person" in client.post(url, {}).content.decode()
    assert (
        client.post(url, {"decision": "merge", "reason": "same DOB and address"}).status_code == 302
    )
    twin.refresh_from_db()
    assert twin.merged_into == victim
    merges_url = reverse("people:person-merges", args=[victim.public_id])
    assert "Undo this merge" in client.get(merges_url).content.decode()
    merge = victim.merges_as_survivor.get()
    client.post(
        reverse("people:merge-undo", args=[merge.public_id]), {"reason": "different people"}
    )
    twin.refresh_from_db()
    assert twin.merged_into is None


@pytest.mark.django_db
def test_safe_contact_warning_is_shown_on_the_person_page(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(personas["joint_team_officer"])
    html = client.get(
        reverse("people:person-detail", args=[west_case["victim"].public_id])
    ).content.decode()
    assert "the suspect may answer the phone" in html
    assert "Do not leave messages" in html


@pytest.mark.django_db
def test_urls_use_uuids_never_integer_keys(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(personas["triage_sergeant"])
    assert client.get(f"/people/{west_case['victim'].pk}/").status_code == 404


@pytest.mark.django_db
def test_person_page_offers_a_referral_that_opens_the_referral_form(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(personas["health_idva"])
    html = client.get(
        reverse("people:person-detail", args=[west_case["victim"].public_id])
    ).content.decode()
    link = f"{reverse('safeguarding:referral-create')}?person={west_case['victim'].public_id}"
    assert link in html
    assert client.get(link).status_code == 200
    analyst = Client()
    analyst.force_login(personas["analyst"])
    assert analyst.get(link).status_code in (403, 404)


@pytest.mark.django_db
def test_person_page_shows_each_apps_section_and_the_health_side_to_health_roles_only(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    # Given a victim with an investigation, a joint visit and a health-side tracker row
    url = reverse("people:person-detail", args=[west_case["victim"].public_id])
    # When an officer and an IDVA open her page
    officer = client_for(personas["joint_team_officer"]).get(url).content.decode()
    idva = client_for(personas["health_idva"]).get(url).content.decode()
    # Then both see the investigation (intake) and the visit (visits); only the IDVA the tracker
    for html in (officer, idva):
        assert west_case["investigation"].investigation_ref in html
        assert html.index("Investigations as victim") < html.index(Visit.Mode.POST_INCIDENT.label)
    assert "Health-side record" in idva and "T-1" in idva
    assert "Health-side record" not in officer and "T-1" not in officer


@pytest.mark.parametrize(
    ("old", "name"),
    [
        ("/intake/people/matches/", "people:match-list"),
        ("/intake/people/{match}/", "people:match-decide"),
        ("/intake/people/{person}/safe-contact/", "people:person-safe-contact"),
        ("/intake/people/{person}/merges/", "people:person-merges"),
    ],
)
@pytest.mark.django_db
def test_the_old_intake_addresses_of_person_pages_redirect_to_people(
    old: str, name: str, personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    victim = west_case["victim"]
    twin = Person.objects.create(force_person_ref="P-W-9", given_name="Alice", family_name="Westby")
    match = PersonMatch.objects.create(
        person=twin, candidate=victim, score=0.85, reasons=["name 1.00"]
    )
    old = old.replace("{person}", str(victim.public_id)).replace(
        "{match}", f"matches/{match.public_id}"
    )
    args = {"people:match-list": [], "people:match-decide": [match.public_id]}.get(
        name, [victim.public_id]
    )
    response = client_for(personas["triage_sergeant"]).get(old + "?from=link")
    assert response.status_code == 301
    assert response["Location"] == reverse(name, args=args) + "?from=link"


@pytest.mark.django_db
def test_the_safe_contact_page_refuses_times_it_cannot_read_and_keeps_what_was_typed(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    victim = west_case["victim"]
    client = Client()
    client.force_login(personas["health_idva"])
    url = reverse("people:person-safe-contact", args=[victim.public_id])
    form = {"safe_phone": "07700 900123", "safe_contact_times": "after 6"}
    response = client.post(url, form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Provide cannot read" in html and 'value="after 6"' in html
    victim.refresh_from_db()
    assert victim.safe_contact_times == ""
    client.post(url, {**form, "safe_contact_times": "weekdays 09:00-12:00"})
    page = client.get(url).content.decode()
    assert "Monday to Friday, 09:00 to 12:00" in page


@pytest.mark.django_db
def test_availability_is_added_on_the_page_and_a_refusal_is_shown_on_the_field(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    import datetime as dt

    from django.utils import timezone

    victim = west_case["victim"]
    client = Client()
    client.force_login(personas["health_idva"])
    add = reverse("people:person-availability-add", args=[victim.public_id])
    day = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    refused = client.post(add, {"on_date": day, "starts": "12:00", "ends": "11:00"})
    assert (
        refused.status_code == 400 and "The end must be after the start" in refused.content.decode()
    )
    assert not victim.availability.exists()
    added = client.post(add, {"on_date": day, "starts": "10:00", "ends": "11:00"})
    assert added.status_code == 302 and victim.availability.count() == 1
    analyst = Client()
    analyst.force_login(personas["analyst"])
    assert (
        analyst.post(add, {"on_date": day, "starts": "10:00", "ends": "11:00"}).status_code == 403
    )
