"""The IDVA tracker spreadsheet (FORMATS.md §B): check, import and export.

Reading uses :mod:`provide.core.tabular` for every FORMATS tolerance (headers, booleans,
day-first dates, lists, column mappings). This module adds what needs the database: the BCU
named in the row, and links to the investigation (``investigation_ref``) and the victim
(``victim_id``, the force's person reference).

Import rules: any unreadable row rejects the whole file and nothing is written, unless
``partial``; rows are matched by ``tracker_id``, so re-importing a file changes nothing and a
newer extract updates the rows that changed. A column the file does not have leaves the
stored value alone; a blank cell in a column it has means "not known". Investigation and
person references are matched ignoring case.

A stored row never moves to another victim (or to none) on its own: a row that would is
*held for review* - nothing of it is written and it is listed (:class:`HeldRow`) - until the
IDVA manager approves that move by its tracker id (``relink``). An empty file, a header
with no rows, a file that is not a spreadsheet or cannot be read is refused with the reason.

A tracker row is also a visit (the shared joint record), which lives in ``visits``, above
health: so the import itself is :func:`provide.visits.tracker_import.tracker_import`, which
writes the rows here (:func:`tracker_rows_write`) and keeps the visits in step.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models.functions import Upper
from django.utils import timezone

from provide.accounts.models import User
from provide.areas.models import Area
from provide.audit.models import AuditAction
from provide.audit.services import audit_record, audit_record_many, changed_fields
from provide.core.safeguarding.targets import REFERRAL_TARGETS
from provide.core.tabular import (
    Cell,
    CellProblem,
    ColumnSpec,
    Table,
    TabularError,
    choice_parser,
    open_table,
    parse_bool,
    parse_datetime,
    parse_list,
    parse_text,
    read_records,
    resolve_columns,
    safe_cell,
    safe_row,
)
from provide.health.models import Service, SupportRecord, TrackerUpload
from provide.health.policies import can_export_tracker, can_import_tracker
from provide.health.selectors import support_record_list_for
from provide.intake.models import Investigation
from provide.intake.services.importing import max_unpacked_bytes
from provide.people.models import Person
from provide.shared.access import bcu_scope

MODES = ("live", "post-incident", "consultation")
SERVICES = tuple(code for code, _ in Service.choices)
REFERRALS = tuple(code for code, _ in REFERRAL_TARGETS)
BOOLEAN_COLUMNS = (
    "idva_support_offered",
    "idva_support_accepted",
    "prosecution_support_offered",
    "prosecution_support_accepted",
    "engaged_investigation",
    "engaged_safeguarding",
    "previously_engaged_investigation",
    "previously_engaged_safeguarding",
)
COLUMN_ORDER = (
    "tracker_id",
    "investigation_ref",
    "victim_id",
    "bcu",
    "mode",
    "police_visit_at",
    "idva_visit_at",
    *BOOLEAN_COLUMNS,
    "services",
    "referrals",
    "idva",
)
NOT_ALLOWED_IMPORT = "Only the IDVA manager can import the tracker."
NOT_ALLOWED_EXPORT = "Only health roles can export the tracker."
ALREADY_DEALT_WITH = "This upload has already been dealt with."
NO_ROWS = "{source}: the file has a header row but no data rows"
CHUNK = 900
"""Largest ``__in`` list sent in one query."""


def _code_list(allowed: Sequence[str], label: str) -> Any:
    def parse(value: Cell) -> list[str]:
        items = list(parse_list(value))
        unknown = [item for item in items if item not in allowed]
        if unknown:
            raise ValueError(
                f"{unknown[0]!r} is not a known {label} (expected: {', '.join(allowed)})"
            )
        return items

    return parse


TRACKER_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("tracker_id", parse_text, required=True),
    ColumnSpec("investigation_ref", parse_text),
    ColumnSpec("victim_id", parse_text),
    ColumnSpec("bcu", parse_text),
    ColumnSpec(
        "mode",
        choice_parser(
            MODES, aliases={"post": "post-incident", "postincident": "post-incident"}, label="mode"
        ),
    ),
    ColumnSpec("police_visit_at", parse_datetime),
    ColumnSpec("idva_visit_at", parse_datetime),
    *(ColumnSpec(name, parse_bool) for name in BOOLEAN_COLUMNS),
    ColumnSpec("services", _code_list(SERVICES, "service")),
    ColumnSpec("referrals", _code_list(REFERRALS, "referral")),
    ColumnSpec("idva", parse_text),
)


class TrackerNotAllowed(Exception):
    pass


@dataclass(frozen=True)
class PreparedRow:
    """One good row: its spreadsheet number, the values to store, and the force reference of
    the victim it names (for messages; blank when none)."""

    row: int
    tracker_id: str
    values: dict[str, Any]
    victim_ref: str = ""


@dataclass(frozen=True)
class HeldRow:
    """A stored tracker row the file would move to another victim: held for review."""

    tracker_id: str
    row: int
    victim_now: str
    victim_in_file: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "tracker_id": self.tracker_id,
            "row": self.row,
            "victim_now": self.victim_now,
            "victim_in_file": self.victim_in_file,
        }

    def __str__(self) -> str:
        return (
            f"row {self.row}: tracker row {self.tracker_id} is linked to victim {self.victim_now}; the file "
            f"names {self.victim_in_file}. Held: nothing of this row was written"
        )


@dataclass
class TrackerCheck:
    """A tracker file read and checked against the database; nothing written yet.

    ``sheet`` is the table it was read from (a streamed table is read again for the
    rejects file)."""

    source: str
    sheet: Table
    rows: list[PreparedRow]
    problems: list[CellProblem]
    extra_columns: list[str]
    absent_columns: list[str]

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.row is not None})


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    dry_run: bool = False
    file_rejected: bool = False
    problems: list[str] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    held: list[HeldRow] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }

    def review(self) -> dict[str, Any]:
        """The rows held for review: their count and each one."""
        return {
            "held_for_review": len(self.held),
            "relinks_held": [held.as_dict() for held in self.held],
        }

    def json_summary(self) -> dict[str, Any]:
        """The ``--json`` output of ``provide import-tracker``."""
        return {**self.counts(), **self.review()}

    def line(self) -> str:
        outcome = (
            " (file rejected: nothing written)"
            if self.file_rejected
            else " (dry run: nothing written)"
            if self.dry_run
            else ""
        )
        held = f", {len(self.held)} held for review" if self.held else ""
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.rejected} rejected{held}{outcome}"
        )


@dataclass
class TrackerWrite:
    """What :func:`tracker_rows_write` did: the counts, and the rows it created and changed."""

    summary: ImportSummary
    created: list[SupportRecord] = field(default_factory=list)
    updated: list[SupportRecord] = field(default_factory=list)


def _chunks(items: Iterable[str]) -> Iterable[list[str]]:
    wanted = sorted(set(items))
    for start in range(0, len(wanted), CHUNK):
        yield wanted[start : start + CHUNK]


def _investigations_by_ref(refs: Iterable[str]) -> dict[str, Investigation]:
    """Investigations by upper-cased reference (references are matched ignoring case): exact
    matches first (indexed), then the rest compared in upper case."""
    wanted = set(refs)
    found: dict[str, Investigation] = {}
    for number in (0, 1):
        missing = [
            ref if number == 0 else ref.upper() for ref in wanted if ref.upper() not in found
        ]
        for chunk in _chunks(missing):
            rows = Investigation.objects.select_related("victim", "bcu")
            if number:
                rows = rows.annotate(ref_key=Upper("investigation_ref")).filter(ref_key__in=chunk)
            else:
                rows = rows.filter(investigation_ref__in=chunk)
            for investigation in rows.order_by("pk"):
                found.setdefault(investigation.investigation_ref.upper(), investigation)
    return found


def _people_by_ref(refs: Iterable[str]) -> dict[str, Person]:
    """The person holding each force reference (upper-cased; matched ignoring case): the oldest
    live record with it, or, when every record with it was merged, the record it was merged
    into. Exact matches first (indexed), then the rest compared in upper case."""
    wanted = set(refs)
    found: dict[str, Person] = {}
    for number in (0, 1):
        missing = [
            ref if number == 0 else ref.upper() for ref in wanted if ref.upper() not in found
        ]
        for chunk in _chunks(missing):
            rows = Person.objects.select_related("merged_into")
            if number:
                rows = rows.annotate(ref_key=Upper("force_person_ref")).filter(ref_key__in=chunk)
            else:
                rows = rows.filter(force_person_ref__in=chunk)
            for person in sorted(rows, key=lambda p: (p.merged_into_id is not None, p.pk)):
                found.setdefault(person.force_person_ref.upper(), person.merged_into or person)
    return found


def tracker_check(
    sheet: Table, *, mapping: Mapping[str, str] | None = None, user: User | None = None
) -> TrackerCheck:
    """Read every row of a tracker table and resolve BCUs, investigations and victims.

    Raises ``TabularError`` for problems with the file as a whole (a required column
    missing, two headers read as the same column, no data rows, a row that cannot be read)."""
    found, _extras = resolve_columns(
        sheet.headers, TRACKER_COLUMNS, mapping=mapping, source=sheet.source
    )
    result = read_records(sheet, TRACKER_COLUMNS, mapping=mapping)
    if not result.records and not result.problems:
        raise TabularError([NO_ROWS.format(source=sheet.source)])
    header = {name: sheet.headers[index] for name, index in found.items()}
    problems = list(result.problems)
    present = set(found)
    bcus = {area.name.lower(): area for area in Area.objects.filter(kind=Area.Kind.BCU)}
    investigations = _investigations_by_ref(
        r.values["investigation_ref"] for r in result.records if r.values.get("investigation_ref")
    )
    people = _people_by_ref(
        r.values["victim_id"] for r in result.records if r.values.get("victim_id")
    )
    scope = bcu_scope(user) if user is not None else None
    rows: list[PreparedRow] = []
    seen: dict[str, tuple[int, dict[str, Any]]] = {}
    for record in result.records:
        v = record.values
        row_problems: list[CellProblem] = []
        values: dict[str, Any] = {}
        investigation = investigations.get((v.get("investigation_ref") or "").upper())
        if "investigation_ref" in present:
            values["investigation_ref"] = (investigation.investigation_ref if investigation is not None
                                           else v["investigation_ref"] or "")  # fmt: skip
            values["investigation_id"] = investigation.pk if investigation is not None else None
        victim_ref = (v.get("victim_id") or "").upper()
        victim = people.get(victim_ref)
        if (
            victim_ref
            and investigation is not None
            and investigation.victim.force_person_ref.upper() != victim_ref
        ):
            row_problems.append(
                CellProblem(
                    record.row,
                    header["victim_id"],
                    f"investigation {investigation.investigation_ref} is about person "
                    f"{investigation.victim.force_person_ref or '(no reference)'}, not {v['victim_id']!r}",
                )
            )
        if victim is None and investigation is not None:
            victim = investigation.victim
        if "victim_id" in present or investigation is not None:
            values["victim_id"] = victim.pk if victim is not None else None
        bcu = None
        if v.get("bcu"):
            bcu = bcus.get(v["bcu"].lower())
            if bcu is None:
                row_problems.append(
                    CellProblem(record.row, header["bcu"], f"{v['bcu']!r} is not a known BCU")
                )
        elif investigation is not None:
            bcu = investigation.bcu
        if "bcu" in present or investigation is not None:
            values["bcu_id"] = bcu.pk if bcu is not None else None
        if scope is not None and bcu is not None and bcu.pk != scope.pk:
            row_problems.append(
                CellProblem(record.row, header.get("bcu"), "this row is outside your BCU")
            )
        for name in ("mode", "police_visit_at", "idva_visit_at", *BOOLEAN_COLUMNS):
            if name in present:
                values[name] = "" if name == "mode" and v[name] is None else v[name]
        for name in ("services", "referrals"):
            if name in present:
                values[name] = list(v[name] or [])
        if "idva" in present:
            values["idva_name"] = v["idva"] or ""
        tracker_id = v["tracker_id"]
        if tracker_id in seen and seen[tracker_id][1] != values:
            row_problems.append(
                CellProblem(
                    record.row,
                    header["tracker_id"],
                    f"{tracker_id!r} is also in row {seen[tracker_id][0]} with different values",
                )
            )
        if row_problems:
            problems.extend(row_problems)
            continue
        seen.setdefault(tracker_id, (record.row, values))
        shown_ref = (
            (victim.force_person_ref or "(no reference)")
            if victim is not None
            else (v.get("victim_id") or "")
        )
        rows.append(PreparedRow(record.row, tracker_id, values, shown_ref))
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return TrackerCheck(
        source=sheet.source,
        sheet=sheet,
        rows=rows,
        problems=problems,
        extra_columns=result.extra_columns,
        absent_columns=result.absent_columns,
    )


def _differs(record: SupportRecord, values: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in values.items():
        current = getattr(record, name)
        if isinstance(value, list):
            if sorted(current or []) != sorted(value):
                changed.append(name)
        elif current != value:
            changed.append(name)
    return changed


def _moves_victim(record: SupportRecord, row: PreparedRow) -> bool:
    return (
        record.victim_id is not None
        and "victim_id" in row.values
        and row.values["victim_id"] != record.victim_id
    )


def _held(record: SupportRecord, row: PreparedRow) -> HeldRow:
    now = record.victim.force_person_ref if record.victim is not None else ""
    return HeldRow(tracker_id=row.tracker_id, row=row.row, victim_now=now or "(no reference)",
                   victim_in_file=row.victim_ref or "no victim")  # fmt: skip


def tracker_rows_write(
    *,
    check: TrackerCheck,
    user: User | None = None,
    actor_label: str = "",
    partial: bool = False,
    dry_run: bool = False,
    relink: Collection[str] = (),
) -> TrackerWrite:
    """Write a checked tracker file's rows (unless ``dry_run``, or it has problems and not
    ``partial``). Only the health side: imports go through
    :func:`provide.visits.tracker_import.tracker_import`, which also writes the visits.

    ``user`` is the person importing (the web upload) or None for the command line, which
    names itself in ``actor_label`` for the audit log. A stored row the file would move to
    another victim is held (``summary.held``) unless its tracker id is in ``relink``.
    """
    if user is not None and not can_import_tracker(user):
        raise TrackerNotAllowed(NOT_ALLOWED_IMPORT)
    summary = ImportSummary(
        rejected=len(check.rejected_rows),
        problems=[str(p) for p in check.problems],
        extra_columns=check.extra_columns,
        dry_run=dry_run,
    )
    if check.problems and not partial:
        summary.file_rejected = True
        return TrackerWrite(summary)
    approved = set(relink)
    with transaction.atomic():
        existing: dict[str, SupportRecord] = {}
        for chunk in _chunks(row.tracker_id for row in check.rows):
            stored = SupportRecord.objects.select_for_update(of=("self",)).filter(
                tracker_id__in=chunk
            )
            existing.update((r.tracker_id, r) for r in stored.select_related("victim"))
        to_create: list[PreparedRow] = []
        to_update: list[tuple[SupportRecord, PreparedRow]] = []
        done: set[str] = set()
        for row in check.rows:
            if row.tracker_id in done:
                summary.unchanged += 1  # the same row twice in one file
                continue
            done.add(row.tracker_id)
            record = existing.get(row.tracker_id)
            if record is None:
                to_create.append(row)
            elif _moves_victim(record, row) and row.tracker_id not in approved:
                summary.held.append(_held(record, row))
            elif _differs(record, row.values):
                to_update.append((record, row))
            else:
                summary.unchanged += 1
        summary.created, summary.updated = len(to_create), len(to_update)
        if dry_run or not (to_create or to_update):
            return TrackerWrite(summary)
        created = _create(to_create)
        updated, changes = _update(to_update)
        actor_kwargs: dict[str, Any] = {"actor": user} if user is not None else {"actor": None}
        audit_record(**actor_kwargs, action=AuditAction.IMPORT, event="health.tracker_imported",
                     actor_username=actor_label,
                     changes={"file": check.source, **summary.counts(), "held_for_review": len(summary.held),
                              "relinked": sorted(approved & {record.tracker_id for record in updated})})  # fmt: skip
        audit_record_many(
            **actor_kwargs,
            action=AuditAction.CREATE,
            event="health.support_record_imported",
            subjects=created,
            actor_username=actor_label,
        )
        audit_record_many(
            **actor_kwargs,
            action=AuditAction.UPDATE,
            event="health.support_record_updated_by_import",
            subjects=updated,
            changes=changes,
            actor_username=actor_label,
        )
    return TrackerWrite(summary, created, updated)


def _create(rows: list[PreparedRow]) -> list[SupportRecord]:
    created = []
    for row in rows:
        values = dict(row.values)
        values.setdefault("mode", "")
        created.append(SupportRecord.objects.create(tracker_id=row.tracker_id, **values))
    return created


def _update(
    rows: list[tuple[SupportRecord, PreparedRow]],
) -> tuple[list[SupportRecord], list[dict[str, Any]]]:
    """Apply each row; return the records and, for the audit log, what changed in each (a
    victim as the person records' public ids)."""
    changes: list[dict[str, Any]] = []
    victims = {
        person.pk: person
        for person in Person.objects.filter(
            pk__in={row.values["victim_id"] for _record, row in rows if row.values.get("victim_id")}
        )
    }
    for record, row in rows:
        names = _differs(record, row.values)
        before = {name: getattr(record, name) for name in names}
        after = {name: row.values[name] for name in names}
        if "victim_id" in names:
            old, new = before.pop("victim_id"), after.pop("victim_id")
            before["victim"] = (
                str(record.victim.public_id) if old is not None and record.victim else None
            )
            after["victim"] = str(victims[new].public_id) if new in victims else None
        changes.append(changed_fields(before, after))
        for name, value in row.values.items():
            setattr(record, name, value)
        record.save()
    return [record for record, _row in rows], changes


def rejects_csv(check: TrackerCheck) -> bytes:
    """The rejected rows as they were in the file, plus a ``problems`` column (UTF-8 CSV)."""
    reasons: dict[int, list[str]] = {}
    for problem in check.problems:
        if problem.row is not None:
            reasons.setdefault(problem.row, []).append(
                f"column {problem.column}: {problem.reason}" if problem.column else problem.reason
            )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row([*check.sheet.headers, "problems"]))
    for number, cells in check.sheet.rows:
        if number in reasons:
            writer.writerow(safe_row([_cell_text(c) for c in cells] + ["; ".join(reasons[number])]))
    return out.getvalue().encode("utf-8-sig")


