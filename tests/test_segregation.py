"""SPEC §6: the IDVA's health-side data never reaches a police role — not through a page, the
admin, or the API. Every role is tried against every door; health roles must see it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from provide.accounts.models import User
from provide.accounts.roles import ALL_ROLES
from provide.health.models import HealthAppointment, HealthIdentity, SupportRecord
from tests.cast import HEALTH_SECRETS

NON_HEALTH = [role.slug for role in ALL_ROLES if not role.is_health]
HEALTH = [role.slug for role in ALL_ROLES if role.is_health]


def _pages(case: dict[str, Any]) -> list[str]:
    record: SupportRecord = case["support_record"]
    identity = HealthIdentity.objects.get(person=case["victim"])
    appointment: HealthAppointment = case["appointment"]
    return [
        reverse("web:home"),
        reverse("people:person-detail", args=[case["victim"].public_id]),
        reverse("web:investigation-detail", args=[case["investigation"].public_id]),
        reverse("audit:log"),
        reverse("admin:index"),
        reverse("admin:health_supportrecord_changelist"),
        reverse("admin:health_supportrecord_change", args=[record.pk]),
        reverse("admin:health_healthidentity_change", args=[identity.pk]),
        reverse("admin:health_healthappointment_change", args=[appointment.pk]),
        reverse("admin:people_person_change", args=[case["victim"].pk]),
        reverse("admin:visits_visit_change", args=[case["visit"].pk]),
        "/api/people/",
        f"/api/people/{case['victim'].public_id}/",
        "/api/investigations/",
        "/api/support-records/",
        f"/api/support-records/{record.public_id}/",
        "/api/schema/",
    ]


def _everything_seen_by(user: User, case: dict[str, Any]) -> str:
    client = Client()
    client.force_login(user)
    seen = []
    for url in _pages(case):
        response = client.get(url, follow=True)
        assert response.status_code < 500, url
        seen.append(response.content.decode())
    token, _ = Token.objects.get_or_create(user=user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    for url in _pages(case):
        if url.startswith("/api/"):
            seen.append(api.get(url).content.decode())
    return "\n".join(seen)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", NON_HEALTH)
@pytest.mark.parametrize("secret", sorted(HEALTH_SECRETS))
def test_non_health_roles_never_see_health_side_data(
    slug: str, secret: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    user = make_user(slug)
    assert HEALTH_SECRETS[secret] not in _everything_seen_by(user, west_case)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", NON_HEALTH)
def test_police_roles_get_403_from_the_health_api(slug: str, make_user: Any, west_case: dict[str, Any]) -> None:
    token = Token.objects.create(user=make_user(slug))
    response = Client(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/support-records/")
    assert response.status_code == 403
    assert "health roles only" in response.json()["detail"]


@pytest.mark.django_db
def test_a_police_user_given_health_permissions_by_mistake_still_sees_nothing(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    from django.contrib.auth.models import Permission

    officer = make_user("joint_team_officer")
    officer.user_permissions.add(*Permission.objects.filter(content_type__app_label="health"))
    officer = User.objects.get(pk=officer.pk)  # drop the permission cache
    assert officer.has_perm("health.view_supportrecord")
    assert HEALTH_SECRETS["notes"] not in _everything_seen_by(officer, west_case)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", HEALTH)
def test_health_roles_see_the_idva_notes(slug: str, make_user: Any, west_case: dict[str, Any]) -> None:
    user = make_user(slug)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("people:person-detail", args=[west_case["victim"].public_id])).content.decode()
    assert HEALTH_SECRETS["notes"] in page
    token = Token.objects.create(user=user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/support-records/").json()
    assert api["results"][0]["notes"] == HEALTH_SECRETS["notes"]


@pytest.mark.django_db
def test_shared_joint_fields_are_visible_to_police(make_user: Any, west_case: dict[str, Any]) -> None:
    client = Client()
    client.force_login(make_user("joint_team_officer"))
    page = client.get(reverse("people:person-detail", args=[west_case["victim"].public_id])).content.decode()
    assert "Support accepted" in page and "Engaged" in page


# Labels, not field names: the API schema documents every field's name to everyone.
PREVIOUS_ENGAGEMENT_MARKERS = ("before today, had the victim engaged", "before today, engaged with",
                               "previously engaged")


def _with_previous_engagement(case: dict[str, Any]) -> None:
    record: SupportRecord = case["support_record"]
    record.previously_engaged_investigation = False
    record.previously_engaged_safeguarding = True
    record.save()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", NON_HEALTH)
def test_police_roles_never_see_the_victims_previous_engagement(
    slug: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    """Asked by the IDVA and kept on the health side: not on any page, the visit included."""
    _with_previous_engagement(west_case)
    user = make_user(slug)
    client = Client()
    client.force_login(user)
    visit_page = client.get(reverse("visits:visit-record", args=[west_case["visit"].public_id])).content.decode()
    seen = (_everything_seen_by(user, west_case) + visit_page).lower()
    assert not [marker for marker in PREVIOUS_ENGAGEMENT_MARKERS if marker in seen]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", HEALTH)
def test_health_roles_see_the_victims_previous_engagement(slug: str, make_user: Any, west_case: dict[str, Any]) -> None:
    _with_previous_engagement(west_case)
    user = make_user(slug)
    token = Token.objects.create(user=user)
    row = Client(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/support-records/").json()["results"][0]
    assert (row["previously_engaged_investigation"], row["previously_engaged_safeguarding"]) == (False, True)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("visits:visit-record", args=[west_case["visit"].public_id])).content.decode()
    assert "engaged with a police investigation" in page
