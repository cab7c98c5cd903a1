"""The IDVA tracker spreadsheet (FORMATS.md §B): check, import and export.

Reading uses :mod:`provide.core.tabular` for every FORMATS tolerance (headers, booleans,
day-first dates, lists, column mappings). This module adds what needs the database: the BCU
named in the row, and links to the investigation (``investigation_ref``) and the victim
(``victim_id``, the force's person reference).

Import rules: any unreadable row rejects the whole file and nothing is written, unless
``partial``; rows are matched by ``tracker_id``, so re-importing a file changes nothing and a
newer extract updates the rows that changed. A column the file does not have leaves the
stored value alone; a blank cell in a column it has means "not known".

A tracker row is also a visit (the shared joint record), which lives in ``visits``, above
health: so the import itself is :func:`provide.visits.tracker_import.tracker_import`, which
writes the rows here (:func:`tracker_rows_write`) and keeps the visits in step.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from provide.accounts.models import User
from provide.areas.models import Area
from provide.audit.models import AuditAction
from provide.audit.services import audit_record, audit_record_many
from provide.core.safeguarding.targets import REFERRAL_TARGETS
from provide.core.tabular import (
    CellProblem,
    ColumnSpec,
    Sheet,
    TabularError,
    choice_parser,
    parse_bool,
    parse_datetime,
    parse_list,
    parse_text,
    read_csv,
    read_records,
    read_xlsx,
    resolve_columns,
    safe_cell,
    safe_row,
)
from provide.core.tabular.reading import Cell
from provide.health.models import Service, SupportRecord, TrackerUpload
from provide.health.policies import can_export_tracker, can_import_tracker
from provide.health.selectors import support_record_list_for
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.shared.access import bcu_scope

MODES = ("live", "post-incident", "consultation")
SERVICES = tuple(code for code, _ in Service.choices)
REFERRALS = tuple(code for code, _ in REFERRAL_TARGETS)
BOOLEAN_COLUMNS = (
    "idva_support_offered", "idva_support_accepted", "prosecution_support_offered",
    "prosecution_support_accepted", "engaged_investigation", "engaged_safeguarding",
    "previously_engaged_investigation", "previously_engaged_safeguarding",
)
COLUMN_ORDER = (
    "tracker_id", "investigation_ref", "victim_id", "bcu", "mode", "police_visit_at",
    "idva_visit_at", *BOOLEAN_COLUMNS, "services", "referrals", "idva",
)
NOT_ALLOWED_IMPORT = "Only the IDVA manager can import the tracker."
NOT_ALLOWED_EXPORT = "Only health roles can export the tracker."


def _code_list(allowed: Sequence[str], label: str) -> Any:
    def parse(value: Cell) -> list[str]:
        items = list(parse_list(value))
        unknown = [item for item in items if item not in allowed]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not a known {label} (expected: {', '.join(allowed)})")
        return items

    return parse


TRACKER_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("tracker_id", parse_text, required=True),
    ColumnSpec("investigation_ref", parse_text),
    ColumnSpec("victim_id", parse_text),
    ColumnSpec("bcu", parse_text),
    ColumnSpec("mode", choice_parser(MODES, aliases={"post": "post-incident", "postincident": "post-incident"},
                                     label="mode")),
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
    """One good row: its spreadsheet number, raw cells and the values to store."""

    row: int
    tracker_id: str
    values: dict[str, Any]


@dataclass
class TrackerCheck:
    """A tracker file read and checked against the database; nothing written yet."""

    source: str
    sheet: Sheet
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

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected}

    def line(self) -> str:
        outcome = (" (file rejected: nothing written)" if self.file_rejected
                   else " (dry run: nothing written)" if self.dry_run else "")
        return (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.rejected} rejected{outcome}")


@dataclass
class TrackerWrite:
    """What :func:`tracker_rows_write` did: the counts, and the rows it created and changed."""

    summary: ImportSummary
    created: list[SupportRecord] = field(default_factory=list)
    updated: list[SupportRecord] = field(default_factory=list)


def tracker_check(sheet: Sheet, *, mapping: Mapping[str, str] | None = None, user: User | None = None) -> TrackerCheck:
    """Read every row of a tracker sheet and resolve BCUs, investigations and victims.

    Raises ``TabularError`` for problems with the file as a whole (a required column
    missing, two headers read as the same column)."""
    result = read_records(sheet, TRACKER_COLUMNS, mapping=mapping)
    found, _extras = resolve_columns(sheet.headers, TRACKER_COLUMNS, mapping=mapping, source=sheet.source)
    header = {name: sheet.headers[index] for name, index in found.items()}
    problems = list(result.problems)
    present = set(found)
    bcus = {area.name.lower(): area for area in Area.objects.filter(kind=Area.Kind.BCU)}
    refs = {r.values["investigation_ref"] for r in result.records if r.values.get("investigation_ref")}
    investigations = {i.investigation_ref.lower(): i for i in
                      Investigation.objects.select_related("victim", "bcu").filter(investigation_ref__in=refs)}
    people_refs = {r.values["victim_id"] for r in result.records if r.values.get("victim_id")}
    people = {p.force_person_ref: p for p in Person.objects.filter(force_person_ref__in=people_refs)}
    scope = bcu_scope(user) if user is not None else None
    rows: list[PreparedRow] = []
    seen: dict[str, tuple[int, dict[str, Any]]] = {}
    for record in result.records:
        v = record.values
        row_problems: list[CellProblem] = []
        values: dict[str, Any] = {}
        investigation = investigations.get((v.get("investigation_ref") or "").lower())
        if "investigation_ref" in present:
            values["investigation_ref"] = v["investigation_ref"] or ""
            values["investigation_id"] = investigation.pk if investigation is not None else None
        victim = people.get(v.get("victim_id") or "")
        if v.get("victim_id") and investigation is not None and investigation.victim.force_person_ref != v["victim_id"]:
            row_problems.append(CellProblem(
                record.row, header["victim_id"],
                f"investigation {investigation.investigation_ref} is about person "
                f"{investigation.victim.force_person_ref or '(no reference)'}, not {v['victim_id']!r}"))
        if victim is None and investigation is not None:
            victim = investigation.victim
        if "victim_id" in present or investigation is not None:
            values["victim_id"] = victim.pk if victim is not None else None
        bcu = None
        if v.get("bcu"):
            bcu = bcus.get(v["bcu"].lower())
            if bcu is None:
                row_problems.append(CellProblem(record.row, header["bcu"], f"{v['bcu']!r} is not a known BCU"))
        elif investigation is not None:
            bcu = investigation.bcu
        if "bcu" in present or investigation is not None:
            values["bcu_id"] = bcu.pk if bcu is not None else None
        if scope is not None and bcu is not None and bcu.pk != scope.pk:
            row_problems.append(CellProblem(record.row, header.get("bcu"), "this row is outside your BCU"))
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
            row_problems.append(CellProblem(
                record.row, header["tracker_id"],
                f"{tracker_id!r} is also in row {seen[tracker_id][0]} with different values"))
        if row_problems:
            problems.extend(row_problems)
            continue
        seen.setdefault(tracker_id, (record.row, values))
        rows.append(PreparedRow(record.row, tracker_id, values))
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return TrackerCheck(source=sheet.source, sheet=sheet, rows=rows, problems=problems,
                        extra_columns=result.extra_columns, absent_columns=result.absent_columns)


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


def tracker_rows_write(
    *, check: TrackerCheck, user: User | None = None, actor_label: str = "", partial: bool = False, dry_run: bool = False,
) -> TrackerWrite:
    """Write a checked tracker file's rows (unless ``dry_run``, or it has problems and not
    ``partial``). Only the health side: imports go through
    :func:`provide.visits.tracker_import.tracker_import`, which also writes the visits.

    ``user`` is the person importing (the web upload) or None for the command line, which
    names itself in ``actor_label`` for the audit log.
    """
    if user is not None and not can_import_tracker(user):
        raise TrackerNotAllowed(NOT_ALLOWED_IMPORT)
    summary = ImportSummary(rejected=len(check.rejected_rows), problems=[str(p) for p in check.problems],
                            extra_columns=check.extra_columns, dry_run=dry_run)
    if check.problems and not partial:
        summary.file_rejected = True
        return TrackerWrite(summary)
    with transaction.atomic():
        existing = {r.tracker_id: r for r in SupportRecord.objects.select_for_update().filter(
            tracker_id__in=[row.tracker_id for row in check.rows])}
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
            elif _differs(record, row.values):
                to_update.append((record, row))
            else:
                summary.unchanged += 1
        summary.created, summary.updated = len(to_create), len(to_update)
        if dry_run or not (to_create or to_update):
            return TrackerWrite(summary)
        created = _create(to_create)
        updated = _update(to_update)
        actor_kwargs: dict[str, Any] = {"actor": user} if user is not None else {"actor": None}
        audit_record(**actor_kwargs, action=AuditAction.IMPORT, event="health.tracker_imported",
                     actor_username=actor_label, changes={"file": check.source, **summary.counts()})
        audit_record_many(**actor_kwargs, action=AuditAction.CREATE, event="health.support_record_imported",
                          subjects=created)
        audit_record_many(**actor_kwargs, action=AuditAction.UPDATE, event="health.support_record_updated_by_import",
                          subjects=updated)
    return TrackerWrite(summary, created, updated)


def _create(rows: list[PreparedRow]) -> list[SupportRecord]:
    created = []
    for row in rows:
        values = dict(row.values)
        values.setdefault("mode", "")
        created.append(SupportRecord.objects.create(tracker_id=row.tracker_id, **values))
    return created


def _update(rows: list[tuple[SupportRecord, PreparedRow]]) -> list[SupportRecord]:
    for record, row in rows:
        for name, value in row.values.items():
            setattr(record, name, value)
        record.save()
    return [record for record, _row in rows]


def rejects_csv(check: TrackerCheck) -> bytes:
    """The rejected rows as they were in the file, plus a ``problems`` column (UTF-8 CSV)."""
    reasons: dict[int, list[str]] = {}
    for problem in check.problems:
        if problem.row is not None:
            reasons.setdefault(problem.row, []).append(
                f"column {problem.column}: {problem.reason}" if problem.column else problem.reason)
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
        sheet.append([
            safe_cell(r.tracker_id), safe_cell(r.investigation_ref or None),
            safe_cell(r.victim.force_person_ref if r.victim and r.victim.force_person_ref else None),
            safe_cell(r.bcu.name if r.bcu else None), safe_cell(r.mode or None),
            _local(r.police_visit_at), _local(r.idva_visit_at),
            *(_yn(getattr(r, name)) for name in BOOLEAN_COLUMNS),
            safe_cell("; ".join(r.services) or None), safe_cell("; ".join(r.referrals) or None),
            safe_cell(r.idva_name or None),
        ])
    out = io.BytesIO()
    workbook.save(out)
    with transaction.atomic():
        audit_record(actor=user, action=AuditAction.EXPORT, event="health.tracker_exported",
                     changes={"rows": len(records)})
        audit_record_many(actor=user, action=AuditAction.EXPORT, event="health.support_record_exported",
                          subjects=records)
    return out.getvalue(), len(records)


def tracker_check_bytes(
    content: bytes, *, file_name: str, sheet: str | None = None,
    mapping: Mapping[str, str] | None = None, user: User | None = None,
) -> TrackerCheck:
    """:func:`tracker_check` for an uploaded file's bytes (XLSX is told from CSV by content)."""
    if content.startswith(b"PK\x03\x04"):
        table = read_xlsx(content, sheet=sheet or None, name=file_name)
    else:
        if sheet:
            raise TabularError([f"{file_name}: a sheet name was given but this is a CSV file"])
        table = read_csv(content, name=file_name)
    return tracker_check(table, mapping=mapping, user=user)


