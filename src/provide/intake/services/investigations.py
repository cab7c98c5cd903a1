"""Import a police DA investigation extract (FORMATS.md A), linking victims and suspects.

One transaction; bulk reads and writes (a four-year force extract is 124k rows). A row is
matched to a stored investigation by ``investigation_ref``: new refs are created, changed
rows updated with an audit event listing the changed fields, identical rows left alone - so
re-importing a file changes nothing. The risk grade in the extract becomes a dated
``RiskAssessment`` (never overwritten: a changed grade is a new assessment).

People are linked by :class:`~provide.people.linking.PersonLinker`, which never rewrites a
name or date of birth: a victim or suspect id held for someone with a different identity
gets a record of its own, queued for review, and is listed in the result
(``identity_conflicts``). A stored investigation keeps its victim (and suspect) when the row
names the same force id: which record of that id is right is the reviewer's decision.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from provide.areas.models import Area
from provide.audit.models import AuditAction
from provide.audit.services import audit_record, audit_record_many, changed_fields
from provide.core.linking import split_full_name
from provide.core.tabular import (
    Cell,
    ColumnSpec,
    Record,
    TabularError,
    choice_parser,
    parse_bool,
    parse_count,
    parse_date,
    parse_datetime,
    parse_float,
    parse_list,
    parse_text,
)
from provide.intake.models import AbuseType, Investigation, RiskAssessment, RiskGrade
from provide.intake.services.importing import (
    IdentityConflict,
    ImportResult,
    ParsedFile,
    UniqueKey,
    check_length,
    check_not_future,
    check_permission,
    default_rejects_path,
    file_sha256,
    good_records,
    read_file,
    rejected_row_count,
    write_rejects,
)
from provide.intake.services.locations import Located, RowLocator, RowProblem
from provide.intake.signals import investigations_recorded
from provide.people.bulk_insert import insert_rows
from provide.people.linking import CHUNK, PersonDetails, PersonLinker
from provide.people.models import Person, Vulnerability

PERMISSION = "intake.import_investigations"
IMPORTED_ASSESSOR = "Police extract (imported)"
"""``assessed_by_name`` of the risk assessments an import creates."""
REGRADE_REASON = "A newer police extract gives a different grade"
_OUTCOME = re.compile(r"^(?:outcome\s*)?0*(\d{1,2})\s*([a-z]?)$", re.IGNORECASE)


def _list_of(allowed: Iterable[str], label: str) -> Any:
    known = tuple(allowed)

    def parse(value: Cell) -> tuple[str, ...]:
        items = parse_list(value)
        unknown = [item for item in items if item not in known]
        if unknown:
            raise ValueError(
                f"{', '.join(repr(u) for u in unknown)} is not a known {label} "
                f"(expected: {', '.join(known)})"
            )
        return items

    return parse


def parse_outcome(value: Cell) -> str | None:
    """Home Office outcome type 1-22, or 1A; ``"16"``, ``"Outcome 16"``, ``"1a"``."""
    text = parse_text(value)
    if text is None:
        return None
    match = _OUTCOME.match(text)
    number = int(match.group(1)) if match else 0
    suffix = match.group(2).upper() if match else ""
    if not match or not 1 <= number <= 22 or (suffix and (number, suffix) != (1, "A")):
        raise ValueError(f"{text!r} is not a Home Office outcome type (1-22 or 1A)")
    return f"{number}{suffix}"


def _latitude(value: Cell) -> float | None:
    number = parse_float(value)
    if number is not None and not 49.0 <= number <= 61.5:
        raise ValueError(f"{number} is not a UK latitude")
    return number


def _longitude(value: Cell) -> float | None:
    number = parse_float(value)
    if number is not None and not -9.0 <= number <= 2.5:
        raise ValueError(f"{number} is not a UK longitude")
    return number


def _grid_metres(value: Cell) -> float | None:
    """An easting or northing in metres (whole or decimal); the range is checked with its pair."""
    return parse_float(value)


_SEX = choice_parser(["female", "male", "other", "unknown"],
                     aliases={"f": "female", "m": "male", "u": "unknown", "not_known": "unknown"},
                     label="sex")  # fmt: skip

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("investigation_ref", parse_text, required=True),
    ColumnSpec("incident_ref", parse_text),
    ColumnSpec("recorded_at", parse_datetime, required=True),
    ColumnSpec("first_police_visit_at", parse_datetime),
    ColumnSpec("bcu", parse_text, required=True),
    ColumnSpec("district", parse_text),
    ColumnSpec("crime_or_incident", choice_parser(
        ["crime", "non-crime"], aliases={"incident": "non-crime", "noncrime": "non-crime"},
        label="crime or incident")),
    ColumnSpec("offence", parse_text),
    ColumnSpec("abuse_types", _list_of(AbuseType.values, "abuse type")),
    ColumnSpec("relationship", choice_parser(
        Investigation.Relationship.values, aliases={"expartner": "ex_partner"}, label="relationship")),
    ColumnSpec("victim_id", parse_text, required=True),
    ColumnSpec("victim_name", parse_text),
    ColumnSpec("victim_dob", parse_date),
    ColumnSpec("victim_sex", _SEX),
    ColumnSpec("victim_postcode", parse_text),
    ColumnSpec("victim_lat", _latitude),
    ColumnSpec("victim_lon", _longitude),
    ColumnSpec("victim_easting", _grid_metres),
    ColumnSpec("victim_northing", _grid_metres),
    ColumnSpec("suspect_id", parse_text),
    ColumnSpec("suspect_name", parse_text),
    ColumnSpec("suspect_dob", parse_date),
    ColumnSpec("risk_tool", choice_parser(RiskAssessment.Tool.values, label="risk tool")),
    ColumnSpec("risk_grade", choice_parser(RiskGrade.values, aliases={"med": "medium", "std": "standard"},
                                           label="risk grade")),
    ColumnSpec("dash_yes_count", parse_count),
    ColumnSpec("children_in_household", parse_count),
    ColumnSpec("victim_pregnant", parse_bool),
    ColumnSpec("vulnerabilities", _list_of(Vulnerability.values, "vulnerability")),
    ColumnSpec("suspect_in_custody", parse_bool),
    ColumnSpec("expected_release_at", parse_datetime),
    ColumnSpec("outcome_code", parse_outcome),
    ColumnSpec("outcome_date", parse_date),
)  # fmt: skip
"""FORMATS.md A."""

WRITE_BATCH = 10_000
"""Rows written together (people, investigations, assessments and the cases the signal
opens), so the memory a write needs does not grow with the file."""
UNIQUE = UniqueKey(columns=("investigation_ref",), key=lambda texts: texts[0],
                   describe=lambda ref: f"investigation_ref {ref!r}")  # fmt: skip
"""One row per investigation in a file."""

_LENGTHS = {"investigation_ref": 40, "incident_ref": 40, "offence": 200, "victim_id": 40,
            "suspect_id": 40, "victim_postcode": 10, "victim_name": 200, "suspect_name": 200}  # fmt: skip
_NOT_FUTURE = ("recorded_at", "first_police_visit_at", "victim_dob", "suspect_dob", "outcome_date")

TRACKED_FIELDS = (
    "incident_ref", "recorded_at", "first_police_visit_at", "bcu_id", "district_id",
    "crime_or_incident", "offence", "abuse_types", "relationship", "victim_id", "suspect_id",
    "risk_grade", "children_present", "victim_pregnant", "latitude", "longitude", "location_source", "outcome_code",
    "outcome_on", "suspect_in_custody", "suspect_expected_release_at",
)  # fmt: skip
"""Investigation fields an extract sets; compared to decide created / updated / unchanged."""


_Resolved = tuple[Record, Area, Area | None, Person, Person | None, Located]
"""A row with its BCU, district, victim, suspect and location."""


@dataclass
class _Areas:
    bcus: dict[str, Area]
    districts: dict[str, Area]


def _load_areas() -> _Areas:
    bcus: dict[str, Area] = {}
    districts: dict[str, Area] = {}
    for area in Area.objects.filter(kind__in=[Area.Kind.BCU, Area.Kind.DISTRICT]):
        target = bcus if area.kind == Area.Kind.BCU else districts
        target[area.name.strip().lower()] = area
    return _Areas(bcus, districts)


def _validate(parsed: ParsedFile, areas: _Areas, now: dt.datetime) -> RowLocator:
    """Check every row; return the locator holding where each good row's case is."""
    known_bcus = ", ".join(sorted(area.name for area in areas.bcus.values())) or "none set up"
    for record in parsed.read.records:
        values = record.values
        check_length(parsed, record, _LENGTHS)
        check_not_future(parsed, record, _NOT_FUTURE, now)
        if values["bcu"].lower() not in areas.bcus:
            parsed.add(
                record.row, "bcu", f"{values['bcu']!r} is not a known BCU (known: {known_bcus})"
            )
        count = values.get("dash_yes_count")
        if count is not None and count > 27:
            parsed.add(record.row, "dash_yes_count", f"{count} is more than the 27 DASH questions")
        dob = values.get("victim_dob")
        if dob is not None and dob.year < 1900:
            parsed.add(record.row, "victim_dob", f"{dob:%d/%m/%Y} is not a plausible date of birth")
    return _locate(parsed)


