"""The IDVA tracker on the health side: check a sheet against the database, write its rows,
give back the rejects, export, and keep an upload until the manager confirms it."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from provide.core.tabular import TabularError, read_csv
from provide.health.models import SupportRecord, TrackerUpload
from provide.health.tracker import (
    ImportSummary,
    TrackerNotAllowed,
    rejects_csv,
    tracker_check,
    tracker_check_bytes,
    tracker_rows_write,
    tracker_upload_create,
    tracker_upload_discard,
    tracker_upload_mark_imported,
    tracker_upload_recheck,
)
from provide.people.models import Person
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db

HEADER = "tracker_id,investigation_ref,victim_id,bcu,mode,idva_visit_at,idva_support_accepted,services,idva"


def sheet(*rows: str, header: str = HEADER) -> Any:
    return read_csv("\n".join([header, *rows]).encode(), name="tracker.csv")


def test_a_row_naming_an_investigation_takes_its_victim_and_bcu(west_case: dict[str, Any]) -> None:
    check = tracker_check(sheet("T9,WB/2026/000001,,,post,01/06/2022 14:05,Y,safety_planning,Jo"))
    assert check.problems == []
    (row,) = check.rows
    investigation = west_case["investigation"]
    assert row.values["investigation_id"] == investigation.pk
    assert (
        row.values["victim_id"] == west_case["victim"].pk
        and row.values["bcu_id"] == investigation.bcu_id
    )
    assert (
        row.values["mode"],
        row.values["idva_support_accepted"],
        row.values["services"],
        row.values["idva_name"],
    ) == ("post-incident", True, ["safety_planning"], "Jo")


def test_a_victim_that_contradicts_the_investigation_and_an_unknown_bcu_are_problems(
    west_case: dict[str, Any],
) -> None:
    check = tracker_check(sheet("T1,WB/2026/000001,P-W-2,,,,,,", "T2,,,North,,,,,"))
    assert [str(p) for p in check.problems] == [
        "row 2, column victim_id: investigation WB/2026/000001 is about person P-W-1, not 'P-W-2'",
        "row 3, column bcu: 'North' is not a known BCU",
    ]
    assert check.rows == [] and check.rejected_rows == [2, 3]


def test_an_unknown_service_code_names_the_known_ones(areas: dict[str, Any]) -> None:
    check = tracker_check(sheet("T1,,,West,,,,housing_magic,"))
    (problem,) = check.problems
    assert (
        problem.column == "services" and "'housing_magic' is not a known service" in problem.reason
    )


def test_a_bcu_scoped_user_may_only_check_rows_of_their_own_bcu(personas: dict[str, Any]) -> None:
    check = tracker_check(sheet("T1,,,East,,,,,", "T2,,,West,,,,,"), user=personas["health_idva"])
    assert [(p.row, p.reason) for p in check.problems] == [(2, "this row is outside your BCU")]
    force_wide = tracker_check(
        sheet("T1,,,East,,,,,", "T2,,,West,,,,,"), user=personas["idva_manager"]
    )
    assert force_wide.problems == []


def test_an_investigation_reference_in_other_case_links_or_is_a_problem(
    west_case: dict[str, Any],
) -> None:
    check = tracker_check(sheet("T9,wb/2026/000001,,,,,,,"))
    linked = [row.values["investigation_id"] for row in check.rows]
    assert linked == [west_case["investigation"].pk] or check.problems


def test_the_same_tracker_id_twice_is_fine_only_with_the_same_values(areas: dict[str, Any]) -> None:
    same = tracker_check(sheet("T1,,,West,,,Y,,", "T1,,,West,,,Y,,"))
    assert same.problems == [] and len(same.rows) == 2
    assert tracker_rows_write(check=same).summary.counts() == {
        "created": 1,
        "updated": 0,
        "unchanged": 1,
        "rejected": 0,
    }
    different = tracker_check(sheet("T2,,,West,,,Y,,", "T2,,,West,,,N,,"))
    assert [str(p) for p in different.problems] == [
        "row 3, column tracker_id: 'T2' is also in row 2 with different values"
    ]


def test_writing_creates_then_updates_only_what_changed_and_audits_it(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    manager = personas["idva_manager"]
    first = tracker_rows_write(
        check=tracker_check(sheet("T1,,,West,,,Y,,Jo", "T2,,,West,,,N,,Jo")), user=manager
    )
    assert first.summary.counts() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert_audited("health.tracker_imported", action="import", actor=manager)
    second = tracker_rows_write(
        check=tracker_check(sheet("T1,,,West,,,Y,,Jo", "T2,,,West,,,Y,,Jo")), user=manager
    )
    assert second.summary.counts() == {"created": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    (changed,) = second.updated
    assert changed.tracker_id == "T2" and changed.idva_support_accepted is True
    assert_audited(
        "health.support_record_updated_by_import", action="update", actor=manager, subject=changed
    )


def test_a_column_the_file_lacks_keeps_the_stored_value(areas: dict[str, Any]) -> None:
    tracker_rows_write(check=tracker_check(sheet("T1,,,West,,,Y,,Jo")))
    tracker_rows_write(check=tracker_check(sheet("T1,West", header="tracker_id,bcu")))
    assert SupportRecord.objects.get(tracker_id="T1").idva_name == "Jo"


def test_problems_reject_the_file_unless_partial_and_a_dry_run_writes_nothing(
    areas: dict[str, Any],
) -> None:
    check = tracker_check(sheet("T1,,,West,,,Y,,", "T2,,,North,,,,,"))
    rejected = tracker_rows_write(check=check).summary
    assert rejected.file_rejected and rejected.line() == (
        "0 created, 0 updated, 0 unchanged, 1 rejected (file rejected: nothing written)"
    )
    dry = tracker_rows_write(check=check, partial=True, dry_run=True).summary
    assert dry.created == 1 and not SupportRecord.objects.filter(tracker_id="T1").exists()
    partial = tracker_rows_write(check=check, partial=True, actor_label="provide import-tracker")
    assert [r.tracker_id for r in partial.created] == ["T1"]
    assert_audited(
        "health.tracker_imported", action="import", actor_username="provide import-tracker"
    )


def test_police_roles_may_not_write_the_tracker(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    with pytest.raises(TrackerNotAllowed):
        tracker_rows_write(
            check=tracker_check(sheet("T1,,,West,,,Y,,")), user=personas["triage_sergeant"]
        )
    assert not SupportRecord.objects.filter(tracker_id="T1").exists()


def test_rejects_are_the_rows_as_written_with_their_problems(areas: dict[str, Any]) -> None:
    check = tracker_check(sheet("T1,,,West,,,Y,,", "=T2,,,West,,,maybe,,", "T3,,,North,,,,,"))
    rows = list(csv.reader(io.StringIO(rejects_csv(check).decode("utf-8-sig"))))
    assert rows[0] == [*HEADER.split(","), "problems"]
    assert rows[1][0] == "'=T2"  # formula-safe
    assert (
        rows[1][-1]
        == "column idva_support_accepted: 'maybe' is not yes/no (expected Y/N, Yes/No, TRUE/FALSE, 1/0)"
    )
    assert rows[2] == [
        "T3",
        "",
        "",
        "North",
        "",
        "",
        "",
        "",
        "",
        "column bcu: 'North' is not a known BCU",
    ]
    assert len(rows) == 3


def test_a_sheet_name_for_a_csv_is_refused() -> None:
    with pytest.raises(TabularError, match="a sheet name was given but this is a CSV file"):
        tracker_check_bytes(b"tracker_id\nT1\n", file_name="t.csv", sheet="Tracker")


def test_an_upload_is_kept_checked_then_imported_without_its_file(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    manager = personas["idva_manager"]
    content = f"{HEADER}\nT1,,,West,,,Y,,\nT2,,,North,,,,,\n".encode()
    upload = tracker_upload_create(user=manager, file_name="june.csv", content=content)
    assert upload.status == TrackerUpload.Status.CHECKED
    assert (
        upload.summary["created"],
        upload.summary["rejected"],
        upload.summary["problem_count"],
    ) == (1, 1, 1)
    assert not SupportRecord.objects.exists()
    assert_audited("health.tracker_uploaded", action="create", actor=manager, subject=upload)
    check = tracker_upload_recheck(user=manager, upload=upload)
    summary = tracker_rows_write(check=check, user=manager, partial=True).summary
    tracker_upload_mark_imported(upload=upload, summary=summary)
    upload.refresh_from_db()
    assert upload.status == TrackerUpload.Status.IMPORTED and bytes(upload.content) == b""
    assert upload.summary["imported"] == summary.counts()
    with pytest.raises(TrackerNotAllowed, match="already been dealt with"):
        tracker_upload_recheck(user=manager, upload=upload)


def test_only_the_uploader_may_recheck_or_discard(
    personas: dict[str, Any], make_user: Any, areas: dict[str, Any]
) -> None:
    upload = tracker_upload_create(
        user=personas["idva_manager"],
        file_name="t.csv",
        content=f"{HEADER}\nT1,,,West,,,Y,,\n".encode(),
    )
    other_manager = make_user("idva_manager", username="second-manager")
    with pytest.raises(TrackerNotAllowed):
        tracker_upload_recheck(user=other_manager, upload=upload)
    with pytest.raises(TrackerNotAllowed):
        tracker_upload_discard(user=other_manager, upload=upload)
    tracker_upload_discard(user=personas["idva_manager"], upload=upload)
    upload.refresh_from_db()
    assert upload.status == TrackerUpload.Status.DISCARDED and bytes(upload.content) == b""


def test_police_roles_may_not_upload(personas: dict[str, Any], areas: dict[str, Any]) -> None:
    with pytest.raises(TrackerNotAllowed):
        tracker_upload_create(
            user=personas["triage_sergeant"], file_name="t.csv", content=b"tracker_id\nT1\n"
        )
    assert not TrackerUpload.objects.exists()


def test_an_imported_upload_cannot_be_discarded(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    manager = personas["idva_manager"]
    upload = tracker_upload_create(
        user=manager, file_name="t.csv", content=f"{HEADER}\nT1,,,West,,,Y,,\n".encode()
    )
    tracker_upload_mark_imported(upload=upload, summary=ImportSummary(created=1))
    with pytest.raises(TrackerNotAllowed):
        tracker_upload_discard(user=manager, upload=upload)


# -- a row never moves to another victim without review; files that cannot be read -----------


def test_a_row_that_would_move_to_another_victim_is_held_with_its_notes(
    west_case: dict[str, Any],
) -> None:
    record = west_case["support_record"]
    before = SupportRecord.objects.filter(pk=record.pk).values().get()
    written = tracker_rows_write(
        check=tracker_check(sheet("T-1,,P-W-2,West,,,N,,Jo", "T2,,,West,,,Y,,Jo"))
    )
    summary = written.summary
    assert summary.counts() == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    assert SupportRecord.objects.filter(pk=record.pk).values().get() == before, (
        "nothing of the row was written"
    )
    assert summary.json_summary() == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "held_for_review": 1,
        "relinks_held": [
            {"tracker_id": "T-1", "row": 2, "victim_now": "P-W-1", "victim_in_file": "P-W-2"}
        ],
    }
    assert summary.line() == "1 created, 0 updated, 0 unchanged, 0 rejected, 1 held for review"
    event = assert_audited("health.tracker_imported", action="import")
    assert event.changes["held_for_review"] == 1


def test_a_row_naming_no_victim_for_a_linked_record_is_held_too(west_case: dict[str, Any]) -> None:
    summary = tracker_rows_write(check=tracker_check(sheet("T-1,,P-NOBODY,West,,,Y,,"))).summary
    assert [held.as_dict() for held in summary.held] == [
        {"tracker_id": "T-1", "row": 2, "victim_now": "P-W-1", "victim_in_file": "P-NOBODY"}
    ]
    assert SupportRecord.objects.get(tracker_id="T-1").victim == west_case["victim"]


def test_an_approved_move_is_written_and_audited_with_both_victims(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    manager = personas["idva_manager"]
    record = west_case["support_record"]
    other = Person.objects.get(force_person_ref="P-W-2")
    written = tracker_rows_write(
        check=tracker_check(sheet("T-1,,P-W-2,West,,,N,,Jo")), user=manager, relink={"T-1"}
    )
    assert written.summary.counts()["updated"] == 1 and written.summary.held == []
    record.refresh_from_db()
    assert record.victim == other
    event = assert_audited(
        "health.support_record_updated_by_import", action="update", actor=manager, subject=record
    )
    assert event.changes["victim"] == [str(west_case["victim"].public_id), str(other.public_id)]
    assert event.changes["idva_support_accepted"] == ["True", "False"]
    assert assert_audited("health.tracker_imported", action="import", actor=manager).changes[
        "relinked"
    ] == ["T-1"]


def test_person_references_are_matched_ignoring_case(west_case: dict[str, Any]) -> None:
    check = tracker_check(sheet("T9,wb/2026/000001,p-w-1,,,,,,"))
    assert check.problems == []
    (row,) = check.rows
    assert (row.values["victim_id"], row.values["investigation_ref"]) == (
        west_case["victim"].pk,
        "WB/2026/000001",
    )


def test_an_upload_keeps_the_rows_held_for_review_in_its_summary(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    content = f"{HEADER}\nT-1,,P-W-2,West,,,N,,\n".encode()
    upload = tracker_upload_create(
        user=personas["idva_manager"], file_name="t.csv", content=content
    )
    assert upload.summary["held_for_review"] == 1
    assert upload.summary["relinks_held"] == [
        {"tracker_id": "T-1", "row": 2, "victim_now": "P-W-1", "victim_in_file": "P-W-2"}
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (f"{HEADER}\n".encode(), "t.csv: the file has a header row but no data rows"),
        (f"{HEADER}\r\n\r\n,,,,\r\n".encode(), "t.csv: the file has a header row but no data rows"),
        (
            f'{HEADER}\nT1,"WB/1,,West\nT2,,,West\n'.encode(),
            "t.csv: row 2: a quoted cell is never closed",
        ),
        (b"", "t.csv: the file is empty (no header row)"),
        (f"{HEADER}\nT1,,,West,,,Y,,Zo\u00eb\n".encode("cp1252"), "t.csv: row 2: byte 0xEB"),
        (b"GIF89a synthetic", "t.csv: this is a GIF image, not a CSV or XLSX spreadsheet"),
    ],
    ids=["header only", "header and blank rows", "broken quote", "empty", "cp1252", "an image"],
)
def test_a_tracker_file_that_cannot_be_used_is_refused_not_imported_empty(
    personas: dict[str, Any],
    areas: dict[str, Any],
    content: bytes,
    expected: str,
) -> None:
    with pytest.raises(TabularError) as caught:
        tracker_upload_create(user=personas["idva_manager"], file_name="t.csv", content=content)
    assert caught.value.lines()[0].startswith(expected)
    assert not TrackerUpload.objects.exists()


def test_a_macro_enabled_tracker_workbook_is_refused(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    book = Workbook()
    sheet_ = book.active
    assert sheet_ is not None
    sheet_.append(HEADER.split(","))
    sheet_.append(["T1", None, None, "West"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(TabularError, match=r"t\.xlsm: this is a macro-enabled workbook"):
        tracker_upload_create(
            user=personas["idva_manager"], file_name="t.xlsm", content=out.getvalue()
        )


_DAMAGE = st.sampled_from(
    ['"', ",", "\n", "\r", "\x00", "é", "\ufeff", "T1", "31/02/2022", "perhaps", ""]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(st.integers(0, 160), _DAMAGE), min_size=1, max_size=6),
    st.sampled_from(["utf-8", "cp1252"]),
)
def test_any_damage_to_a_tracker_is_checked_or_refused_and_a_refusal_keeps_nothing(
    personas: dict[str, Any],
    areas: dict[str, Any],
    damage: list[tuple[int, str]],
    encoding: str,
) -> None:
    text = f"{HEADER}\nT1,,,West,,01/06/2022 14:05,Y,safety_planning,Jo\nT2,,,West,,,N,,\n"
    for position, insert in damage:
        text = text[:position] + insert + text[position:]
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:
        return
    uploads = TrackerUpload.objects.count()
    try:
        upload = tracker_upload_create(
            user=personas["idva_manager"], file_name="fuzz.csv", content=content
        )
    except TabularError as error:
        assert error.lines() and all(line.startswith("fuzz.csv") for line in error.lines())
        assert TrackerUpload.objects.count() == uploads
        return
    counted = sum(upload.summary[key] for key in ("created", "updated", "unchanged", "rejected"))
    assert counted >= 1, "a file that is kept has at least one row"
    assert not SupportRecord.objects.filter(tracker_id__in=["T1", "T2"]).exists(), (
        "checking writes nothing"
    )
