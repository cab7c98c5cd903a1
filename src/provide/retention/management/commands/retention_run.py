"""provide retention-run: anonymise the records past their review date that nothing holds."""

from __future__ import annotations

import argparse
import json
from typing import Any

from django.core.management.base import BaseCommand

from provide.retention.services import retention_run


class Command(BaseCommand):
    help = (
        "Anonymise every record past its review date (MoPI groups for police records, the trust's "
        "schedule for health-side records) that no open case, MARAC, custody, referral or legal hold "
        "keeps. Run with --dry-run first: it lists what would change, as counts, and changes nothing. "
        "Every run is recorded in the audit log."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would change; change nothing"
        )
        parser.add_argument(
            "--json", action="store_true", help="print the counts as one JSON object"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_run(dry_run=options["dry_run"], actor_username="provide retention-run")
        if options["json"]:
            self.stdout.write(
                json.dumps({"dry_run": options["dry_run"], **report.summary}, indent=2)
            )
            return
        for line in report.lines():
            self.stdout.write(line)
