"""The shared shape of ``provide import-investigations`` and ``provide import-custody``."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from provide.intake.services import ImportResult


class ImportCommand(BaseCommand):
    importer: Callable[..., ImportResult]
    command_name = ""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="CSV (UTF-8) or XLSX file")
        parser.add_argument(
            "--mapping",
            type=Path,
            help="column mapping file (JSON object or two-column CSV: file header, column)",
        )
        parser.add_argument("--sheet", help="XLSX worksheet name (default: the first)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and print the report; write nothing",
        )
        parser.add_argument(
            "--partial",
            action="store_true",
            help="import the good rows and write the bad ones to a rejects file",
        )
        parser.add_argument(
            "--rejects",
            type=Path,
            help="where --partial writes rejected rows (default FILE.rejects.csv)",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help='print {"created", "updated", "unchanged", "rejected", "held_for_review", '
            '"identity_conflicts"} as the last line',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        result = type(self).importer(
            actor=None,
            path=path,
            mapping_path=options["mapping"],
            sheet_name=options["sheet"],
            partial=options["partial"],
            dry_run=options["dry_run"],
            rejects_path=options["rejects"],
            source_name=str(path),
            actor_username=f"provide {self.command_name}",
        )
        for line in result.problem_lines():
            self.stderr.write(line)
        if result.extra_columns:
            self.stdout.write(f"extra columns kept aside: {', '.join(result.extra_columns)}")
        for note in result.notes:
            self.stdout.write(note)
        for line in result.review_lines():
            self.stdout.write(f"held for review: {line}")
        if result.rejects_path:
            self.stdout.write(f"rejected rows written to {result.rejects_path}")
        self.stdout.write(result.summary_line())
        if options["json"]:
            self.stdout.write(json.dumps(result.json_summary()))
        if result.file_rejected:
            raise CommandError(f"{path}: file rejected, nothing written", returncode=1)
