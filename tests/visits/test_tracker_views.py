"""Deciding a tracker upload: only the IDVA manager who uploaded it may import or discard it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from provide.health.models import SupportRecord, TrackerUpload
from tests.visits.management.commands.test_import_tracker import HEADER, ROW_1

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _staged(manager: Any) -> TrackerUpload:
    return TrackerUpload.objects.create(uploaded_by=manager, file_name="t.csv",
                                        content="\n".join([HEADER, ROW_1]).encode(), mapping={}, summary={})  # fmt: skip


@pytest.mark.parametrize(
    "slug", ["health_idva", "joint_team_officer", "triage_sergeant", "administrator", "analyst"]
)
def test_other_roles_are_refused_and_nothing_is_imported(
    slug: str, personas: dict[str, Any], areas: Any
) -> None:
    upload = _staged(personas["idva_manager"])
    url = reverse("visits:tracker-upload-decide", args=[upload.public_id])
    assert _client(personas[slug]).post(url, {"action": "import"}).status_code == 403
    assert not SupportRecord.objects.exists()


def test_another_managers_upload_is_not_found_and_a_get_is_not_allowed(
    personas: dict[str, Any], make_user: Any, areas: Any
) -> None:
    upload = _staged(personas["idva_manager"])
    url = reverse("visits:tracker-upload-decide", args=[upload.public_id])
    other = _client(make_user("idva_manager", username="other.manager"))
    assert other.post(url, {"action": "import"}).status_code == 404
    assert _client(personas["idva_manager"]).get(url).status_code == 405
    upload.refresh_from_db()
    assert upload.status == TrackerUpload.Status.CHECKED and not SupportRecord.objects.exists()


def test_the_manager_imports_the_upload_and_it_is_done(
    personas: dict[str, Any], areas: Any
) -> None:
    upload = _staged(personas["idva_manager"])
    url = reverse("visits:tracker-upload-decide", args=[upload.public_id])
    response = _client(personas["idva_manager"]).post(url, {"action": "import"})
    assert response.status_code == 302 and response["Location"] == reverse("health:tracker")
    upload.refresh_from_db()
    assert (
        upload.status == TrackerUpload.Status.IMPORTED
        and upload.summary["imported"]["created"] == 1
    )
    assert list(SupportRecord.objects.values_list("tracker_id", flat=True)) == ["T1"]


def test_only_the_rows_the_manager_ticks_move_to_another_victim(
    personas: dict[str, Any], west_case: Any
) -> None:
    manager = personas["idva_manager"]
    rows = [
        "T-1,,P-W-2,West,post-incident,,,,N,,,,,,,,,",
        "T-9,,P-W-2,West,post-incident,,,,N,,,,,,,,,",
    ]
    SupportRecord.objects.create(
        tracker_id="T-9", victim=west_case["victim"], bcu=west_case["investigation"].bcu
    )
    upload = TrackerUpload.objects.create(uploaded_by=manager, file_name="t.csv", mapping={}, summary={},
                                          content="\n".join([HEADER, *rows]).encode())  # fmt: skip
    url = reverse("visits:tracker-upload-decide", args=[upload.public_id])
    response = _client(manager).post(url, {"action": "import", "relink": ["T-9"]})
    assert response.status_code == 302
    victims = dict(SupportRecord.objects.values_list("tracker_id", "victim__force_person_ref"))
    assert victims == {"T-1": "P-W-1", "T-9": "P-W-2"}
    upload.refresh_from_db()
    assert upload.summary["imported_review"]["relinks_held"][0]["tracker_id"] == "T-1"
