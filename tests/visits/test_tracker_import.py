"""Importing the IDVA tracker records the visits it reports, in step with the health-side rows."""

from __future__ import annotations

from typing import Any

import pytest

from provide.health.models import SupportRecord
from provide.health.tracker import tracker_check_bytes
from provide.visits.models import Visit
from provide.visits.tracker_import import tracker_import
from tests.visits.management.commands.test_import_tracker import HEADER

pytestmark = pytest.mark.django_db


def _import(*rows: str, **options: Any) -> Any:
    content = "\n".join([HEADER, *rows]).encode()
    return tracker_import(check=tracker_check_bytes(content, file_name="tracker.csv"), **options)


def test_a_new_row_with_a_victim_is_a_completed_visit_and_a_consultation_is_not(
    west_case: dict[str, Any],
) -> None:
    before = Visit.objects.count()
    summary = _import("V1,WB/2026/000001,,,post-incident,,2022-06-01T10:00,Y,Y,,,,,,,,refuge,",
                      "V2,,P-W-1,West,consultation,,2022-06-02T10:00,,,,,,,,,,,",
                      "V3,,,West,live,,2022-06-03T10:00,,,,,,,,,,,")  # fmt: skip
    assert summary.counts() == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    visit = SupportRecord.objects.get(tracker_id="V1").visit
    assert visit is not None and visit.victim == west_case["victim"]
    assert (
        visit.record_status,
        visit.arrived_at,
        visit.support_accepted,
        visit.referrals_made,
    ) == (Visit.RecordStatus.COMPLETE, visit.planned_at, True, ["refuge"])
    assert SupportRecord.objects.get(tracker_id="V2").visit is None  # a consultation is not a visit
    assert SupportRecord.objects.get(tracker_id="V3").visit is None  # no victim to visit
    assert Visit.objects.count() == before + 1


def test_an_updated_row_updates_its_visit_and_moves_its_version_on(
    west_case: dict[str, Any],
) -> None:
    _import("V1,WB/2026/000001,,,post-incident,,2022-06-01T10:00,Y,Y,,,,,,,,refuge,")
    visit = SupportRecord.objects.get(tracker_id="V1").visit
    assert visit is not None
    summary = _import("V1,WB/2026/000001,,,post-incident,,2022-06-01T11:30,Y,N,,,,,,,,housing,")
    assert (summary.created, summary.updated) == (0, 1)
    updated = Visit.objects.get(pk=visit.pk)
    assert updated.support_accepted is False and updated.referrals_made == ["housing"]
    assert updated.arrived_at is not None and updated.arrived_at.hour == 10  # 11:30 BST
    assert updated.lock_version == visit.lock_version + 1


def test_a_dry_run_or_a_rejected_file_writes_no_visit(west_case: dict[str, Any]) -> None:
    before = Visit.objects.count()
    _import("V1,WB/2026/000001,,,post-incident,,2022-06-01T10:00,Y,Y,,,,,,,,,", dry_run=True)
    _import("V1,WB/2026/000001,,,post-incident,,2022-06-01T10:00,Y,Y,,,,,,,,,",
            "V2,WB/2026/000001,,,post-incident,,not a date,Y,Y,,,,,,,,,")  # fmt: skip
    assert Visit.objects.count() == before
    assert not SupportRecord.objects.filter(tracker_id__in=["V1", "V2"]).exists()


def test_tracker_visits_move_the_case_and_a_correction_rebuilds_it(
    west_case: dict[str, Any],
) -> None:
    from provide.cases.models import Case

    case = Case.objects.get(investigation=west_case["investigation"])
    _import("V1,WB/2026/000001,,,post-incident,,2022-06-01T10:00,Y,Y,,,,,,,,,")
    case.refresh_from_db()
    assert case.state == "seen" and case.clock_stopped_at is not None
    assert case.events.filter(kind="attempted", actor_label="tracker import").count() == 1
    _import(
        "V1,WB/2026/000001,,,post-incident,,2022-06-01T10:00,Y,N,,,,,,,,,"
    )  # she declined after all
    case.refresh_from_db()
    assert case.state == "attempted" and case.attempts == 1 and case.clock_stopped_at is not None


def test_a_held_row_leaves_its_visit_alone_and_an_approved_one_is_written(
    west_case: dict[str, Any],
) -> None:
    visit = west_case["visit"]
    row = "T-1,,P-W-2,West,post-incident,,2022-06-01T10:00,Y,N,,,,,,,,refuge,"
    held = _import(row)
    assert [h.tracker_id for h in held.held] == ["T-1"] and held.updated == 0
    unchanged = Visit.objects.get(pk=visit.pk)
    assert (unchanged.support_accepted, unchanged.lock_version) == (
        visit.support_accepted,
        visit.lock_version,
    )
    approved = _import(row, relink=["T-1"])
    assert approved.held == [] and approved.updated == 1
    record = SupportRecord.objects.get(tracker_id="T-1")
    assert (
        record.victim.force_person_ref == "P-W-2"
        and record.notes == west_case["support_record"].notes
    )
    assert Visit.objects.get(pk=visit.pk).support_accepted is False
