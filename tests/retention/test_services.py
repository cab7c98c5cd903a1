"""The retention services: each write checked, done in one transaction, and audited."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest

from provide.accounts.models import User
from provide.audit.models import AuditEvent
from provide.intake.models import Investigation
from provide.retention.models import LegalHold, RetentionRun
from provide.retention.policies import RetentionNotAllowed
from provide.retention.services import (
    ALREADY_RELEASED,
    DRY_RUN_EVENT,
    EXTRACT_EVENT,
    HOLD_PLACED_EVENT,
    HOLD_RELEASED_EVENT,
    NOT_ALLOWED,
    REASON_NEEDED,
    RUN_EVENT,
    SUBJECT_ACCESS_EVENT,
    HoldError,
    analyst_extract_export,
    legal_hold_place,
    legal_hold_release,
    retention_run,
    subject_access_export,
    write_private,
)
from tests.audit_assertions import assert_audited
from tests.retention.conftest import HEALTH_MARKERS, POLICE_MARKERS

pytestmark = pytest.mark.django_db


def test_a_dry_run_changes_nothing_and_is_audited_with_its_counts(
    old_records: dict[str, Any], as_of: Any
) -> None:
    before = list(Investigation.objects.order_by("pk").values())
    report = retention_run(dry_run=True, actor_username="provide retention-run")
    assert list(Investigation.objects.order_by("pk").values()) == before
    assert "changed" not in report.summary
    event = assert_audited(
        DRY_RUN_EVENT, action="view", actor_username="provide retention-run", subject=report.run
    )
    assert event.changes["police"]["records"]["intake.investigation"]["due"] == 2
    assert (
        report.lines()[0]
        == "Retention dry run for 2030-06-01: would anonymise (rows per record type)"
    )
    assert any(line.startswith("  Investigations: 2 (") for line in report.lines())


def test_a_run_anonymises_and_writes_one_audit_event_with_counts(
    old_records: dict[str, Any], as_of: Any
) -> None:
    events = AuditEvent.objects.count()
    report = retention_run(dry_run=False, actor_username="provide retention (nightly)")
    assert AuditEvent.objects.count() == events + 1
    event = assert_audited(
        RUN_EVENT, action="update", actor_username="provide retention (nightly)", subject=report.run
    )
    assert event.changes["changed"]["intake.investigation"] == 2
    assert event.changes["changed"]["people.person"] == 2
    text = str(event.changes)
    assert [m for m in [*POLICE_MARKERS.values(), *HEALTH_MARKERS.values()] if m in text] == []
    assert RetentionRun.objects.get().summary == event.changes
    assert report.lines()[0].startswith("Retention run for 2030-06-01: anonymised")


def test_the_audit_log_is_not_anonymised(
    old_records: dict[str, Any], personas: dict[str, User], as_of: Any
) -> None:
    hold = legal_hold_place(
        actor=personas["administrator"],
        person=old_records["victim"],
        side="police",
        reason="Review",
    )
    legal_hold_release(actor=personas["administrator"], hold=hold)
    retention_run(dry_run=False)
    event = AuditEvent.objects.get(event=HOLD_PLACED_EVENT)
    assert (
        event.person_label == f"{POLICE_MARKERS['victim_given']} {POLICE_MARKERS['victim_family']}"
    )


def test_holds_are_placed_and_released_by_their_sides_manager_and_audited(
    old_records: dict[str, Any], personas: dict[str, User]
) -> None:
    admin, manager = personas["administrator"], personas["idva_manager"]
    hold = legal_hold_place(
        actor=admin, person=old_records["victim"], side="police", reason=" Civil claim "
    )
    assert (hold.reason, hold.placed_by, hold.released_at) == ("Civil claim", admin, None)
    assert_audited(
        HOLD_PLACED_EVENT, action="create", actor=admin, subject=hold, person=old_records["victim"]
    )
    with pytest.raises(RetentionNotAllowed, match=NOT_ALLOWED):
        legal_hold_release(actor=manager, hold=hold)
    released = legal_hold_release(actor=admin, hold=hold)
    assert released.released_by == admin and released.released_at is not None
    assert_audited(HOLD_RELEASED_EVENT, action="update", actor=admin, subject=hold)
    with pytest.raises(HoldError, match=ALREADY_RELEASED):
        legal_hold_release(actor=admin, hold=hold)


def test_a_hold_needs_a_reason_and_the_right_side(
    old_records: dict[str, Any], personas: dict[str, User]
) -> None:
    with pytest.raises(HoldError, match=REASON_NEEDED):
        legal_hold_place(
            actor=personas["administrator"],
            person=old_records["victim"],
            side="police",
            reason="  ",
        )
    with pytest.raises(RetentionNotAllowed):
        legal_hold_place(
            actor=personas["administrator"], person=old_records["victim"], side="health", reason="x"
        )
    with pytest.raises(RetentionNotAllowed):
        legal_hold_place(
            actor=personas["triage_sergeant"],
            person=old_records["victim"],
            side="police",
            reason="x",
        )
    assert not LegalHold.objects.exists()


def test_a_subject_access_export_is_audited_as_an_export_about_the_person(
    old_records: dict[str, Any], personas: dict[str, User]
) -> None:
    manager = personas["idva_manager"]
    data = subject_access_export(actor=manager, person=old_records["victim"], side="health")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == ["subject-access.json", "summary.html", "README.txt"]
    event = assert_audited(
        SUBJECT_ACCESS_EVENT,
        action="export",
        actor=manager,
        subject=old_records["victim"],
        person=old_records["victim"],
    )
    assert event.changes["side"] == "health" and event.changes["rows"]["tracker_records"] == 1
    with pytest.raises(RetentionNotAllowed):
        subject_access_export(actor=manager, person=old_records["victim"], side="police")
    with pytest.raises(RetentionNotAllowed):
        subject_access_export(
            actor=personas["administrator"], person=old_records["victim"], side="health"
        )


def test_the_extract_is_the_analysts_and_audited_with_its_counts(
    old_records: dict[str, Any], personas: dict[str, User]
) -> None:
    data = analyst_extract_export(actor=personas["analyst"], coarsen="month")
    assert "investigations.csv" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    event = assert_audited(EXTRACT_EVENT, action="export", actor=personas["analyst"])
    assert event.changes["rows"]["investigations"] == 2 and event.changes["coarsen"] == "month"
    for slug in ("administrator", "idva_manager", "triage_sergeant"):
        with pytest.raises(RetentionNotAllowed):
            analyst_extract_export(actor=personas[slug])


def test_files_are_written_for_their_owner_only_and_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "export.zip"
    write_private(target, b"data")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        write_private(target, b"other")
    assert target.read_bytes() == b"data"
