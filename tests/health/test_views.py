"""The health-side pages: the IDVA tracker (latest rows, search, export) and the manager's
tracker upload and its report. The upload's decision, answered by the visits app, is in
test_tracker_web.py (the journey from upload to import)."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from provide.accounts.roles import ALL_ROLES
from provide.audit.models import AuditEvent
from provide.health.models import SupportRecord, TrackerUpload
from tests.audit_assertions import assert_audited, assert_records_read
from tests.visits.management.commands.test_import_tracker import HEADER, ROW_1, ROW_2

pytestmark = pytest.mark.django_db
NON_HEALTH = [role.slug for role in ALL_ROLES if not role.is_health]
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _records(areas: dict[str, Any], count: int, *, start: dt.datetime = NOW) -> list[SupportRecord]:
    """``count`` West tracker rows, one IDVA visit an hour back from ``start``."""
    return SupportRecord.objects.bulk_create(
        SupportRecord(
            tracker_id=f"T-{n:03d}",
            bcu=areas["west"],
            idva_visit_at=start - dt.timedelta(hours=n),
            idva_name="Jo IDVA",
        )
        for n in range(count)
    )


def _upload(client: Client, text: str, name: str = "history.csv", **extra: Any) -> Any:
    return client.post(
        reverse("health:tracker-upload"),
        {"file": SimpleUploadedFile(name, text.encode("utf-8")), **extra},
    )


@pytest.mark.parametrize("slug", NON_HEALTH)
def test_police_and_partner_roles_cannot_open_the_tracker(
    slug: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    client = _client(make_user(slug))
    for name in ("health:tracker", "health:tracker-export", "health:tracker-upload"):
        response = client.get(reverse(name))
        assert response.status_code == 403, name
        assert b"T-1" not in response.content
    assert not AuditEvent.objects.filter(event__startswith="health.").exists()


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, db: Any) -> None:
    response = client.get(reverse("health:tracker"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_the_tracker_shows_the_latest_25_rows_and_audits_exactly_those(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    records = _records(areas, 30)
    idva = personas["health_idva"]
    html = _client(idva).get(reverse("health:tracker")).content.decode()
    assert "Latest tracker rows" in html
    shown = [r for r in records if f">{r.tracker_id}<" in html]
    assert shown == records[:25], "the newest 25 IDVA visits, newest first"
    assert html.index("T-000") < html.index("T-001") < html.index("T-024")
    assert_records_read("health.support_record_listed", pages=[records[:25]], actor=idva)


def test_a_search_finds_rows_by_reference_and_audits_what_it_found(
    personas: dict[str, Any], west_case: dict[str, Any], areas: dict[str, Any]
) -> None:
    _records(areas, 3)
    idva = personas["health_idva"]
    html = _client(idva).get(reverse("health:tracker"), {"q": "P-W-1"}).content.decode()
    assert "Rows matching “P-W-1”" in html and ">T-1<" in html
    assert "T-000" not in html
    found = assert_audited("health.support_record_found", action="view", actor=idva)
    assert found.object_id == str(west_case["support_record"].public_id)
    assert not AuditEvent.objects.filter(event="health.support_record_listed").exists()


def test_the_manager_may_export_and_upload_and_the_idva_may_only_export(
    personas: dict[str, Any],
) -> None:
    manager = _client(personas["idva_manager"]).get(reverse("health:tracker")).content.decode()
    idva = _client(personas["health_idva"]).get(reverse("health:tracker")).content.decode()
    export, upload = reverse("health:tracker-export"), reverse("health:tracker-upload")
    assert f'href="{export}"' in manager and f'href="{upload}"' in manager
    assert f'href="{export}"' in idva and f'href="{upload}"' not in idva
    assert _client(personas["health_idva"]).get(upload).status_code == 403


def test_the_export_is_named_by_the_local_time_it_was_made(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    with time_machine.travel(dt.datetime(2026, 7, 1, 8, 5, tzinfo=dt.UTC), tick=False):
        response = _client(personas["idva_manager"]).get(reverse("health:tracker-export"))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="idva-tracker-20260701-0905.xlsx"'  # 09:05 BST
    )


def test_the_export_since_a_date_holds_only_later_visits(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    _records(areas, 4, start=dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC))  # 02:00 back to 23:00
    manager = personas["idva_manager"]
    response = _client(manager).get(reverse("health:tracker-export"), {"since": "2026-03-10"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert sorted(row[0] for row in rows[1:]) == ["T-000", "T-001", "T-002"]
    event = assert_audited("health.tracker_exported", action="export", actor=manager)
    assert event.changes == {"rows": 3}


@pytest.mark.parametrize("since", ["yesterday", "31/02/2026", "2026-13-01"])
def test_an_unreadable_since_is_refused_and_nothing_is_exported(
    since: str, personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    response = _client(personas["idva_manager"]).get(
        reverse("health:tracker-export"), {"since": since}
    )
    assert response.status_code == 400
    assert response.content == b"since must be a date like 2026-01-31"
    assert not AuditEvent.objects.filter(event="health.tracker_exported").exists()


def test_the_upload_form_opens_for_the_manager(personas: dict[str, Any]) -> None:
    response = _client(personas["idva_manager"]).get(reverse("health:tracker-upload"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tracker spreadsheet" in html and "Column mapping (optional)" in html


def test_an_upload_without_a_file_is_re_shown_with_the_problem(personas: dict[str, Any]) -> None:
    response = _client(personas["idva_manager"]).post(
        reverse("health:tracker-upload"), {"sheet": "Tracker"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose the tracker file to upload" in html and 'value="Tracker"' in html
    assert not TrackerUpload.objects.exists()


@pytest.mark.parametrize(
    ("name", "mapping"),
    [
        ("mapping.json", json.dumps({"Tracker Ref": "tracker_id", "Division": "bcu"})),
        ("mapping.csv", "file header,column\nTracker Ref,tracker_id\nDivision,bcu\n"),
    ],
)
def test_a_json_or_csv_mapping_reads_a_file_with_other_headers(
    name: str, mapping: str, personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    header = HEADER.replace("tracker_id", "Tracker Ref").replace(",bcu,", ",Division,")
    client = _client(personas["idva_manager"])
    response = _upload(
        client,
        "\n".join([header, ROW_1, ROW_2]),
        mapping=SimpleUploadedFile(name, mapping.encode("utf-8")),
    )
    upload = TrackerUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("health:tracker-upload-report", args=[upload.public_id])
    assert upload.summary["created"] == 2 and upload.summary["problems"] == []


def test_a_mapping_that_cannot_be_read_is_listed_as_a_problem(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    response = _upload(
        _client(personas["idva_manager"]),
        "\n".join([HEADER, ROW_1]),
        mapping=SimpleUploadedFile("mapping.json", b"[not, a, mapping"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "The file could not be read: see the problems listed" in html
    assert "mapping.json" in html
    assert not TrackerUpload.objects.exists()


def test_the_report_counts_the_good_rows(personas: dict[str, Any], areas: dict[str, Any]) -> None:
    client = _client(personas["idva_manager"])
    response = _upload(client, "\n".join([HEADER, ROW_1, ROW_2.replace("y ,No", "y ,perhaps")]))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["good_rows"] == 1 and page.context["upload"] == TrackerUpload.objects.get()
    assert "Import the 1 readable row only" in page.content.decode()


def test_another_managers_upload_and_an_unknown_one_are_not_found(
    personas: dict[str, Any], make_user: Any, areas: dict[str, Any]
) -> None:
    response = _upload(_client(personas["idva_manager"]), "\n".join([HEADER, ROW_1]))
    other = _client(make_user("idva_manager", username="second.manager"))
    assert other.get(response["Location"]).status_code == 404
    assert other.post(response["Location"], {"action": "import"}).status_code == 404
    unknown = reverse("health:tracker-upload-report", args=["00000000-0000-0000-0000-000000000000"])
    assert _client(personas["idva_manager"]).get(unknown).status_code == 404
    assert not SupportRecord.objects.exists()


def test_the_tracker_page_reads_a_fixed_number_of_queries_whatever_the_rows(
    personas: dict[str, Any], west_case: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = _client(personas["health_idva"])
    client.get(reverse("health:tracker"))  # warm the session
    with django_assert_max_num_queries(12) as one_row:
        client.get(reverse("health:tracker"))
    visit = west_case["visit"]
    for n in range(10):  # more rows, each linked to a visit (the tracker id links to it)
        SupportRecord.objects.create(
            tracker_id=f"T-X{n}",
            visit=type(visit).objects.create(
                mode="post-incident",
                investigation=visit.investigation,
                victim=visit.victim,
                planned_at=NOW,
            ),
            bcu=west_case["support_record"].bcu,
            idva_visit_at=NOW,
        )
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        client.get(reverse("health:tracker"))