def _locate(parsed: ParsedFile) -> RowLocator:
    """Place each row (coordinates > grid reference > postcode centroid > none); a row whose
    location cannot be read is a problem on that row."""
    locator = RowLocator(record.values for record in parsed.read.records)
    for record in parsed.read.records:
        located = locator.locate(record.values)
        if isinstance(located, RowProblem):
            parsed.add(record.row, located.column, located.reason)
        else:
            locator.located[record.row] = located
    return locator


def _victim_details(
    values: Mapping[str, Any], district: Area | None, located: Located
) -> PersonDetails:
    given, family = split_full_name(values.get("victim_name"))
    vulnerabilities = values.get("vulnerabilities")
    return PersonDetails(
        force_ref=values["victim_id"],
        given_name=given,
        family_name=family,
        date_of_birth=values.get("victim_dob"),
        sex=values.get("victim_sex"),
        postcode=(values.get("victim_postcode") or "").upper(),
        # A postcode's centre is the case's location, never the person's: it would overwrite
        # the exact place an earlier extract gave.
        latitude=None
        if located.source == Investigation.LocationSource.POSTCODE
        else located.latitude,
        longitude=None
        if located.source == Investigation.LocationSource.POSTCODE
        else located.longitude,
        district_id=district.pk if district else None,
        vulnerabilities=sorted(vulnerabilities) if vulnerabilities else None,
        children_in_household=values.get("children_in_household"),
    )


