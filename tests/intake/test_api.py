"""The import API: token auth, 200 with counts, 400 with every problem, 403/413, never 500."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from knox.models import AuthToken
from rest_framework.test import APIClient

from provide.intake.models import CustodyEpisode, Investigation
from tests.intake.builders import csv_text, custody_row, investigation_row


@pytest.fixture(autouse=True)
def import_dir(settings: Any, tmp_path: Path) -> None:
    settings.PROVIDE_IMPORT_DIR = tmp_path / "imports"


def api_for(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user)[1]}")
    return client


def csv_file(rows: list[dict[str, str]]) -> SimpleUploadedFile:
    return SimpleUploadedFile("extract.csv", csv_text(rows).encode(), content_type="text/csv")


@pytest.mark.django_db
def test_a_system_client_imports_an_extract_with_a_token(personas: dict[str, Any]) -> None:
    client = api_for(personas["administrator"])
    response = client.post(
        "/api/imports/investigations/",
        {"file": csv_file([investigation_row("WB/1")])},
        format="multipart",
    )
    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("created", "updated", "unchanged", "rejected")} == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    again = client.post(
        "/api/imports/investigations/",
        {"file": csv_file([investigation_row("WB/1")])},
        format="multipart",
    )
    assert again.json()["unchanged"] == 1 and Investigation.objects.count() == 1


@pytest.mark.django_db
def test_dry_run_checks_and_writes_nothing(personas: dict[str, Any]) -> None:
    response = api_for(personas["administrator"]).post(
        "/api/imports/investigations/",
        {"file": csv_file([investigation_row("WB/1")]), "dry_run": "true"},
        format="multipart",
    )
    assert (
        response.status_code == 200
        and response.json()["created"] == 1
        and response.json()["written"] is False
    )
    assert Investigation.objects.count() == 0


@pytest.mark.django_db
def test_a_rejected_file_is_a_400_listing_each_problem(personas: dict[str, Any]) -> None:
    response = api_for(personas["administrator"]).post(
        "/api/imports/investigations/",
        {"file": csv_file([investigation_row("WB/1", victim_dob="31/02/2023")])},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["problems"] == [
        "row 2, column victim_dob: '31/02/2023' is not a real date (day first: day 31, month 2)"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", [{}, {"file": "not a file"}, {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00")}]
)
def test_bad_requests_are_4xx_never_500(personas: dict[str, Any], body: dict[str, Any]) -> None:
    response = api_for(personas["administrator"]).post(
        "/api/imports/investigations/", body, format="multipart"
    )
    assert 400 <= response.status_code < 500


@pytest.mark.django_db
def test_roles_without_the_permission_get_403(personas: dict[str, Any]) -> None:
    response = api_for(personas["triage_sergeant"]).post(
        "/api/imports/investigations/",
        {"file": csv_file([investigation_row()])},
        format="multipart",
    )
    assert response.status_code == 403 and "cannot import" in response.json()["detail"]
    assert APIClient().post("/api/imports/custody/", {}, format="multipart").status_code in (
        401,
        403,
    )


@pytest.mark.django_db
def test_an_oversized_file_is_a_413(personas: dict[str, Any], settings: Any) -> None:
    settings.PROVIDE_IMPORT_MAX_MB = 1
    big = SimpleUploadedFile("big.csv", b"x" * (1024 * 1024 + 1))
    response = api_for(personas["administrator"]).post(
        "/api/imports/investigations/", {"file": big}, format="multipart"
    )
    assert response.status_code == 413


@pytest.mark.django_db
def test_custody_feed_over_the_api(personas: dict[str, Any]) -> None:
    rows = [custody_row("C-1", investigation_ref="")]
    data = SimpleUploadedFile("custody.csv", csv_text(rows).encode())
    response = api_for(personas["administrator"]).post(
        "/api/imports/custody/", {"file": data}, format="multipart"
    )
    assert response.status_code == 200 and CustodyEpisode.objects.count() == 1


@pytest.mark.django_db
def test_the_schema_documents_the_import_endpoints(personas: dict[str, Any]) -> None:
    client = APIClient()
    client.force_authenticate(personas["administrator"])
    schema = client.get("/api/schema/").content.decode()
    assert "/api/imports/investigations/" in schema and "/api/imports/custody/" in schema
