"""The retention page and its downloads, as every role sees them."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from provide.accounts.models import User
from provide.accounts.roles import ALL_ROLES
from provide.people.models import Person
from provide.retention.models import LegalHold
from tests.cast import HEALTH_SECRETS

pytestmark = pytest.mark.django_db
NON_HEALTH = [role.slug for role in ALL_ROLES if not role.is_health]
MANAGERS = {"administrator", "idva_manager"}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _zip_text(content: bytes) -> str:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return "\n".join(archive.read(name).decode() for name in archive.namelist())


@pytest.mark.parametrize("slug", [role.slug for role in ALL_ROLES])
def test_only_the_two_managers_open_the_page(slug: str, make_user: Any) -> None:
    response = _client(make_user(slug)).get(reverse("retention:overview"))
    assert response.status_code == (200 if slug in MANAGERS else 403)


def test_the_administrator_sees_the_police_side_and_the_idva_manager_the_health_side(
    personas: dict[str, User], west_case: dict[str, Any]
) -> None:
    police = _client(personas["administrator"]).get(reverse("retention:overview")).content.decode()
    assert "MoPI group 1" in police and "Investigations" in police and "NHS numbers" not in police
    health = _client(personas["idva_manager"]).get(reverse("retention:overview")).content.decode()
    assert "NHS numbers" in health and "Investigations" not in health and "MoPI" not in health


@pytest.mark.parametrize("slug", NON_HEALTH)
def test_non_health_roles_never_get_health_side_data_from_retention(
    slug: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    client = _client(make_user(slug))
    victim = west_case["victim"]
    seen = [client.get(reverse("retention:overview")).content.decode()]
    response = client.post(reverse("retention:subject-access"), {"person": str(victim.public_id)})
    if slug == "administrator":
        assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        seen.append(_zip_text(response.content))
        assert "Alice" in seen[-1]  # the police export is there, without the health side
    else:
        assert response.status_code == 403
    extract = client.get(reverse("retention:analyst-extract"))
    assert extract.status_code == (200 if slug == "analyst" else 403)
    if extract.status_code == 200:
        seen.append(_zip_text(extract.content))
    everything = "\n".join(seen)
    assert [secret for secret in HEALTH_SECRETS.values() if secret in everything] == []


def test_the_idva_manager_exports_the_health_side_found_by_nhs_number(
    personas: dict[str, User], west_case: dict[str, Any]
) -> None:
    response = _client(personas["idva_manager"]).post(
        reverse("retention:subject-access"), {"person": HEALTH_SECRETS["nhs_number"]}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-health-{west_case["victim"].public_id}.zip"'
    )
    document = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("subject-access.json"))
    assert document["sections"]["tracker_records"][0]["notes"] == HEALTH_SECRETS["notes"]
    assert "WB/2026/000001" not in json.dumps(document["sections"]["person"])


def test_an_unknown_person_is_an_error_on_the_form(personas: dict[str, User]) -> None:
    response = _client(personas["administrator"]).post(
        reverse("retention:subject-access"), {"person": "P-NOBODY"}
    )
    assert response.status_code == 400
    assert "No one has that id on this side" in response.content.decode()


def test_a_hold_is_placed_and_released_from_the_page(
    personas: dict[str, User], west_case: dict[str, Any]
) -> None:
    client = _client(personas["administrator"])
    response = client.post(
        reverse("retention:hold-place"), {"person": "P-W-1", "reason": "Civil claim lodged"}
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.person, hold.side, hold.reason) == (
        west_case["victim"],
        "police",
        "Civil claim lodged",
    )
    page = client.get(reverse("retention:overview")).content.decode()
    assert "Civil claim lodged" in page and "Alice Westby" in page
    assert (
        _client(personas["idva_manager"])
        .post(reverse("retention:hold-release", args=[hold.public_id]))
        .status_code
        == 404
    )
    assert client.post(reverse("retention:hold-release", args=[hold.public_id])).status_code == 302
    hold.refresh_from_db()
    assert hold.released_by == personas["administrator"]


def test_a_hold_without_a_reason_is_refused(
    personas: dict[str, User], west_case: dict[str, Any]
) -> None:
    response = _client(personas["administrator"]).post(
        reverse("retention:hold-place"), {"person": "P-W-1"}
    )
    assert response.status_code == 400 and not LegalHold.objects.exists()
    assert "There is a problem" in response.content.decode()


def test_actions_are_post_only(personas: dict[str, User]) -> None:
    client = _client(personas["administrator"])
    assert client.get(reverse("retention:subject-access")).status_code == 405
    assert client.get(reverse("retention:hold-place")).status_code == 405


def test_the_page_reads_the_same_number_of_queries_whatever_the_holds(
    personas: dict[str, User], west_case: dict[str, Any]
) -> None:
    client = _client(personas["administrator"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("retention:overview")).status_code == 200
        return len(captured)

    LegalHold.objects.create(person=west_case["victim"], side="police", reason="One")
    one = queries()
    for number in range(4):
        LegalHold.objects.create(
            person=Person.objects.create(given_name=f"Held {number}"),
            side="police",
            reason="More",
            placed_by=personas["administrator"],
        )
    assert queries() == one


def test_the_extract_downloads_by_month_too_and_the_evaluation_page_links_it(
    personas: dict[str, User], west_case: dict[str, Any]
) -> None:
    analyst = _client(personas["analyst"])
    response = analyst.get(reverse("retention:analyst-extract"), {"coarsen": "month"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('-month.zip"')
    link = reverse("retention:analyst-extract")
    assert link in analyst.get(reverse("evaluation:dashboard")).content.decode()
    assert (
        link
        not in _client(personas["triage_sergeant"])
        .get(reverse("evaluation:dashboard"))
        .content.decode()
    )
