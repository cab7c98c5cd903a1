"""Every write of the retention app, each permission-checked and audited in its transaction.

* :func:`retention_run` assesses every record and, unless it is a dry run, anonymises what is
  due. One audit event per run, with the counts (never a name or a reference). The audit log
  itself is never anonymised: it is append-only, protected by database triggers, and kept on
  its own schedule (docs/retention.md).
* :func:`legal_hold_place` / :func:`legal_hold_release`: keep one person's records on one side.
* :func:`subject_access_export`: everything one side holds on a person, audited as an export
  naming the person.
* :func:`analyst_extract_export`: the pseudonymised extract, audited as an export.

A command or the nightly task passes no user (``actor=None``) and names itself in
``actor_username``; a page passes the signed-in user, whose role is checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.people.models import Person
from provide.retention.anonymise import anonymise
from provide.retention.assessment import RECORD_LABELS, retention_assess
from provide.retention.extract import extract_tables, extract_zip
from provide.retention.models import LegalHold, RetentionRun, Side
from provide.retention.policies import (
    RetentionNotAllowed,
    can_download_extract,
    can_manage_retention,
)
from provide.retention.pseudonyms import pseudonym_key, pseudonym_key_is_set
from provide.retention.rules import london_date
from provide.retention.subject_access import subject_access_build, subject_access_zip
from provide.retention.summary import summary_json
from provide.shared.files import private_opener

RUN_EVENT = "retention.run"
DRY_RUN_EVENT = "retention.dry_run"
HOLD_PLACED_EVENT = "retention.legal_hold_placed"
HOLD_RELEASED_EVENT = "retention.legal_hold_released"
SUBJECT_ACCESS_EVENT = "retention.subject_access_exported"
EXTRACT_EVENT = "retention.analyst_extract_exported"

NOT_ALLOWED = "Your role may not do this."
REASON_NEEDED = "Give the reason for the hold."
ALREADY_RELEASED = "This hold was released already."


class HoldError(Exception):
    """A hold cannot be placed or released as asked; the message says why."""


def _check(allowed: bool) -> None:
    if not allowed:
        raise RetentionNotAllowed(NOT_ALLOWED)


@dataclass(frozen=True)
class RunReport:
    run: RetentionRun

    @property
    def summary(self) -> dict[str, Any]:
        return dict(self.run.summary)

    def lines(self) -> list[str]:
        """The report in words: what would change (a dry run) or what changed, then what is held."""
        summary, dry = self.run.summary, self.run.dry_run
        lines = [
            f"Retention {'dry run' if dry else 'run'} for {summary['as_of']}: "
            f"{'would anonymise' if dry else 'anonymised'} (rows per record type)"
        ]
        for side in (Side.POLICE, Side.HEALTH):
            for record_type, counts in summary[side]["records"].items():
                if any(counts.values()):
                    lines.append(
                        f"  {RECORD_LABELS[record_type]}: {counts['due']} "
                        f"(held past their date {counts['held']}; due within 90 days {counts['upcoming']}; "
                        f"kept {counts['kept']}; anonymised before {counts['anonymised_before']})"
                    )
        people = summary["people"]
        lines.append(
            f"  {RECORD_LABELS['people.person']}: {people['due']} "
            f"(anonymised before {people['anonymised_before']})"
        )
        for side in (Side.POLICE, Side.HEALTH):
            for reason, units in summary[side]["held_reasons"].items():
                lines.append(f"  Held ({side}): {reason}: {units}")
        if "group_1_reviews_due" in summary[Side.POLICE]:
            lines.append(
                f"  MoPI group 1 reviews due within 90 days: {summary[Side.POLICE]['group_1_reviews_due']}"
            )
        return lines


def retention_run(
    *,
    dry_run: bool,
    actor: Any = None,
    actor_username: str = "provide retention-run",
    now: dt.datetime | None = None,
) -> RunReport:
    """Assess every record on ``now`` (default: the current moment) and, unless ``dry_run``,
    anonymise what is due and not held. Audited: one event per run, with the counts."""
    now = now or timezone.now()
    with transaction.atomic():
        assessment = retention_assess(now=now)
        summary = summary_json(assessment)
        run = RetentionRun.objects.create(
            dry_run=dry_run, as_of=assessment.today, actor_label=actor_username, summary=summary
        )
        if not dry_run:
            changes = anonymise(assessment, run)
            summary["changed"] = dict(sorted(changes.records.items()))
            summary["investigation_times"] = dict(sorted(changes.investigation_times.items()))
            run.summary = summary
            run.save(update_fields=["summary"])
        audit_record(
            actor=actor,
            actor_username=actor_username,
            action=AuditAction.VIEW if dry_run else AuditAction.UPDATE,
            event=DRY_RUN_EVENT if dry_run else RUN_EVENT,
            subject=run,
            changes=summary,
        )
    return RunReport(run)


@transaction.atomic
def legal_hold_place(*, actor: Any, person: Person, side: str, reason: str) -> LegalHold:
    """Keep ``person``'s records on ``side`` as they are until the hold is released."""
    _check(can_manage_retention(actor, side))
    if not reason.strip():
        raise HoldError(REASON_NEEDED)
    hold = LegalHold.objects.create(
        person=person, side=side, reason=reason.strip(), placed_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        event=HOLD_PLACED_EVENT,
        subject=hold,
        changes={"side": side},
    )
    return hold


