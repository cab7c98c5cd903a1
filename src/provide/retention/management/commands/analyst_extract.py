"""provide analyst-extract --out FILE: the pseudonymised row-level extract for analysts."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from provide.retention.extract import COARSENING
from provide.retention.pseudonyms import pseudonym_key_is_set
from provide.retention.services import analyst_extract_export, write_private


class Command(BaseCommand):
    help = (
        "Write the analysts' extract to a new ZIP of CSV files, readable by you only: police-side and "
        "joint records, people and records named by keyed pseudonyms, dates by week or month, no "
        "names, dates of birth, addresses, phone numbers, references or free text. Audited as an export."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--out", required=True, type=Path, help="the ZIP to write (must not exist)"
        )
        parser.add_argument(
            "--coarsen", choices=COARSENING, default="week", help="dates by week (default) or month"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        if out.exists():
            raise CommandError(f"{out} exists: give a new file name")
        if not pseudonym_key_is_set():
            self.stderr.write(
                "warning: PROVIDE_PSEUDONYM_KEY is not set; the pseudonyms use a key derived from "
                "DJANGO_SECRET_KEY (retention.W001)"
            )
        data = analyst_extract_export(
            coarsen=options["coarsen"], actor_username="provide analyst-extract"
        )
        write_private(out, data)
        self.stdout.write(f"extract written to {out} ({len(data)} bytes)")
