"""provide import-tracker FILE: bring an IDVA tracker spreadsheet (FORMATS.md §B) in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from provide.accounts.models import User
from provide.core.tabular import TabularError, load_mapping, open_table
from provide.health.tracker import TrackerNotAllowed, rejects_csv, tracker_check
from provide.intake.services.importing import check_size, max_unpacked_bytes
from provide.visits.tracker_import import tracker_import


class Command(BaseCommand):
    help = (
        "Import an IDVA tracker (CSV or XLSX). Any unreadable row rejects the whole file "
        "unless --partial; rows are matched by tracker_id. A stored row the file would move "
        "to another victim is held for review unless named with --relink."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--mapping", type=Path, help="column mapping: JSON object or two-column CSV"
        )
        parser.add_argument("--sheet", help="worksheet name (XLSX; default: the first sheet)")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="import the good rows and write the rejected ones to a rejects file",
        )
        parser.add_argument(
            "--rejects",
            type=Path,
            help="where --partial writes rejected rows (default: FILE.rejects.csv)",
        )
        parser.add_argument("--user", help="record the import in the audit log as this user")
        parser.add_argument(
            "--relink",
            action="append",
            default=[],
            metavar="TRACKER_ID",
            help="move this stored row to the victim the file names (after review; "
            "repeatable, or comma-separated)",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="print the counts and the rows held for review as one JSON object",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = _user(options["user"])
        path: Path = options["file"]
        relink = {
            ref.strip() for value in options["relink"] for ref in value.split(",") if ref.strip()
        }
        try:
            check_size(path, str(path))
            mapping = load_mapping(options["mapping"]) if options["mapping"] else None
            table = open_table(
                path,
                sheet=options["sheet"],
                name=str(path),
                max_unpacked_bytes=max_unpacked_bytes(),
            )
            check = tracker_check(table, mapping=mapping, user=user)
        except TabularError as error:
            for line in error.lines():
                self.stderr.write(line)
            raise CommandError("the file was rejected: nothing was written") from None
        try:
            summary = tracker_import(
                check=check,
                user=user,
                actor_label="import-tracker",
                partial=options["partial"],
                dry_run=options["dry_run"],
                relink=relink,
            )
        except TrackerNotAllowed as error:
            raise CommandError(str(error)) from None
        for line in summary.problems:
            self.stderr.write(line)
        for held in summary.held:
            self.stderr.write(f"held for review: {held} (approve with --relink {held.tracker_id})")
        if check.extra_columns:
            self.stderr.write(f"extra columns kept aside: {', '.join(check.extra_columns)}")
        if options["partial"] and check.problems and not options["dry_run"]:
            target = options["rejects"] or options["file"].with_name(
                options["file"].name + ".rejects.csv"
            )
            target.write_bytes(rejects_csv(check))
            self.stderr.write(f"rejected rows written to {target}")
        self.stdout.write(json.dumps(summary.json_summary()) if options["json"] else summary.line())
        if summary.file_rejected:
            raise CommandError(
                f"{summary.rejected} row(s) could not be read: nothing was written "
                "(--partial imports the good rows)"
            )


def _user(username: str | None) -> Any:
    if not username:
        return None
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"no user {username!r}") from None