def _suspect_details(values: Mapping[str, Any]) -> PersonDetails:
    given, family = split_full_name(values.get("suspect_name"))
    return PersonDetails(force_ref=values.get("suspect_id") or "", given_name=given,
                         family_name=family, date_of_birth=values.get("suspect_dob"))  # fmt: skip


def _existing(refs: list[str]) -> dict[str, dict[str, Any]]:
    """Stored investigations by ref, as plain values (fast: no model instances)."""
    found: dict[str, dict[str, Any]] = {}
    names = (
        "pk",
        "investigation_ref",
        "victim__force_person_ref",
        "suspect__force_person_ref",
        *TRACKED_FIELDS,
    )
    for start in range(0, len(refs), CHUNK):
        rows = Investigation.objects.filter(investigation_ref__in=refs[start : start + CHUNK])
        for row in rows.values(*names):
            found[row["investigation_ref"]] = row
    return found


def _district_for(
    values: Mapping[str, Any], areas: _Areas, bcu: Area, result: ImportResult
) -> Area | None:
    name = values.get("district")
    if not name:
        return None
    district = areas.districts.get(name.lower())
    if district is None:
        district = Area.objects.create(name=name, kind=Area.Kind.DISTRICT, parent=bcu)
        areas.districts[name.lower()] = district
        result.notes.append(f"new district {name!r} added to the {bcu.name} BCU")
    return district


