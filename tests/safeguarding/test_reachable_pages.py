"""Protective measures, hand-overs and referrals are reachable from the person page, the visit
page and the safeguarding pages; the "new" pages work without a guessed ?person=."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from provide.audit.models import AuditEvent
from provide.people.models import Person
from provide.safeguarding.models import HandoverTask, Referral
from provide.visits.models import Visit

pytestmark = pytest.mark.django_db

NEW_PAGES = (
    "safeguarding:referral-create",
    "safeguarding:measure-create",
    "safeguarding:handover-create",
)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("url_name", NEW_PAGES)
def test_a_new_page_without_a_victim_asks_which_victim(
    url_name: str, personas: dict[str, Any]
) -> None:
    response = _client(personas["safeguarding_officer"]).get(reverse(url_name))
    assert response.status_code == 200
    assert "Which victim is it for?" in response.content.decode()


@pytest.mark.parametrize("text", ["Westby", "P-W-1", "wb/2026/000001"])
def test_the_victim_picker_finds_by_name_person_or_investigation_reference(
    text: str, personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    url = reverse("safeguarding:measure-create")
    html = _client(personas["safeguarding_officer"]).get(url, {"q": text}).content.decode()
    assert f"{url}?person={west_case['victim'].public_id}" in html
    search = AuditEvent.objects.get(event="safeguarding.victims_searched")  # one event per search
    assert str(west_case["victim"].public_id) in search.changes["records"]


def test_the_victim_picker_stays_in_the_users_bcu(
    personas: dict[str, Any], east_case: dict[str, Any]
) -> None:
    html = (
        _client(personas["joint_team_officer"])
        .get(reverse("safeguarding:handover-create"), {"q": "Eastwood"})
        .content.decode()
    )
    assert "No one in your area matches" in html and str(east_case["victim"].public_id) not in html


def test_an_empty_search_says_what_to_enter(personas: dict[str, Any]) -> None:
    response = _client(personas["safeguarding_officer"]).get(
        reverse("safeguarding:handover-create"), {"q": ""}
    )
    assert (
        response.status_code == 400 and "Enter a name or a reference" in response.content.decode()
    )


def test_a_picked_victim_opens_the_form(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    client = _client(personas["safeguarding_officer"])
    for url_name, words in zip(
        NEW_PAGES, ("Save draft referral", "Record measure", "Hand over"), strict=True
    ):
        html = client.get(
            reverse(url_name), {"person": west_case["victim"].public_id}
        ).content.decode()
        assert words in html and "Alice Westby" in html


def test_hand_over_of_a_person_without_an_investigation_explains(
    personas: dict[str, Any], areas: Any
) -> None:
    stranger = Person.objects.create(given_name="No", family_name="Case", synthetic=True)
    response = _client(personas["safeguarding_officer"]).get(
        reverse("safeguarding:handover-create"), {"person": stranger.public_id}
    )
    assert response.status_code == 200
    assert "has no investigation in your area to hand over" in response.content.decode()


def test_the_person_page_links_to_every_safeguarding_action(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    person = west_case["victim"].public_id
    url = reverse("people:person-detail", args=[person])
    html = _client(personas["safeguarding_officer"]).get(url).content.decode()
    for url_name in NEW_PAGES:
        assert f"{reverse(url_name)}?person={person}" in html
    officer_html = _client(personas["joint_team_officer"]).get(url).content.decode()
    assert f"{reverse('safeguarding:handover-create')}?person={person}" in officer_html
    assert "Add protective measure" not in officer_html  # the joint team cannot record measures


def test_the_visit_page_links_and_lists_what_followed(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    visit: Visit = west_case["visit"]
    Referral.objects.create(
        victim=visit.victim, visit=visit, target="housing", investigation=visit.investigation
    )
    url = reverse("visits:visit-record", args=[visit.public_id])
    html = _client(personas["safeguarding_officer"]).get(url).content.decode()
    for url_name in NEW_PAGES:
        assert f"{reverse(url_name)}?visit={visit.public_id}" in html
    assert "Housing referral" in html and "Draft: add consent and reasons" in html


def test_the_safeguarding_home_and_lists_link_to_the_new_pages(personas: dict[str, Any]) -> None:
    client = _client(personas["safeguarding_officer"])
    home = client.get(reverse("web:home")).content.decode()
    for url_name in NEW_PAGES:
        assert f'href="{reverse(url_name)}"' in home
    assert (
        f'href="{reverse("safeguarding:measure-create")}"'
        in client.get(reverse("safeguarding:measure-list")).content.decode()
    )
    assert (
        f'href="{reverse("safeguarding:handover-create")}"'
        in client.get(reverse("safeguarding:handover-list")).content.decode()
    )
    assert (
        f'href="{reverse("safeguarding:referral-create")}"'
        in client.get(reverse("safeguarding:referral-list")).content.decode()
    )


def test_hand_over_from_the_visit_page_returns_to_the_visit(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    visit = west_case["visit"]
    response = _client(personas["joint_team_officer"]).post(
        reverse("safeguarding:handover-create"),
        {"visit": visit.public_id, "title": "Check the children"},
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "visits:visit-record", args=[visit.public_id]
    )
    assert HandoverTask.objects.get(visit=visit).source == HandoverTask.Source.BY_HAND


def test_a_draft_from_a_visit_is_completed_then_sent(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    officer = personas["joint_team_officer"]
    visit = west_case["visit"]
    draft = Referral.objects.create(
        victim=visit.victim, visit=visit, target="marac", created_by=officer
    )
    client = _client(officer)
    detail = client.get(
        reverse("safeguarding:referral-detail", args=[draft.public_id])
    ).content.decode()
    assert "Before sending: Set out why this case should go to MARAC" in detail
    edit = reverse("safeguarding:referral-edit", args=[draft.public_id])
    assert client.get(edit).status_code == 200
    bad = client.post(edit, {"consent": "not_sought", "victim_aware": "yes", "reasons": ""})
    assert (
        bad.status_code == 400
        and "Set out why this case should go to MARAC" in bad.content.decode()
    )
    client.post(
        edit,
        {"consent": "given", "victim_aware": "yes", "reasons": "Strangulation, threats to kill"},
    )
    client.post(reverse("safeguarding:referral-move", args=[draft.public_id, "send"]))
    draft.refresh_from_db()
    assert (
        draft.status == Referral.Status.SENT and draft.reasons == "Strangulation, threats to kill"
    )
    assert client.get(edit).status_code == 200  # shows the form; the service refuses a change
    refused = client.post(edit, {"consent": "given", "victim_aware": "yes", "reasons": "Changed"})
    assert "Only a draft referral can be changed" in refused.content.decode()


def test_another_officer_cannot_change_someone_elses_draft(
    personas: dict[str, Any], west_case: dict[str, Any], make_user: Any
) -> None:
    visit = west_case["visit"]
    draft = Referral.objects.create(
        victim=visit.victim, visit=visit, target="gp", created_by=personas["health_idva"]
    )
    other = make_user("joint_team_officer", username="other.officer")
    assert (
        _client(other)
        .get(reverse("safeguarding:referral-edit", args=[draft.public_id]))
        .status_code
        == 403
    )
