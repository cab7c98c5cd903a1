"""Import a custody feed (FORMATS.md C): one row per custody event, folded into episodes.

An episode (``custody_ref``) starts with ``arrested``; a later event sets its status, and every
one but ``charged_remanded`` ends it (bailed, released under investigation, released with no
further action, or released: ``released_at`` is the event's time). A suspect charged and
remanded is still held, for court, so the episode stays open (no ``released_at``) and the
board keeps showing the suspect as remanded until a release event comes. Feeds may be
incremental, so a file's events are folded onto the stored episode; the latest event wins.
Re-importing a file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from provide.audit.models import AuditAction
from provide.audit.services import audit_record, audit_record_many, changed_fields
from provide.core.tabular import (
    ColumnSpec,
    Record,
    TabularError,
    choice_parser,
    parse_datetime,
    parse_text,
)
from provide.intake.models import CustodyEpisode, Investigation
from provide.intake.services.importing import (
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
from provide.people.bulk_insert import insert_new
from provide.people.linking import CHUNK, PersonDetails, PersonLinker

PERMISSION = "intake.import_custody"
ARRESTED = "arrested"
REMANDED = "charged_remanded"
EVENT_STATUS = {
    "arrested": CustodyEpisode.Status.IN_CUSTODY,
    "charged_remanded": CustodyEpisode.Status.CHARGED_REMANDED,
    "bailed": CustodyEpisode.Status.BAILED,
    "released_rui": CustodyEpisode.Status.RELEASED_RUI,
    "released_nfa": CustodyEpisode.Status.RELEASED_NFA,
    "released": CustodyEpisode.Status.RELEASED,
}

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("custody_ref", parse_text, required=True),
    ColumnSpec("suspect_id", parse_text, required=True),
    ColumnSpec("investigation_ref", parse_text),
    ColumnSpec("event", choice_parser(
        EVENT_STATUS, aliases={"rui": "released_rui", "nfa": "released_nfa", "charged": "charged_remanded",
                               "remanded": "charged_remanded", "arrest": "arrested"},
        label="custody event"), required=True),
    ColumnSpec("event_at", parse_datetime, required=True),
    ColumnSpec("expected_release_at", parse_datetime),
)  # fmt: skip
"""FORMATS.md C."""

UNIQUE = UniqueKey(
    columns=("custody_ref", "event"),
    key=lambda texts: (texts[0], texts[1].lower()) if texts[0] and texts[1] else None,
    describe=lambda key: f"custody_ref {key[0]!r} with event {key[1]!r}",
)
"""One row per event of an episode in a file."""

TRACKED_FIELDS = ("suspect_id", "investigation_id", "arrested_at", "status", "expected_release_at",
                  "released_at")  # fmt: skip


def _validate(parsed: ParsedFile, stored_refs: set[str], now: dt.datetime) -> None:
    arrests = {
        r.values["custody_ref"] for r in parsed.read.records if r.values["event"] == ARRESTED
    }
    for record in parsed.read.records:
        values = record.values
        check_length(parsed, record, {"custody_ref": 40, "suspect_id": 40, "investigation_ref": 40})
        check_not_future(parsed, record, ("event_at",), now)
        ref = values["custody_ref"]
        if values["event"] != ARRESTED and ref not in arrests and ref not in stored_refs:
            parsed.add(
                record.row,
                "custody_ref",
                f"{ref!r} has no 'arrested' event in this file or already imported",
            )


def _stored(refs: list[str]) -> dict[str, CustodyEpisode]:
    found: dict[str, CustodyEpisode] = {}
    for start in range(0, len(refs), CHUNK):
        for episode in CustodyEpisode.objects.filter(custody_ref__in=refs[start : start + CHUNK]):
            found[episode.custody_ref] = episode
    return found


def _investigations(refs: set[str]) -> dict[str, int]:
    wanted = sorted(refs)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), CHUNK):
        rows = Investigation.objects.filter(investigation_ref__in=wanted[start : start + CHUNK])
        found.update(rows.values_list("investigation_ref", "pk"))
    return found


def _fold(state: dict[str, Any], events: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Apply events (in time order) to an episode's state; the latest event wins."""
    for event in sorted(events, key=lambda e: (e["event"] != ARRESTED, e["event_at"])):
        if event["event"] == ARRESTED:
            state["arrested_at"] = event["event_at"]
            if event.get("expected_release_at") is not None:
                state["expected_release_at"] = event["expected_release_at"]
            if state.get("released_at") is None and state.get("status") != REMANDED:
                state["status"] = CustodyEpisode.Status.IN_CUSTODY.value
            continue
        if state.get("released_at") is not None and event["event_at"] < state["released_at"]:
            continue
        state["status"] = EVENT_STATUS[event["event"]].value
        # Remanded is still held (for court): only a release ends the episode.
        state["released_at"] = None if event["event"] == REMANDED else event["event_at"]
    return state


