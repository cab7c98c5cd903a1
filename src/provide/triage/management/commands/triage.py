"""provide triage: print a BCU-day's ranked triage queue with the reasons for each rank."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.intake.presenters import custody_text
from provide.triage.export import board_to_dict
from provide.triage.selectors import BoardUnavailable, TriageBoard, bcu_named, board_build


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2023-01-10") from None


def _time(value: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a time like 07:00") from None


class Command(BaseCommand):
    help = (
        "Print the ranked triage queue of one BCU-day, with each case's factors, points, "
        "eligibility, 24-hour clock and custody window. Same ranking as the board."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--bcu", required=True, help="BCU name, e.g. West")
        parser.add_argument("--date", type=_date, help="board date YYYY-MM-DD (default today)")
        parser.add_argument(
            "--at",
            type=_time,
            help="local time to compute the board at "
            "(default: now for today, the morning cut-off for a past day)",
        )
        parser.add_argument("--json", action="store_true", help="print JSON instead of text")

    def handle(self, *args: Any, **options: Any) -> None:
        on_date = options["date"] or timezone.localdate()
        as_of = None
        if options["at"] is not None:
            as_of = dt.datetime.combine(
                on_date, options["at"], tzinfo=timezone.get_current_timezone()
            )
        try:
            board = board_build(bcu=bcu_named(options["bcu"]), on_date=on_date, as_of=as_of)
        except BoardUnavailable as problem:
            raise CommandError(str(problem)) from None
        audit_record(
            actor=None,
            action=AuditAction.VIEW,
            event="triage.board_printed",
            actor_username="provide triage",
            changes={"bcu": board.bcu.name, "date": on_date.isoformat(), "cases": len(board.rows)},
        )
        if options["json"]:
            self.stdout.write(json.dumps(board_to_dict(board), indent=2))
        else:
            self.stdout.write(board_text(board))


def board_text(board: TriageBoard) -> str:
    """The board as plain text, one block per case."""
    window = board.window
    local = timezone.localtime
    lines = [
        f"Triage board: {board.bcu.name} BCU, {window.on_date:%A %d %B %Y}",
        f"Recorded {local(window.starts_at):%a %d %b %H:%M} to {local(window.as_of):%a %d %b %H:%M} "
        f"({window.look_back_hours} h look-back); policy version {board.policy.version} ({board.policy.name})",
        f"{len(board.rows)} cases: {len(board.eligible_rows)} eligible, {board.to_decide} to decide, "
        f"{board.due_soon} due soon, {board.breached} past the target, {board.in_custody} with the suspect in custody",
        "",
    ]
    for row in board.rows:
        case, assessment = row.assessment.case, row.assessment
        grade = case.risk_grade.label if case.risk_grade else "Ungraded"
        eligible = "eligible" if assessment.eligibility.eligible else "not eligible"
        lines.append(
            f"{row.rank:>3}. {case.reference}  {grade}  {assessment.score.total} points  "
            f"{eligible}  {assessment.clock.summary}"
        )
        for factor in assessment.score.factors:
            lines.append(f"       {factor.points:>4}  {factor.label}: {factor.reason}")
        lines.append(f"       Eligibility: {assessment.eligibility.reason}")
        if case.custody is not None:
            lines.append(f"       Custody: {custody_text(case.custody, assessment.score.as_of)}")
        if row.decision is not None:
            lines.append(
                f"       Decision: {row.decision.get_decision_display()} "
                f"(policy v{row.decision.policy.version}): {row.decision.reasons}"
            )
    if not board.rows:
        lines.append("No investigations in this window.")
    return "\n".join(lines)
