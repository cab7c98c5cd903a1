"""provide restore SRC: restore a backup into an empty database and prove it matches."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from provide.operations.backup import BackupError, database_restore, read_manifest


class Command(BaseCommand):
    help = (
        "Restore SRC (made by provide backup) into the database (DATABASE_URL, or --database-url), "
        "which must be empty unless --replace, then compare every table's rows and checksum with "
        "the backup's manifest. --check only checks the file against its manifest."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("source", type=Path, help="the backup file")
        parser.add_argument("--database-url", default=None, help="restore into this database")
        parser.add_argument("--replace", action="store_true",
                            help="replace what the database holds (it is dropped first)")  # fmt: skip
        parser.add_argument("--check", action="store_true",
                            help="only check the file against its manifest")  # fmt: skip
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["source"]
        try:
            if options["check"]:
                manifest = read_manifest(source)
                self.stdout.write(
                    f"{source} matches its manifest: {manifest.rows} rows in "
                    f"{len(manifest.tables)} tables, made {manifest.made_at}"
                )
                return
            report = database_restore(
                source, database_url=options["database_url"], replace=options["replace"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps({"verified": report.verified, "tables": report.tables,
                                          "rows": report.rows, "problems": report.problems},
                                         indent=2))  # fmt: skip
        elif report.verified:
            self.stdout.write(
                f"Restored and verified: {report.rows} rows in {report.tables} tables match the "
                "backup's manifest"
            )
        if not report.verified:
            raise CommandError(
                "The restored database does not match the backup:\n  "
                + "\n  ".join(report.problems)
            )
