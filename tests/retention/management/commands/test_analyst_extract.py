"""provide analyst-extract: the pseudonymised extract to a new owner-only file, audited."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from provide.retention.services import EXTRACT_EVENT
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db


def test_the_extract_is_written_for_its_owner_only(
    old_records: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    settings.PROVIDE_PSEUDONYM_KEY = ""
    out = tmp_path / "extract.zip"
    stderr = io.StringIO()
    call_command(
        "analyst_extract",
        "--out",
        str(out),
        "--coarsen",
        "month",
        stdout=io.StringIO(),
        stderr=stderr,
    )
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "people.csv" in zipfile.ZipFile(out).namelist()
    assert "PROVIDE_PSEUDONYM_KEY is not set" in stderr.getvalue()
    event = assert_audited(EXTRACT_EVENT, action="export", actor_username="provide analyst-extract")
    assert event.changes["key_configured"] is False and event.changes["coarsen"] == "month"
    with pytest.raises(CommandError, match="exists"):
        call_command("analyst_extract", "--out", str(out))
