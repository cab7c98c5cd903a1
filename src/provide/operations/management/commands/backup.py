"""provide backup DEST: back the database up into DEST, with a manifest that proves it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from provide.accounts.services import CommandLineOperator
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.operations.backup import BackupError, database_backup, manifest_path


class Command(BaseCommand):
    help = (
        "Back the database up into DEST (SQLite's online backup, or a pg_dump custom-format "
        "dump of one consistent snapshot), with DEST.manifest.json: every table's rows and "
        "checksum. Others can go on working meanwhile."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("destination", type=Path, help="the backup file to write (new)")
        parser.add_argument("--json", action="store_true", help="print the manifest's summary")

    def handle(self, *args: Any, **options: Any) -> None:
        destination: Path = options["destination"]
        try:
            manifest = database_backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from None
        audit_record(actor=CommandLineOperator("backup"), action=AuditAction.EXPORT,
                     event="operations.backup_made",
                     changes={"file": destination.name, "tables": len(manifest.tables),
                              "rows": manifest.rows})  # fmt: skip
        summary = {"file": str(destination), "manifest": str(manifest_path(destination)),
                   "engine": manifest.engine, "made_at": manifest.made_at,
                   "tables": len(manifest.tables), "rows": manifest.rows,
                   "sha256": manifest.file_sha256}  # fmt: skip
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
            return
        self.stdout.write(
            f"Backed up {summary['rows']} rows in {summary['tables']} tables to {destination} "
            f"({manifest.engine}); manifest {summary['manifest']}"
        )