def _cell_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.strftime("%d/%m/%Y %H:%M")
    return str(cell)


def _yn(value: bool | None) -> str | None:
    return None if value is None else ("Y" if value else "N")


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else timezone.localtime(value).replace(tzinfo=None)


def tracker_export(*, user: User, since: dt.datetime | None = None) -> tuple[bytes, int]:
    """The tracker rows ``user`` may see as an XLSX workbook with the FORMATS §B columns.

    Text cells are formula-safe; times are Europe/London local (Excel has no zones). Every
    exported row is audited. Returns the workbook's bytes and the number of rows."""
    from openpyxl import Workbook

    if not can_export_tracker(user):
        raise TrackerNotAllowed(NOT_ALLOWED_EXPORT)
    records = list(support_record_list_for(user=user, since=since).select_related("victim", "bcu"))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("tracker")
    sheet.append(list(COLUMN_ORDER))
    for r in records:
        sheet.append(
            [
                safe_cell(r.tracker_id),
                safe_cell(r.investigation_ref or None),
                safe_cell(
                    r.victim.force_person_ref if r.victim and r.victim.force_person_ref else None
                ),
                safe_cell(r.bcu.name if r.bcu else None),
                safe_cell(r.mode or None),
                _local(r.police_visit_at),
                _local(r.idva_visit_at),
                *(_yn(getattr(r, name)) for name in BOOLEAN_COLUMNS),
                safe_cell("; ".join(r.services) or None),
                safe_cell("; ".join(r.referrals) or None),
                safe_cell(r.idva_name or None),
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.EXPORT,
            event="health.tracker_exported",
            changes={"rows": len(records)},
        )
        audit_record_many(
            actor=user,
            action=AuditAction.EXPORT,
            event="health.support_record_exported",
            subjects=records,
        )
    return out.getvalue(), len(records)


def tracker_check_bytes(
    content: bytes,
    *,
    file_name: str,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    user: User | None = None,
) -> TrackerCheck:
    """:func:`tracker_check` for an uploaded file's bytes (XLSX is told from CSV by content;
    macro-enabled, unreadable and oversized workbooks are refused before they are opened)."""
    table = open_table(
        content, sheet=sheet or None, name=file_name, max_unpacked_bytes=max_unpacked_bytes()
    )
    return tracker_check(table, mapping=mapping, user=user)


@transaction.atomic
def tracker_upload_create(
    *,
    user: User,
    file_name: str,
    content: bytes,
    sheet: str = "",
    mapping: Mapping[str, str] | None = None,
) -> TrackerUpload:
    """Keep an uploaded tracker for confirmation, with its dry-run counts and problems.

    Raises ``TabularError`` when the file cannot be read at all."""
    if not can_import_tracker(user):
        raise TrackerNotAllowed(NOT_ALLOWED_IMPORT)
    check = tracker_check_bytes(
        content, file_name=file_name, sheet=sheet, mapping=mapping, user=user
    )
    summary = tracker_rows_write(check=check, user=user, partial=True, dry_run=True).summary
    upload = TrackerUpload.objects.create(
        uploaded_by=user,
        file_name=file_name[:200],
        content=content,
        mapping={"columns": dict(mapping or {}), "sheet": sheet},
        summary={
            **summary.counts(),
            "problems": summary.problems[:500],
            "problem_count": len(summary.problems),
            "extra_columns": summary.extra_columns,
            **summary.review(),
        },
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        event="health.tracker_uploaded",
        subject=upload,
        changes={"file": upload.file_name, **summary.counts()},
    )
    return upload


def tracker_upload_recheck(*, user: User, upload: TrackerUpload) -> TrackerCheck:
    """Check a kept upload again before importing it (the database may have changed since)."""
    if not can_import_tracker(user) or upload.uploaded_by_id != user.pk:
        raise TrackerNotAllowed(NOT_ALLOWED_IMPORT)
    if upload.status != TrackerUpload.Status.CHECKED:
        raise TrackerNotAllowed(ALREADY_DEALT_WITH)
    return tracker_check_bytes(bytes(upload.content), file_name=upload.file_name,
                               sheet=upload.mapping.get("sheet", ""), mapping=upload.mapping.get("columns"),
                               user=user)  # fmt: skip


def tracker_upload_mark_imported(*, upload: TrackerUpload, summary: ImportSummary) -> None:
    """The upload is done: keep its counts, drop the file."""
    upload.status = TrackerUpload.Status.IMPORTED
    upload.content = b""
    upload.summary = {
        **upload.summary,
        "imported": summary.counts(),
        "imported_review": summary.review(),
    }
    upload.save(update_fields=["status", "content", "summary", "updated_at"])


@transaction.atomic
def tracker_upload_discard(*, user: User, upload: TrackerUpload) -> None:
    """Drop a checked upload unimported; one already imported or discarded stays as it is."""
    if upload.uploaded_by_id != user.pk:
        raise TrackerNotAllowed(NOT_ALLOWED_IMPORT)
    upload = TrackerUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != TrackerUpload.Status.CHECKED:
        raise TrackerNotAllowed(ALREADY_DEALT_WITH)
    upload.status = TrackerUpload.Status.DISCARDED
    upload.content = b""
    upload.save(update_fields=["status", "content", "updated_at"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        event="health.tracker_upload_discarded",
        subject=upload,
    )
