"""provide plan: plan one BCU's joint-team shifts for a day and print the routes."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from provide.accounts.services import CommandLineOperator
from provide.areas.models import Area
from provide.planning import mapping, services
from provide.planning.models import Plan, Shift


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2023-01-10") from None


class Command(BaseCommand):
    help = "Plan a BCU's joint-team shifts for a day (accepted triage cases) and print the routes."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--bcu", required=True, help="BCU name, e.g. West")
        parser.add_argument("--date", type=_date, default=None, help="YYYY-MM-DD (default today)")
        parser.add_argument("--shift", choices=[p.value for p in Shift.Pattern], required=True)
        parser.add_argument("--time-limit", type=float, default=services.DEFAULT_TIME_LIMIT_SECONDS)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--as-of", help="plan from this moment (ISO 8601; default the shift start)"
        )
        parser.add_argument("--json", action="store_true", help="print the plan as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        bcu = Area.objects.filter(kind=Area.Kind.BCU, name__iexact=options["bcu"]).first()
        if bcu is None:
            raise CommandError(f"no BCU called {options['bcu']!r}")
        on_date = options["date"] or timezone.localdate()
        shifts = list(
            Shift.objects.select_related("team", "team__base", "team__bcu").filter(
                team__bcu=bcu, on_date=on_date, pattern=options["shift"]
            )
        )
        if not shifts:
            raise CommandError(
                f"no {options['shift']} joint-team shifts in {bcu.name} on {on_date}"
            )
        as_of = min(s.starts_at for s in shifts)
        if options["as_of"]:
            as_of = dt.datetime.fromisoformat(options["as_of"])
            if as_of.tzinfo is None:
                as_of = as_of.replace(tzinfo=mapping.LONDON)
        operator = CommandLineOperator("plan")
        plans = services.plan_run(
            user=operator,
            shifts=shifts,
            as_of=as_of,
            time_limit_seconds=options["time_limit"],
            seed=options["seed"],
            trigger=Plan.Trigger.START_OF_SHIFT,
        )
        document = [_plan_dict(plan) for plan in plans]
        if options["json"]:
            self.stdout.write(json.dumps(document, indent=2))
            return
        for plan in document:
            self.stdout.write(
                f"{plan['team']} {plan['shift']} {on_date} — version {plan['version']}, "
                f"{len(plan['stops'])} visits, {plan['travel_minutes']} min travel"
            )
            for stop in plan["stops"]:
                self.stdout.write(
                    f"  {stop['sequence']}. {stop['arrival'][11:16]} {stop['investigation_ref']} "
                    f"{stop['victim']} {stop['postcode']}"
                )
        left = document[0]["left_out"] if document else []
        for item in left:
            self.stdout.write(f"  not planned: {item['investigation_ref']} — {item['reason']}")


def _plan_dict(plan: Plan) -> dict[str, Any]:
    local = mapping.LONDON
    return {
        "team": plan.shift.team.name,
        "shift": plan.shift.pattern,
        "version": plan.version,
        "plan_id": str(plan.public_id),
        "travel_minutes": plan.travel_minutes,
        "total_priority": plan.total_priority,
        "solver": plan.solver_stats,
        "stops": [
            {
                "sequence": s.sequence,
                "investigation_ref": s.investigation.investigation_ref,
                "victim": str(s.investigation.victim),
                "postcode": s.investigation.victim.postcode,
                "arrival": s.planned_arrival_at.astimezone(local).isoformat(),
                "departure": s.planned_departure_at.astimezone(local).isoformat(),
                # the windows it was planned within: safe_contact, availability, custody
                "windows": s.windows,
            }
            for s in plan.stops.select_related("investigation__victim").order_by("sequence")
        ],
        "left_out": [
            {"investigation_ref": c.investigation.investigation_ref, "reason": c.reason}
            for c in plan.left_out.select_related("investigation")
        ],
    }
