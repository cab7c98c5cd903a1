"""provide audit-verify: walk the audit log's hash chain and report the first problem.

Exit status 0 when every event is intact and linked and the append-only triggers are in place;
1 with what is wrong (the event's id, place and time, and the kind of problem) otherwise.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from provide.audit.chain import ChainPoint, ChainReport, chain_verify


def _when(report_time: Any) -> str:
    return (
        f"{timezone.localtime(report_time):%d %b %Y %H:%M:%S %Z}" if report_time else "unknown time"
    )


def report_text(report: ChainReport) -> list[str]:
    """The report in sentences, one a line."""
    lines = []
    if report.problem is not None:
        problem = report.problem
        where = (
            f"event id {problem.event_id} (#{problem.chain_index}, {_when(problem.occurred_at)})"
            if problem.event_id is not None
            else f"event #{problem.chain_index}"
        )
        lines.append(f"Audit log check FAILED at {where}: {problem.detail}.")
        lines.append(
            f"Intact before it: {report.checked} event(s) checked"
            + (
                f", up to #{report.head.index} ({_when(report.head.occurred_at)})."
                if report.head
                else "."
            )
        )
    elif report.head is None:
        lines.append("The audit log is empty: nothing to verify.")
    else:
        lines.append(
            f"Audit log verified: {report.checked} event(s), chain intact up to #{report.head.index} "
            f"({_when(report.head.occurred_at)})."
        )
        lines.append(f"Anchor (keep it elsewhere; check later with --anchor): {report.head}")
    if report.missing_triggers:
        lines.append(
            "The database no longer refuses changes to the audit table: trigger(s) missing or "
            f"disabled: {', '.join(report.missing_triggers)}."
        )
    return lines


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain: every event unchanged, none removed or inserted, and "
        "the append-only triggers in place. Exits 1 and names the first problem otherwise."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--anchor",
            type=self._anchor,
            metavar="INDEX:HASH",
            help="a head printed by an earlier run: the log must still hold that event unchanged",
        )

    @staticmethod
    def _anchor(text: str) -> ChainPoint:
        try:
            return ChainPoint.parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    def handle(self, *args: Any, **options: Any) -> None:
        report = chain_verify(anchor=options["anchor"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            for line in report_text(report):
                (self.stdout if report.ok else self.stderr).write(line)
        if not report.ok:
            raise CommandError("the audit log failed verification", returncode=1)