def _fields(values: Mapping[str, Any], bcu: Area, district: Area | None, victim: Person,
            suspect: Person | None, located: Located) -> dict[str, Any]:  # fmt: skip
    children = values.get("children_in_household")
    return {
        "incident_ref": values.get("incident_ref") or "",
        "recorded_at": values["recorded_at"],
        "first_police_visit_at": values.get("first_police_visit_at"),
        "bcu_id": bcu.pk,
        "district_id": district.pk if district else None,
        "crime_or_incident": values.get("crime_or_incident") or "",
        "offence": values.get("offence") or "",
        "abuse_types": list(values.get("abuse_types") or ()),
        "relationship": values.get("relationship") or "",
        "victim_id": victim.pk,
        "suspect_id": suspect.pk if suspect else None,
        "risk_grade": values.get("risk_grade") or "",
        "children_present": None if children is None else children > 0,
        "victim_pregnant": values.get("victim_pregnant"),
        "latitude": located.latitude,
        "longitude": located.longitude,
        "location_source": located.source,
        "outcome_code": values.get("outcome_code") or "",
        "outcome_on": values.get("outcome_date"),
        "suspect_in_custody": values.get("suspect_in_custody"),
        "suspect_expected_release_at": values.get("expected_release_at"),
    }


def investigations_import(
    *,
    actor: Any,
    path: Path,
    mapping_path: Path | None = None,
    sheet_name: str | None = None,
    partial: bool = False,
    dry_run: bool = False,
    rejects_path: Path | None = None,
    source_name: str | None = None,
    actor_username: str = "",
    now: dt.datetime | None = None,
) -> ImportResult:
    """Import one investigations extract; see the module docstring.

    ``actor`` None is the command line. With problems and not ``partial`` nothing is
    written. ``dry_run`` does everything inside the transaction and rolls it back, so its
    counts are exactly what an import would do. Raises PermissionDenied for a user without
    ``intake.import_investigations``.
    """
    check_permission(actor, PERMISSION)
    started = time.perf_counter()
    now = now or timezone.now()
    label = source_name or path.name
    result = ImportResult(kind="investigations", source=label, dry_run=dry_run, partial=partial)
    try:
        parsed = read_file(path, COLUMNS, mapping_path=mapping_path, sheet_name=sheet_name, label=label,
                           unique=UNIQUE)  # fmt: skip
    except TabularError as error:
        result.problems = list(error.problems)
        result.partial = False
        return result
    result.sha256 = file_sha256(path)
    result.rows = parsed.rows
    result.extra_columns = parsed.read.extra_columns
    areas = _load_areas()
    locator = _validate(parsed, areas, now)
    result.problems = parsed.problems
    result.rejected = rejected_row_count(parsed)
    if parsed.problems and not partial:
        return result
    with transaction.atomic():
        _write(good_records(parsed), areas, locator.located, result, actor=actor,
               actor_username=actor_username, now=now)  # fmt: skip
        result.notes.extend(locator.notes())
        audit_record(actor=actor, action=AuditAction.IMPORT, event="intake.investigations_imported",
                     actor_username=actor_username,
                     changes={"file": label, "sha256": result.sha256, **result.counts(),
                              "dry_run": dry_run})  # fmt: skip
        if dry_run:
            transaction.set_rollback(True)
    result.written = not dry_run
    if partial and parsed.problems and not dry_run:
        result.rejects_path = str(write_rejects(parsed, rejects_path or default_rejects_path(path)))
    result.seconds = time.perf_counter() - started
    return result


def _write(records: list[Record], areas: _Areas, located: dict[int, Located], result: ImportResult,
           *, actor: Any, actor_username: str, now: dt.datetime) -> None:  # fmt: skip
    """Write the rows in order of ``recorded_at`` (later rows win), :data:`WRITE_BATCH` at a time."""
    records = sorted(records, key=lambda r: (r.values["recorded_at"], r.row))
    linker = PersonLinker()
    for start in range(0, len(records), WRITE_BATCH):
        _write_batch(records[start : start + WRITE_BATCH], areas, located, result, linker,
                     actor=actor, actor_username=actor_username, now=now)  # fmt: skip
    people = linker.summary
    result.identity_conflicts = [
        IdentityConflict(reference=c.force_ref, row=c.row, role=c.role, differs=c.differs)
        for c in people.conflicts
    ]
    if people.created or people.updated:
        result.notes.append(f"people: {people.created} new, {people.updated} updated")
    if people.linked_by_match:
        result.notes.append(
            f"{people.linked_by_match} suspect(s) without a force id linked by name and date of birth"
        )
    if people.queued_for_review:
        result.notes.append(
            f"{people.queued_for_review} possible duplicate person record(s) queued for review"
        )
    if people.conflicts:
        result.notes.append(
            f"{len(people.conflicts)} person reference(s) held for someone with a different name "
            f"or date of birth: kept apart, not changed, and queued for review"
        )


