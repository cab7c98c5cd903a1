"""provide backup: writes the file and its manifest, prints a summary, audits, never overwrites."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from provide.audit.models import AuditEvent
from provide.operations.backup import manifest_path

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_writes_the_file_and_its_manifest_and_is_audited(
    tmp_path: Path, personas: dict[str, object]
) -> None:
    out = StringIO()
    call_command("backup", str(tmp_path / "b.backup"), "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["tables"] > 20 and summary["rows"] >= len(personas)
    assert Path(summary["manifest"]) == manifest_path(tmp_path / "b.backup")
    assert AuditEvent.objects.filter(event="operations.backup_made").exists()


def test_backup_refuses_a_file_that_exists(tmp_path: Path) -> None:
    (tmp_path / "b.backup").write_text("keep")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(tmp_path / "b.backup"))