@transaction.atomic
def legal_hold_release(*, actor: Any, hold: LegalHold) -> LegalHold:
    """End a hold: the records follow the schedule again from the next run."""
    locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
    _check(can_manage_retention(actor, locked.side))
    if locked.released_at is not None:
        raise HoldError(ALREADY_RELEASED)
    locked.released_at = timezone.now()
    locked.released_by = actor
    locked.save(update_fields=["released_at", "released_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        event=HOLD_RELEASED_EVENT,
        subject=locked,
        changes={"side": locked.side},
    )
    return locked


@transaction.atomic
def subject_access_export(
    *, person: Person, side: str, actor: Any = None, actor_username: str = "provide subject-access"
) -> bytes:
    """The ZIP of everything ``side`` holds on ``person`` (see :mod:`provide.retention.subject_access`).

    A signed-in user must manage that side's retention; a command (no user) may export either.
    Audited as an export by the actor about the person.
    """
    if actor is not None:
        _check(can_manage_retention(actor, side))
    export = subject_access_build(person=person, side=side, now=timezone.now())
    data = subject_access_zip(export)
    audit_record(
        actor=actor,
        actor_username=actor_username,
        action=AuditAction.EXPORT,
        event=SUBJECT_ACCESS_EVENT,
        subject=person,
        changes={
            "side": side,
            "bytes": len(data),
            "other_people_named": export.others_named,
            "rows": {s.key: len(s.rows) for s in export.sections},
        },
    )
    return data


@transaction.atomic
def analyst_extract_export(
    *, coarsen: str = "week", actor: Any = None, actor_username: str = "provide analyst-extract"
) -> bytes:
    """The pseudonymised extract as a ZIP of CSVs (see :mod:`provide.retention.extract`).

    A signed-in user must hold the analyst's permission; audited as an export with the row counts.
    """
    if actor is not None:
        _check(can_download_extract(actor))
    today = london_date(timezone.now())
    tables = extract_tables(key=pseudonym_key(), coarsen=coarsen, today=today)
    data = extract_zip(tables, coarsen=coarsen, today=today)
    audit_record(
        actor=actor,
        actor_username=actor_username,
        action=AuditAction.EXPORT,
        event=EXTRACT_EVENT,
        changes={
            "coarsen": coarsen,
            "bytes": len(data),
            "key_configured": pseudonym_key_is_set(),
            "rows": {table.name: len(table.rows) for table in tables},
        },
    )
    return data


def write_private(path: Path, data: bytes) -> None:
    """Write a new file readable by its owner only (0600); an existing file is never overwritten.

    Raises
    ------
    FileExistsError
        ``path`` exists.
    """
    with open(path, "xb", opener=private_opener) as handle:
        handle.write(data)