def _write_batch(records: list[Record], areas: _Areas, located: dict[int, Located], result: ImportResult,
                 linker: PersonLinker, *, actor: Any, actor_username: str, now: dt.datetime) -> None:  # fmt: skip
    existing = _existing([r.values["investigation_ref"] for r in records])
    linker.load_refs({r.values["victim_id"] for r in records}
                     | {r.values["suspect_id"] for r in records if r.values.get("suspect_id")})  # fmt: skip
    current_suspects = linker.load_ids(
        row["suspect_id"] for ref, row in existing.items() if row["suspect_id"]
    )
    resolved: list[_Resolved] = []
    for record in records:
        values = record.values
        bcu = areas.bcus[values["bcu"].lower()]
        district = _district_for(values, areas, bcu, result)
        stored = existing.get(values["investigation_ref"])
        victim = linker.by_ref(_victim_details(values, district, located[record.row]),
                               row=record.row, role="victim")  # fmt: skip
        if values.get("suspect_id"):
            suspect: Person | None = linker.by_ref(
                _suspect_details(values), row=record.row, role="suspect"
            )
        else:
            current = current_suspects.get(stored["suspect_id"]) if stored else None
            suspect = linker.refless(_suspect_details(values), current=current)
        resolved.append((record, bcu, district, victim, suspect, located[record.row]))
    linker.flush(actor=actor, actor_username=actor_username)
    _write_investigations(
        resolved, existing, result, actor=actor, actor_username=actor_username, now=now
    )


def _write_investigations(
    resolved: list[_Resolved],
    existing: dict[str, dict[str, Any]],
    result: ImportResult,
    *,
    actor: Any,
    actor_username: str,
    now: dt.datetime,
) -> None:
    created: list[dict[str, Any]] = []
    updated: list[Investigation] = []
    changes: list[dict[str, Any]] = []
    changed_names: set[str] = set()
    graded: list[tuple[dict[str, Any], Record]] = []
    local_grades = _graded_here_since(resolved, existing)
    for record, bcu, district, victim, suspect, located in resolved:
        values = record.values
        fields = _fields(values, bcu, district, victim, suspect, located)
        stored = existing.get(values["investigation_ref"])
        if stored is not None:
            _keep_people_of_the_same_id(stored, values, fields)
            _keep_a_location_the_row_lacks(stored, fields)
        if (
            stored is not None
            and stored["pk"] in local_grades
            and local_grades[stored["pk"]] == fields["risk_grade"]
        ):
            # Regraded in Provide since the extract last said this: the later grade stands.
            fields["risk_grade"] = stored["risk_grade"]
        if stored is None:
            row = {"investigation_ref": values["investigation_ref"],
                   "source": Investigation.Source.IMPORT.value, **fields}  # fmt: skip
            created.append(row)
            graded.append((row, record))
            continue
        before = {name: stored[name] for name in TRACKED_FIELDS}
        difference = {name: value for name, value in fields.items() if before[name] != value}
        if not difference:
            result.unchanged += 1
            continue
        investigation = Investigation(pk=stored["pk"], investigation_ref=values["investigation_ref"],
                                      updated_at=now, **fields)  # fmt: skip
        if fields["victim_id"] == victim.pk:
            investigation.victim = victim  # the audit event names the victim
        updated.append(investigation)
        changes.append(changed_fields({k: before[k] for k in difference}, difference))
        changed_names.update(difference)
        graded.append(({"pk": stored["pk"], **fields}, record))
    # Created investigations are covered by the import's audit event; updates get one each.
    for row, pk in zip(created, insert_rows(Investigation, created), strict=True):
        row["pk"] = pk
    if created:
        investigations_recorded.send(
            sender=Investigation, investigation_ids=[row["pk"] for row in created]
        )
    if updated:
        Investigation.objects.bulk_update(
            updated, sorted(changed_names | {"updated_at"}), batch_size=500
        )
        audit_record_many(actor=actor, action=AuditAction.UPDATE, event="intake.investigation_updated",
                          subjects=updated, changes=changes, actor_username=actor_username)  # fmt: skip
    result.created += len(created)
    result.updated += len(updated)
    _write_assessments([(row, record) for row, record in graded
                        if record.values.get("risk_grade") and record.values.get("risk_tool")], now=now)  # fmt: skip


