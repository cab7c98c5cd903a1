"""The tracker in the web: search, XLSX export (formula-safe, audited, health roles only)
and the IDVA manager's upload → validation report → confirm."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from provide.accounts.roles import ALL_ROLES
from provide.audit.models import AuditEvent
from provide.core.tabular import read_xlsx
from provide.health.models import SupportRecord, TrackerUpload
from provide.health.tracker import COLUMN_ORDER, tracker_check
from provide.visits.tracker_import import tracker_import
from tests.audit_assertions import assert_audited
from tests.visits.management.commands.test_import_tracker import HEADER, ROW_1, ROW_2

pytestmark = pytest.mark.django_db
NON_HEALTH = [role.slug for role in ALL_ROLES if not role.is_health]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _decide_url(upload: TrackerUpload) -> str:
    """The report's form posts the manager's decision here (importing writes visits too)."""
    return reverse("visits:tracker-upload-decide", args=[upload.public_id])


def test_export_has_the_tracker_columns_and_is_audited(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    manager = personas["idva_manager"]
    response = _client(manager).get(reverse("health:tracker-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == COLUMN_ORDER
    assert (
        rows[1][0] == "T-1" and rows[1][2] == "P-W-1" and rows[1][3] == "West" and rows[1][8] == "Y"
    )
    assert_audited("health.tracker_exported", action="export", actor=manager)
    assert AuditEvent.objects.filter(
        event="health.support_record_exported", object_id=str(west_case["support_record"].public_id)
    ).exists()


def test_export_is_safe_against_formula_injection(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    record = west_case["support_record"]
    record.idva_name = '=HYPERLINK("http://evil.example","click")'
    record.investigation_ref = "+44 7700 900123"
    record.save()
    content = _client(personas["idva_manager"]).get(reverse("health:tracker-export")).content
    sheet = load_workbook(io.BytesIO(content)).active
    row = list(next(sheet.iter_rows(min_row=2)))
    assert row[-1].value == "'" + record.idva_name and row[-1].data_type == "s"
    assert row[1].value == "'+44 7700 900123"


@pytest.mark.parametrize("slug", NON_HEALTH)
def test_non_health_roles_cannot_export_the_tracker(
    slug: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    response = _client(make_user(slug)).get(reverse("health:tracker-export"))
    assert response.status_code in (302, 403)
    assert not response.content.startswith(b"PK")
    assert not AuditEvent.objects.filter(event="health.tracker_exported").exists()


def test_an_export_imports_back_unchanged(
    personas: dict[str, Any], areas: Any, tmp_path: Path
) -> None:
    path = tmp_path / "t.csv"
    path.write_text("\n".join([HEADER, ROW_1, ROW_2]) + "\n", encoding="utf-8")
    from provide.core.tabular import read_table

    tracker_import(check=tracker_check(read_table(path)))
    content = _client(personas["idva_manager"]).get(reverse("health:tracker-export")).content
    summary = tracker_import(check=tracker_check(read_xlsx(content, name="export.xlsx")))
    assert summary.counts() == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}


def test_tracker_search_finds_rows_by_victim_name(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    html = (
        _client(personas["health_idva"])
        .get(reverse("health:tracker"), {"q": "westby"})
        .content.decode()
    )
    assert "T-1" in html and "Rows matching" in html
    assert AuditEvent.objects.filter(event="health.support_record_found").exists()
    html = (
        _client(personas["health_idva"])
        .get(reverse("health:tracker"), {"q": "nobody"})
        .content.decode()
    )
    assert "No tracker rows match" in html


def _upload(client: Client, text: str, name: str = "history.csv", **extra: Any) -> Any:
    return client.post(
        reverse("health:tracker-upload"),
        {"file": SimpleUploadedFile(name, text.encode("utf-8")), **extra},
    )


def test_manager_uploads_checks_and_confirms_a_tracker(
    personas: dict[str, Any], areas: Any
) -> None:
    client = _client(personas["idva_manager"])
    response = _upload(client, "\n".join([HEADER, ROW_1, ROW_2]))
    upload = TrackerUpload.objects.get()
    assert response.status_code == 302 and str(upload.public_id) in response["Location"]
    assert SupportRecord.objects.count() == 0  # nothing is imported before confirmation
    report = client.get(response["Location"]).content.decode()
    assert "New rows" in report and "Import the tracker" in report
    assert f'action="{_decide_url(upload)}"' in report
    response = client.post(_decide_url(upload), {"action": "import"}, follow=True)
    assert "Tracker imported: 2 created" in response.content.decode()
    assert SupportRecord.objects.count() == 2
    upload.refresh_from_db()
    assert upload.status == "imported" and bytes(upload.content) == b""


def test_upload_report_lists_problems_by_row_and_column(
    personas: dict[str, Any], areas: Any
) -> None:
    client = _client(personas["idva_manager"])
    response = _upload(client, "\n".join([HEADER, ROW_1, ROW_2.replace("y ,No", "y ,perhaps")]))
    report = client.get(response["Location"]).content.decode()
    assert "row 3, column idva_support_accepted: &#x27;perhaps&#x27; is not yes/no" in report
    assert "Import the 1 readable row only" in report and "Import the tracker<" not in report
    upload = TrackerUpload.objects.get()
    client.post(_decide_url(upload), {"action": "import"})  # refused: the file has problems
    assert SupportRecord.objects.count() == 0
    client.post(_decide_url(upload), {"action": "partial"})
    assert list(SupportRecord.objects.values_list("tracker_id", flat=True)) == ["T1"]


def test_an_unreadable_upload_is_re_shown_with_the_reason(
    personas: dict[str, Any], areas: Any
) -> None:
    client = _client(personas["idva_manager"])
    response = _upload(client, "bcu\nWest\n")
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "There is a problem" in html and "required column &#x27;tracker_id&#x27; is missing" in html
    )
    assert not TrackerUpload.objects.exists()


def test_an_upload_can_be_discarded(personas: dict[str, Any], areas: Any) -> None:
    client = _client(personas["idva_manager"])
    _upload(client, "\n".join([HEADER, ROW_1]))
    upload = TrackerUpload.objects.get()
    client.post(_decide_url(upload), {"action": "discard"})
    upload.refresh_from_db()
    assert upload.status == "discarded" and SupportRecord.objects.count() == 0


def test_only_the_idva_manager_may_upload(personas: dict[str, Any], areas: Any) -> None:
    for slug in ("health_idva", "joint_team_officer", "administrator"):
        assert _client(personas[slug]).get(reverse("health:tracker-upload")).status_code == 403
    other = _client(personas["idva_manager"])
    response = _upload(other, "\n".join([HEADER, ROW_1]))
    assert _client(personas["health_idva"]).get(response["Location"]).status_code == 403


def test_a_decision_posted_to_the_report_page_is_passed_on_with_its_method(
    personas: dict[str, Any], areas: Any
) -> None:
    client = _client(personas["idva_manager"])
    response = _upload(client, "\n".join([HEADER, ROW_1]))
    upload = TrackerUpload.objects.get()
    moved = client.post(response["Location"], {"action": "import"})
    assert moved.status_code == 307 and moved["Location"] == _decide_url(upload)
    assert (
        "Tracker imported: 1 created"
        in client.post(response["Location"], {"action": "import"}, follow=True).content.decode()
    )


def test_the_report_lists_rows_held_for_review_with_a_tick_box_each(
    personas: dict[str, Any], west_case: Any
) -> None:
    client = _client(personas["idva_manager"])
    row = "T-1,,P-W-2,West,post-incident,,2022-06-01T10:00,,N,,,,,,,,,"
    response = _upload(client, "\n".join([HEADER, row]))
    report = client.get(response["Location"]).content.decode()
    assert "Held for review: 1 row</h2>" in report
    assert (
        '<input class="govuk-checkboxes__input" id="relink-1" name="relink" type="checkbox" value="T-1">'
        in report
    )
    assert "Row 2: tracker row T-1 is linked to P-W-1; the file names P-W-2" in report
    upload = TrackerUpload.objects.get()
    done = client.post(_decide_url(upload), {"action": "import"}, follow=True).content.decode()
    assert "1 held for review" in done
    assert SupportRecord.objects.get(tracker_id="T-1").victim == west_case["victim"]
