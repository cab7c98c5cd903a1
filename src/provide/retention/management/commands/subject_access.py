"""provide subject-access PERSON_ID --side police|health --out FILE: answer a subject-access request."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from provide.accounts.models import User
from provide.retention.models import Side
from provide.retention.selectors import AmbiguousPerson, subject_find
from provide.retention.services import subject_access_export, write_private
from provide.shared.access import RecordNotFound


class Command(BaseCommand):
    help = (
        "Write everything one side holds on one person to a new ZIP (JSON and a readable HTML summary), "
        "readable by you only. Police and health are exported separately, each for its own controller. "
        "Recorded in the audit log as an export about the person."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "person",
            help="the person's Provide id, or the force's person id (--side police) "
            "or NHS number (--side health)",
        )
        parser.add_argument("--side", required=True, choices=[Side.POLICE.value, Side.HEALTH.value])
        parser.add_argument(
            "--out", required=True, type=Path, help="the ZIP to write (must not exist)"
        )
        parser.add_argument(
            "--user", help="record the export in the audit log as this user's (by username)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            person = subject_find(side=options["side"], text=options["person"])
        except RecordNotFound:
            raise CommandError(
                f"no one on the {options['side']} side has the id {options['person']!r}"
            ) from None
        except AmbiguousPerson as error:
            raise CommandError(str(error)) from None
        username = options["user"]
        actor = User.objects.filter(username=username).first() if username else None
        if username and actor is None:
            raise CommandError(f"no user {username!r}")
        out: Path = options["out"]
        if out.exists():
            raise CommandError(f"{out} exists: give a new file name")
        data = subject_access_export(
            person=person,
            side=options["side"],
            actor=actor,
            actor_username="provide subject-access",
        )
        write_private(out, data)
        self.stdout.write(
            f"{options['side']} side of {person.public_id} written to {out} ({len(data)} bytes)"
        )
