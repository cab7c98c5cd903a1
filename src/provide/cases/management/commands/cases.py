"""provide cases: list a BCU's cases in a state, as the API and the case pages list them."""

from __future__ import annotations

import argparse
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from provide.areas.models import Area
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.cases.presenters import case_summary
from provide.cases.selectors import UnknownState, cases_in, states_for


class Command(BaseCommand):
    help = (
        "List a BCU's cases with their state, 24-hour clock and attempts. --state takes a state "
        "(new, triaged, accepted, planned, attempted, seen, handed_over, closed) or awaiting_visit "
        "(accepted, planned or attempted) or open."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--bcu", required=True, help="BCU name, e.g. West")
        parser.add_argument("--state", help="a state or awaiting_visit / open (default: open)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of text")

    def handle(self, *args: Any, **options: Any) -> None:
        bcu = Area.objects.filter(kind=Area.Kind.BCU, name__iexact=options["bcu"]).first()
        if bcu is None:
            raise CommandError(f"there is no BCU called {options['bcu']!r}")
        try:
            states = states_for(options["state"] or "open") or ()
        except UnknownState as error:
            raise CommandError(str(error)) from None
        cases = [
            case_summary(case)
            for case in cases_in(bcu, states).order_by("investigation__recorded_at", "id")
        ]
        audit_record(
            actor=None,
            action=AuditAction.EXPORT,
            event="cases.listed_on_command_line",
            actor_username="provide cases",
            changes={"bcu": bcu.name, "state": options["state"] or "open", "cases": len(cases)},
        )
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"bcu": bcu.name, "state": options["state"] or "open", "results": cases},
                    indent=2,
                )
            )
            return
        self.stdout.write(f"{len(cases)} case(s) in {bcu.name}, {options['state'] or 'open'}:")
        for case in cases:
            clock = case["clock"]
            when = (
                f"seen {clock['stopped_at']}"
                if clock["stopped_at"]
                else (f"due {clock['due_at']}" if clock["due_at"] else "clock not started")
            )
            self.stdout.write(
                f"  {case['investigation_ref']:<24} {case['state']:<12} "
                f"attempts {case['attempts']}  {when}"
            )
