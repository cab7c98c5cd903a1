"""provide import-appointments FILE...: health appointments from FHIR R4 JSON (FORMATS.md §D)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from provide.accounts.models import User
from provide.health.fhir import (
    AppointmentsNotAllowed,
    FhirFileError,
    appointments_import,
    fhir_check,
)


class Command(BaseCommand):
    help = (
        "Import FHIR R4 (UK Core) Patient and Appointment resources — a Bundle, one resource "
        "or a JSON array — as discreet-contact windows, matched to victims by NHS number."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", type=Path, nargs="+")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--partial", action="store_true", help="import the valid resources, skip the rest"
        )
        parser.add_argument("--user", help="record the import in the audit log as this user")
        parser.add_argument(
            "--json", action="store_true", help="print the counts as one JSON object"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user {options['user']!r}")
        failed = False
        for path in options["files"]:
            try:
                check = fhir_check(path.read_bytes(), source=str(path))
                summary = appointments_import(
                    check=check,
                    user=user,
                    actor_label="import-appointments",
                    partial=options["partial"],
                    dry_run=options["dry_run"],
                )
            except OSError as error:
                raise CommandError(f"{path}: cannot read file ({error.strerror})") from None
            except (FhirFileError, AppointmentsNotAllowed) as error:
                raise CommandError(str(error)) from None
            for line in summary.problems:
                self.stderr.write(line)
            self.stdout.write(
                json.dumps(summary.counts()) if options["json"] else f"{path}: {summary.line()}"
            )
            failed = failed or summary.file_rejected
        if failed:
            raise CommandError(
                "a file had invalid resources: nothing was written from it "
                "(--partial imports the valid ones)"
            )