def custody_import(
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
    """Import one custody feed; same contract as ``investigations_import``."""
    check_permission(actor, PERMISSION)
    started = time.perf_counter()
    now = now or timezone.now()
    label = source_name or path.name
    result = ImportResult(kind="custody", source=label, dry_run=dry_run, partial=partial)
    try:
        parsed = read_file(path, COLUMNS, mapping_path=mapping_path, sheet_name=sheet_name, label=label,
                           unique=UNIQUE)  # fmt: skip
    except TabularError as error:
        result.problems, result.partial = list(error.problems), False
        return result
    result.sha256 = file_sha256(path)
    result.rows = parsed.rows
    result.extra_columns = parsed.read.extra_columns
    stored = _stored(sorted({r.values["custody_ref"] for r in parsed.read.records}))
    _validate(parsed, set(stored), now)
    result.problems = parsed.problems
    result.rejected = rejected_row_count(parsed)
    if parsed.problems and not partial:
        return result
    with transaction.atomic():
        _write(
            good_records(parsed),
            stored,
            result,
            actor=actor,
            actor_username=actor_username,
            now=now,
        )
        audit_record(actor=actor, action=AuditAction.IMPORT, event="intake.custody_imported",
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


def _write(records: list[Record], stored: dict[str, CustodyEpisode], result: ImportResult, *,
           actor: Any, actor_username: str, now: dt.datetime) -> None:  # fmt: skip
    events: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for record in records:
        events[record.values["custody_ref"]].append(record.values)
    linker = PersonLinker()
    linker.load_refs({r.values["suspect_id"] for r in records})
    investigations = _investigations({r.values["investigation_ref"] for r in records
                                      if r.values.get("investigation_ref")})  # fmt: skip
    missing = sorted({r.values["investigation_ref"] for r in records
                      if r.values.get("investigation_ref") and r.values["investigation_ref"] not in investigations})  # fmt: skip
    if missing:
        result.notes.append(
            f"{len(missing)} investigation reference(s) not held yet, episodes kept "
            f"without the link: {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}"
        )
    suspects = {ref: linker.by_ref(PersonDetails(force_ref=ref))
                for ref in sorted({r.values['suspect_id'] for r in records})}  # fmt: skip
    linker.save(actor=actor, actor_username=actor_username)
    created: list[CustodyEpisode] = []
    updated: list[CustodyEpisode] = []
    changes: list[dict[str, Any]] = []
    for ref, ref_events in events.items():
        latest = max(ref_events, key=lambda e: e["event_at"])
        inv_ref = next(
            (e["investigation_ref"] for e in ref_events if e.get("investigation_ref")), None
        )
        episode = stored.get(ref)
        before = {name: getattr(episode, name) for name in TRACKED_FIELDS} if episode else {}
        state = dict(before) if episode else {"status": CustodyEpisode.Status.IN_CUSTODY.value,
                                              "released_at": None, "expected_release_at": None}  # fmt: skip
        state["suspect_id"] = suspects[latest["suspect_id"]].pk
        if inv_ref in investigations:
            state["investigation_id"] = investigations[inv_ref]
        else:
            state.setdefault("investigation_id", None)
        state = _fold(state, ref_events)
        if episode is None:
            created.append(CustodyEpisode(custody_ref=ref, **state))
            continue
        difference = {k: v for k, v in state.items() if before.get(k) != v}
        if not difference:
            result.unchanged += 1
            continue
        for name, value in difference.items():
            setattr(episode, name, value)
        episode.updated_at = now
        updated.append(episode)
        changes.append(changed_fields({k: before[k] for k in difference}, difference))
    insert_new(CustodyEpisode, created)  # covered by the import's audit event
    if updated:
        CustodyEpisode.objects.bulk_update(updated, [*TRACKED_FIELDS, "updated_at"], batch_size=500)
        audit_record_many(actor=actor, action=AuditAction.UPDATE, event="intake.custody_episode_updated",
                          subjects=updated, changes=changes, actor_username=actor_username)  # fmt: skip
    result.created, result.updated = len(created), len(updated)
    # A file row is one event; the counts are per episode. Say so when they differ.
    if len(records) != len(events):
        result.notes.append(f"{len(records)} event rows folded into {len(events)} custody episodes")