@transaction.atomic
def tracker_upload_create(
    *, user: User, file_name: str, content: bytes, sheet: str = "", mapping: Mapping[str, str] | None = None,
) -> TrackerUpload:
    """Keep an uploaded tracker for confirmation, with its dry-run counts and problems.

    Raises ``TabularError`` when the file cannot be read at all."""
    if not can_import_tracker(user):
        raise TrackerNotAllowed(NOT_ALLOWED_IMPORT)
    check = tracker_check_bytes(content, file_name=file_name, sheet=sheet, mapping=mapping, user=user)
    summary = tracker_rows_write(check=check, user=user, partial=True, dry_run=True).summary
    upload = TrackerUpload.objects.create(
        uploaded_by=user, file_name=file_name[:200], content=content,
        mapping={"columns": dict(mapping or {}), "sheet": sheet},
        summary={**summary.counts(), "problems": summary.problems[:500], "problem_count": len(summary.problems),
                 "extra_columns": summary.extra_columns},
    )
    audit_record(actor=user, action=AuditAction.CREATE, event="health.tracker_uploaded", subject=upload,
                 changes={"file": upload.file_name, **summary.counts()})
    return upload


def tracker_upload_recheck(*, user: User, upload: TrackerUpload) -> TrackerCheck:
    """Check a kept upload again before importing it (the database may have changed since)."""
    if not can_import_tracker(user) or upload.uploaded_by_id != user.pk:
        raise TrackerNotAllowed(NOT_ALLOWED_IMPORT)
    if upload.status != TrackerUpload.Status.CHECKED:
        raise TrackerNotAllowed("This upload has already been dealt with.")
    return tracker_check_bytes(bytes(upload.content), file_name=upload.file_name,
                               sheet=upload.mapping.get("sheet", ""), mapping=upload.mapping.get("columns"),
                               user=user)  # fmt: skip


def tracker_upload_mark_imported(*, upload: TrackerUpload, summary: ImportSummary) -> None:
    """The upload is done: keep its counts, drop the file."""
    upload.status = TrackerUpload.Status.IMPORTED
    upload.content = b""
    upload.summary = {**upload.summary, "imported": summary.counts()}
    upload.save(update_fields=["status", "content", "summary", "updated_at"])


@transaction.atomic
def tracker_upload_discard(*, user: User, upload: TrackerUpload) -> None:
    if upload.uploaded_by_id != user.pk:
        raise TrackerNotAllowed(NOT_ALLOWED_IMPORT)
    upload.status = TrackerUpload.Status.DISCARDED
    upload.content = b""
    upload.save(update_fields=["status", "content", "updated_at"])
    audit_record(actor=user, action=AuditAction.UPDATE, event="health.tracker_upload_discarded", subject=upload)
