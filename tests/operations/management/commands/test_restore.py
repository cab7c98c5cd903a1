"""provide restore: --check checks the file; a restore into an empty database is verified; a
refused restore is a command error with the reason."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def test_check_then_restore_into_an_empty_database(
    tmp_path: Path, personas: dict[str, object]
) -> None:
    backup = tmp_path / "b.backup"
    call_command("backup", str(backup), stdout=StringIO())
    out = StringIO()
    call_command("restore", str(backup), "--check", stdout=out)
    assert "matches its manifest" in out.getvalue()
    if connection.vendor != "sqlite":
        return  # restoring into a fresh PostgreSQL database: tests/operations/test_backup.py
    out = StringIO()
    call_command("restore", str(backup), "--database-url", f"sqlite:///{tmp_path / 'r.sqlite3'}",
                 "--json", stdout=out)  # fmt: skip
    result = json.loads(out.getvalue())
    assert result["verified"] and result["problems"] == []


def test_a_restore_into_the_database_in_use_is_refused(tmp_path: Path) -> None:
    backup = tmp_path / "b.backup"
    call_command("backup", str(backup), stdout=StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup))


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", str(tmp_path / "nope.backup"), "--check")
