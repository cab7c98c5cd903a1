"""provide subject-access: one side's export to a new owner-only file, audited."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from provide.accounts.models import User
from provide.retention.services import SUBJECT_ACCESS_EVENT
from tests.audit_assertions import assert_audited
from tests.retention.conftest import HEALTH_MARKERS

pytestmark = pytest.mark.django_db


def test_the_police_side_is_written_for_its_owner_only(
    old_records: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "sar.zip"
    stdout = io.StringIO()
    call_command(
        "subject_access",
        str(old_records["victim"].public_id),
        "--side",
        "police",
        "--out",
        str(out),
        stdout=stdout,
    )
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    document = json.loads(zipfile.ZipFile(out).read("subject-access.json"))
    assert document["side"] == "police"
    archive = zipfile.ZipFile(out)
    text = "\n".join(archive.read(name).decode() for name in archive.namelist())
    assert "Verity" in text and [m for m in HEALTH_MARKERS.values() if m in text] == []
    assert_audited(
        SUBJECT_ACCESS_EVENT,
        action="export",
        actor_username="provide subject-access",
        subject=old_records["victim"],
    )
    assert f"written to {out}" in stdout.getvalue()


def test_the_health_side_by_nhs_number_recorded_as_a_user(
    old_records: dict[str, Any], tmp_path: Path, personas: dict[str, User]
) -> None:
    out = tmp_path / "sar-health.zip"
    call_command(
        "subject_access",
        HEALTH_MARKERS["nhs_number"],
        "--side",
        "health",
        "--out",
        str(out),
        "--user",
        "idva.manager",
        stdout=io.StringIO(),
    )
    document = json.loads(zipfile.ZipFile(out).read("subject-access.json"))
    assert document["sections"]["tracker_records"][0]["notes"] == HEALTH_MARKERS["notes"]
    assert_audited(
        SUBJECT_ACCESS_EVENT,
        action="export",
        actor=personas["idva_manager"],
        person=old_records["victim"],
    )


def test_mistakes_are_refused_and_nothing_is_written(
    old_records: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "sar.zip"
    with pytest.raises(CommandError, match="no one on the police side"):
        call_command(
            "subject_access", HEALTH_MARKERS["nhs_number"], "--side", "police", "--out", str(out)
        )
    with pytest.raises(CommandError, match="no user 'nobody'"):
        call_command(
            "subject_access", "P-OLD-1", "--side", "police", "--out", str(out), "--user", "nobody"
        )
    assert not out.exists()
    out.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="exists"):
        call_command("subject_access", "P-OLD-1", "--side", "police", "--out", str(out))
    assert out.read_bytes() == b"keep me"
