"""provide import-postcodes FILE: load postcode centroids from the ONS Postcode Directory."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from provide.areas.postcode_import import PostcodeFileError, postcodes_import


class Command(BaseCommand):
    help = (
        "Load postcode centroids from the ONS Postcode Directory (the ONSPD CSV, or its zip). "
        "All or nothing; loading the same file again changes nothing."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "file", type=Path, help="ONSPD CSV (columns pcds, lat, long, doterm) or zip"
        )
        parser.add_argument("--dry-run", action="store_true",
                            help="check the file and print the report; write nothing")  # fmt: skip
        parser.add_argument("--skip-terminated", action="store_true",
                            help="leave out postcodes no longer in use (kept, flagged, by default)")  # fmt: skip
        parser.add_argument("--json", action="store_true",
                            help='print {"rows", "loaded", "new", "terminated", "skipped", '
                                 '"skipped_by_reason", "problems", ...} as the last line')  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            result = postcodes_import(path=path, dry_run=options["dry_run"],
                                      skip_terminated=options["skip_terminated"],
                                      source_name=str(path), actor_username="provide import-postcodes")  # fmt: skip
        except PostcodeFileError as error:
            raise CommandError(f"{path}: {error}; nothing written") from None
        for line in result.problems:
            self.stderr.write(line)
        if result.problem_count > len(result.problems):
            self.stderr.write(f"... and {result.problem_count - len(result.problems)} more")
        self.stdout.write(result.summary_line())
        if options["json"]:
            self.stdout.write(json.dumps(result.json_summary()))
        if result.problem_count:
            raise CommandError(f"{path}: file rejected, nothing written", returncode=1)
