"""Backup and restore of the demo: the restored database matches the backup table by table, on
SQLite and on PostgreSQL; a damaged file, a non-empty target or another engine is refused."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from provide.demo.services import demo_data_load
from provide.operations.backup import (
    BackupError,
    database_backup,
    database_restore,
    manifest_path,
    read_manifest,
)
from provide.people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo() -> None:
    demo_data_load(end_on=timezone.localdate(), days=1, seed=5, password="demo-password-123")


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A new, empty database of the engine under test."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"provide_restore_{uuid.uuid4().hex[:10]}"
    server = {"host": settings["HOST"] or None, "port": settings["PORT"] or None,
              "user": settings["USER"] or None, "password": settings["PASSWORD"] or None}  # fmt: skip
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    user = settings["USER"] or "postgres"
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    yield f"postgresql://{user}@{host}:{port}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_of_the_demo_restores_into_a_fresh_database_and_matches(
    demo: None, tmp_path: Path, empty_database_url: str
) -> None:
    backup = tmp_path / "provide.backup"
    manifest = database_backup(backup)
    assert manifest.engine == connection.vendor
    assert manifest.tables["people_person"]["rows"] == Person.objects.count() > 0
    assert manifest_path(backup).exists()
    report = database_restore(backup, database_url=empty_database_url)
    assert report.verified, report.problems
    assert report.rows == manifest.rows and report.tables == len(manifest.tables)


def test_a_restore_into_a_database_that_is_not_empty_is_refused(demo: None, tmp_path: Path) -> None:
    backup = tmp_path / "provide.backup"
    database_backup(backup)
    with pytest.raises(BackupError, match="not empty"):
        database_restore(backup)  # the database in use holds the demo
    assert Person.objects.exists()


def test_a_damaged_backup_or_a_missing_manifest_is_refused(demo: None, tmp_path: Path) -> None:
    backup = tmp_path / "provide.backup"
    database_backup(backup)
    with backup.open("ab") as stream:
        stream.write(b"\x00")
    with pytest.raises(BackupError, match="does not match its manifest"):
        read_manifest(backup)
    manifest_path(backup).unlink()
    with pytest.raises(BackupError, match="needs its manifest"):
        read_manifest(backup)


def test_a_backup_never_overwrites_a_file(demo: None, tmp_path: Path) -> None:
    backup = tmp_path / "provide.backup"
    backup.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="exists"):
        database_backup(backup)
    assert backup.read_bytes() == b"keep me"


def test_a_restore_that_differs_from_the_manifest_is_reported(
    demo: None, tmp_path: Path, empty_database_url: str
) -> None:
    backup = tmp_path / "provide.backup"
    manifest = database_backup(backup)
    manifest.tables["people_person"]["rows"] += 1  # as if a row went missing in the restore
    from provide.operations.backup import BackupManifest

    forged = BackupManifest(manifest.engine, manifest.made_at, manifest.file_sha256,
                            manifest.tables)  # fmt: skip
    import json

    manifest_path(backup).write_text(json.dumps(forged.to_json()))
    report = database_restore(backup, database_url=empty_database_url)
    assert not report.verified
    assert any(problem.startswith("people_person: ") for problem in report.problems)


def test_another_engines_backup_is_refused(demo: None, tmp_path: Path) -> None:
    backup = tmp_path / "provide.backup"
    manifest = database_backup(backup)
    other = "sqlite" if manifest.engine == "postgresql" else "postgresql"
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}" if other == "sqlite" else (
        "postgresql://postgres@127.0.0.1:5432/postgres")  # fmt: skip
    with pytest.raises(BackupError, match=f"this is a {manifest.engine} backup"):
        database_restore(backup, database_url=url)
