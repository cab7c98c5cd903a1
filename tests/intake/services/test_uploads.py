"""Web and API imports: the upload is kept for a dry run, then imported once and removed."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from provide.core.synthetic.extract import INVESTIGATION_COLUMNS
from provide.intake.models import IntakeImport, Investigation
from provide.intake.services.uploads import (
    UploadRefused,
    can_import,
    intake_import_run,
    intake_import_stage,
    require_import_permission,
)
from tests.intake.builders import csv_text, investigation_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def import_dir(tmp_path: Path) -> Any:
    with override_settings(PROVIDE_IMPORT_DIR=tmp_path / "imports"):
        yield tmp_path / "imports"


def investigations_file(
    *rows: dict[str, str], name: str = "June extract.csv"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_text(list(rows), INVESTIGATION_COLUMNS).encode())


def test_staging_keeps_the_file_under_a_safe_name_with_its_digest(
    personas: dict[str, Any], areas: Any, import_dir: Path
) -> None:
    record = intake_import_stage(
        user=personas["administrator"],
        kind="investigations",
        upload=investigations_file(investigation_row(), name="../../etc/June extract.csv"),
    )
    stored = Path(record.stored_path)
    assert record.file_name == "June_extract.csv" and stored.parent.parent == import_dir
    assert stored.read_bytes() == csv_text([investigation_row()], INVESTIGATION_COLUMNS).encode()
    assert len(record.file_sha256) == 64 and record.status == IntakeImport.Status.PREVIEWED
    assert (
        stat.S_IMODE(stored.stat().st_mode) == 0o600
        and stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    )


def test_a_dry_run_then_the_import_writes_once_and_removes_the_file(
    personas: dict[str, Any], areas: Any
) -> None:
    administrator = personas["administrator"]
    record = intake_import_stage(
        user=administrator, kind="investigations", upload=investigations_file(investigation_row())
    )
    preview = intake_import_run(user=administrator, record=record, dry_run=True)
    assert (
        preview.created == 1
        and not Investigation.objects.filter(investigation_ref="WB/2023/000001").exists()
    )
    assert record.summary["created"] == 1 and record.status == IntakeImport.Status.PREVIEWED
    done = intake_import_run(user=administrator, record=record, dry_run=False)
    assert done.created == 1 and record.status == IntakeImport.Status.IMPORTED
    assert Investigation.objects.filter(investigation_ref="WB/2023/000001").count() == 1
    assert not Path(record.stored_path).exists()
    with pytest.raises(UploadRefused, match="already been imported"):
        intake_import_run(user=administrator, record=record, dry_run=False)


def test_a_file_with_problems_is_rejected_and_removed(personas: dict[str, Any], areas: Any) -> None:
    administrator = personas["administrator"]
    bad = investigation_row(recorded_at="31/02/2023 10:00")
    record = intake_import_stage(
        user=administrator, kind="investigations", upload=investigations_file(bad)
    )
    assert intake_import_run(user=administrator, record=record, dry_run=True).file_rejected
    assert Path(record.stored_path).exists(), "kept after the preview, for a partial import"
    result = intake_import_run(user=administrator, record=record, dry_run=False)
    assert result.file_rejected and record.status == IntakeImport.Status.REJECTED
    assert not Path(record.stored_path).parent.exists()
    assert record.summary["problems"], "the problems stay on the record for the page"


def test_an_uploaded_mapping_is_used(personas: dict[str, Any], areas: Any) -> None:
    administrator = personas["administrator"]
    row = investigation_row()
    columns = ["Crime Ref" if c == "investigation_ref" else c for c in INVESTIGATION_COLUMNS]
    renamed = {("Crime Ref" if k == "investigation_ref" else k): v for k, v in row.items()}
    upload = SimpleUploadedFile("x.csv", csv_text([renamed], columns).encode())
    mapping = SimpleUploadedFile("map.json", b'{"Crime Ref": "investigation_ref"}')
    record = intake_import_stage(
        user=administrator, kind="investigations", upload=upload, mapping=mapping
    )
    assert intake_import_run(user=administrator, record=record, dry_run=True).problems == []


@override_settings(PROVIDE_IMPORT_MAX_MB=0)
def test_a_file_over_the_limit_is_refused_before_it_is_kept(
    personas: dict[str, Any], areas: Any, import_dir: Path
) -> None:
    with pytest.raises(UploadRefused, match="larger than the import limit of 0 MB"):
        intake_import_stage(
            user=personas["administrator"],
            kind="investigations",
            upload=investigations_file(investigation_row()),
        )
    assert not IntakeImport.objects.exists() and not import_dir.exists()


def test_roles_without_an_import_permission_are_refused(make_user: Any, areas: Any) -> None:
    analyst = make_user("analyst")
    assert not can_import(analyst)
    with pytest.raises(PermissionDenied):
        require_import_permission(analyst)
    with pytest.raises(PermissionDenied):
        intake_import_stage(
            user=analyst, kind="custody", upload=investigations_file(investigation_row())
        )
    assert can_import(make_user("administrator"))