def _keep_people_of_the_same_id(
    stored: dict[str, Any], values: Mapping[str, Any], fields: dict[str, Any]
) -> None:
    """A row naming the force id the stored investigation's victim (or suspect) already has
    never moves it to another record of that id: that is a reviewer's decision."""
    if (
        stored["victim__force_person_ref"]
        and stored["victim__force_person_ref"] == values["victim_id"]
    ):
        fields["victim_id"] = stored["victim_id"]
    suspect_ref = values.get("suspect_id")
    if suspect_ref and stored["suspect_id"] and stored["suspect__force_person_ref"] == suspect_ref:
        fields["suspect_id"] = stored["suspect_id"]


def _keep_a_location_the_row_lacks(stored: dict[str, Any], fields: dict[str, Any]) -> None:
    """A row that does not say where the case is never clears a location held (one typed in
    with the postcode fix, or from an earlier extract)."""
    if (
        fields["location_source"] == Investigation.LocationSource.NONE
        and stored["latitude"] is not None
    ):
        for name in ("latitude", "longitude", "location_source"):
            fields[name] = stored[name]


def _graded_here_since(
    resolved: list[_Resolved],
    existing: dict[str, dict[str, Any]],
) -> dict[int, str]:
    """For stored investigations whose grade differs from the file's: the grade of their
    latest *imported* assessment. Equal to the file's grade means the extract has not changed
    and the stored grade came from an assessment recorded in Provide."""
    differing = [existing[r.values["investigation_ref"]]["pk"] for r, *_ in resolved
                 if r.values["investigation_ref"] in existing
                 and existing[r.values["investigation_ref"]]["risk_grade"] != (r.values.get("risk_grade") or "")]  # fmt: skip
    latest: dict[int, str] = {}
    for start in range(0, len(differing), CHUNK):
        rows = (
            RiskAssessment.objects.filter(
                investigation_id__in=differing[start : start + CHUNK],
                assessed_by_name=IMPORTED_ASSESSOR,
            )
            .order_by("assessed_at", "pk")
            .values_list("investigation_id", "grade")
        )
        latest.update(rows)
    return latest


def _write_assessments(graded: list[tuple[dict[str, Any], Record]], *, now: dt.datetime) -> None:
    """One dated assessment per graded investigation; a changed grade is a new assessment."""
    ids = [row["pk"] for row, _ in graded]
    latest: dict[int, tuple[int, str, str, int | None]] = {}
    for start in range(0, len(ids), CHUNK):
        rows = (
            RiskAssessment.objects.filter(
                investigation_id__in=ids[start : start + CHUNK], assessed_by_name=IMPORTED_ASSESSOR
            )
            .order_by("assessed_at", "pk")
            .values_list("investigation_id", "pk", "tool", "grade", "yes_count")
        )
        for investigation_id, pk, tool, grade, yes_count in rows:
            latest[investigation_id] = (pk, tool, grade, yes_count)
    new: list[dict[str, Any]] = []
    for investigation, record in graded:
        values = record.values
        previous = latest.get(investigation["pk"])
        wanted = (values["risk_tool"], values["risk_grade"], values.get("dash_yes_count"))
        if previous is not None and previous[1:] == wanted:
            continue
        assessed_at = values.get("first_police_visit_at") or values["recorded_at"]
        new.append({
            "investigation_id": investigation["pk"], "victim_id": investigation["victim_id"],
            "tool": wanted[0], "grade": wanted[1], "yes_count": wanted[2],
            "assessed_by_name": IMPORTED_ASSESSOR, "answers": [],
            "assessed_at": assessed_at if previous is None else now,
            "regrade_of_id": None if previous is None else previous[0],
            "regrade_reason": "" if previous is None else REGRADE_REASON,
        })  # fmt: skip
    insert_rows(RiskAssessment, new)
