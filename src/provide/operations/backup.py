"""Backups that prove themselves: ``provide backup DEST`` and ``provide restore SRC``.

A backup is one file plus a manifest beside it (``DEST.manifest.json``): the engine, when it
was made, the file's SHA-256, and every table's row count and checksum
(:mod:`provide.operations.fingerprints`) taken from the same moment as the file:

* **SQLite**: SQLite's online backup copies the live database page by page into ``DEST``
  (others may go on writing); the fingerprints are read from the copy.
* **PostgreSQL**: a read-only repeatable-read transaction exports its snapshot; ``pg_dump``
  (custom format) dumps that snapshot while the same transaction reads the fingerprints, so
  both see exactly the same rows.

A restore refuses a file whose checksum does not match its manifest, or a database that is not
empty (unless told to replace it), restores, and then compares every table with the manifest:
any difference is reported and the restore counts as failed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dj_database_url
from django.db import connections, transaction

from provide.operations.fingerprints import TableFingerprint, database_fingerprints, differences

MANIFEST_SUFFIX = ".manifest.json"
FORMAT = 1


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupManifest:
    engine: str
    made_at: str
    file_sha256: str
    tables: dict[str, TableFingerprint]
    format: int = FORMAT

    @property
    def rows(self) -> int:
        return sum(int(table["rows"]) for table in self.tables.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "engine": self.engine,
            "made_at": self.made_at,
            "file_sha256": self.file_sha256,
            "tables": self.tables,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BackupManifest:
        return cls(
            engine=str(data["engine"]),
            made_at=str(data["made_at"]),
            file_sha256=str(data["file_sha256"]),
            tables={str(k): dict(v) for k, v in data["tables"].items()},
            format=int(data.get("format", FORMAT)),
        )


@dataclass
class RestoreReport:
    engine: str
    tables: int
    rows: int
    problems: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return not self.problems


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + MANIFEST_SUFFIX)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _user_tables(cursor: Any, engine: str) -> list[str]:
    if engine == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
    return sorted(str(row[0]) for row in cursor.fetchall())


def _pg_environment(settings: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                      ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):  # fmt: skip
        if settings.get(key):
            env[name] = str(settings[key])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: install PostgreSQL's client tools")
    return found


def database_backup(destination: Path, *, using: str = "default") -> BackupManifest:
    """Back the database up into ``destination`` (which must not exist), with its manifest."""
    if destination.exists() or manifest_path(destination).exists():
        raise BackupError(f"{destination} exists: give a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    engine = connection.vendor
    if engine == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(destination)
        try:
            connection.connection.backup(target)
            copy = target.cursor()
            tables = database_fingerprints(copy, _user_tables(copy, engine))
        finally:
            target.close()
    elif engine == "postgresql":
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            done = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [_tool("pg_dump"), "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                 f"--file={destination}"],
                env=_pg_environment(connection.settings_dict), capture_output=True, text=True,
                check=False,
            )  # fmt: skip
            if done.returncode != 0:
                destination.unlink(missing_ok=True)
                raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")
            tables = database_fingerprints(cursor, _user_tables(cursor, engine))
    else:
        raise BackupError(f"backups of {engine} databases are not supported")
    manifest = BackupManifest(
        engine=engine,
        made_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        file_sha256=_file_sha256(destination),
        tables=tables,
    )
    manifest_path(destination).write_text(json.dumps(manifest.to_json(), indent=2) + "\n")
    return manifest


def read_manifest(backup: Path) -> BackupManifest:
    """The backup's manifest, after checking the file is the one it describes."""
    if not backup.is_file():
        raise BackupError(f"{backup} is not a file")
    try:
        manifest = BackupManifest.from_json(json.loads(manifest_path(backup).read_text()))
    except FileNotFoundError:
        raise BackupError(
            f"{manifest_path(backup)} is missing: a backup needs its manifest"
        ) from None
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{manifest_path(backup)} cannot be read: {error}") from None
    if _file_sha256(backup) != manifest.file_sha256:
        raise BackupError(f"{backup} does not match its manifest: the file is damaged or changed")
    return manifest


@contextmanager
def _raw_connection(settings: dict[str, Any]) -> Iterator[Any]:
    """A DB-API connection to the database ``settings`` describe (Django's DATABASES shape)."""
    if "sqlite" in settings["ENGINE"]:
        connection: Any = sqlite3.connect(settings["NAME"])
    else:
        import psycopg

        connection = psycopg.connect(
            dbname=settings["NAME"], user=settings.get("USER") or None,
            password=settings.get("PASSWORD") or None, host=settings.get("HOST") or None,
            port=settings.get("PORT") or None, autocommit=True,
        )  # fmt: skip
        # JSON as the server writes it, as Django's connection reads it, so checksums agree
        from psycopg.types.string import TextLoader

        for json_type in ("json", "jsonb"):
            connection.adapters.register_loader(json_type, TextLoader)
    try:
        yield connection
    finally:
        connection.close()


def _target_settings(database_url: str | None, using: str) -> dict[str, Any]:
    if database_url:
        return dict(dj_database_url.parse(database_url))
    return dict(connections[using].settings_dict)


def database_restore(
    source: Path, *, database_url: str | None = None, using: str = "default", replace: bool = False
) -> RestoreReport:
    """Restore ``source`` into the database (``database_url``, else Django's) and verify it.

    The database must be empty unless ``replace``; the engine must be the backup's."""
    manifest = read_manifest(source)
    settings = _target_settings(database_url, using)
    engine = "sqlite" if "sqlite" in settings["ENGINE"] else "postgresql"
    if engine != manifest.engine:
        raise BackupError(f"this is a {manifest.engine} backup: restore it into {manifest.engine}")
    if using in connections and not database_url:
        connections[using].close()
    with _raw_connection(settings) as connection:
        existing = _user_tables(connection.cursor(), engine)
    if existing and not replace:
        raise BackupError(
            f"the database is not empty ({len(existing)} tables): restore into a new, empty "
            "database, or replace this one with --replace"
        )
    if engine == "sqlite":
        with _raw_connection(settings) as target:
            origin = sqlite3.connect(source)
            try:
                origin.backup(target)
            finally:
                origin.close()
    else:
        flags = ["--clean", "--if-exists"] if replace else []
        done = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [_tool("pg_restore"), "--no-owner", "--exit-on-error", *flags,
             f"--dbname={settings['NAME']}", str(source)],
            env=_pg_environment(settings), capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")
    with _raw_connection(settings) as connection:
        cursor = connection.cursor()
        found = database_fingerprints(cursor, _user_tables(cursor, engine))
    return RestoreReport(
        engine=engine,
        tables=len(found),
        rows=sum(int(t["rows"]) for t in found.values()),
        problems=differences(manifest.tables, found),
    )
