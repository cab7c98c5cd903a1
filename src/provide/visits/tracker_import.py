"""Importing the IDVA tracker (FORMATS.md §B): the health-side rows and the visits they record.

A tracker row is the IDVA's health-side record of a visit and, for the shared joint record,
the visit itself. health sits below visits, so the import is orchestrated here: health checks
and writes the rows (:mod:`provide.health.tracker`), then
:func:`provide.visits.services.visit_record_from_tracker` records or updates each row's visit,
all in one transaction. ``provide import-tracker`` and the IDVA manager's upload page call it.

A stored row the file would move to another victim is held for review, not written (see
:mod:`provide.health.tracker`); the manager approves such a move by naming its tracker id in
``relink`` (``--relink`` on the command line, the tick box on the upload's report).
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction

from provide.accounts.models import User
from provide.health.models import TrackerUpload
from provide.health.tracker import (
    ImportSummary,
    TrackerCheck,
    tracker_rows_write,
    tracker_upload_mark_imported,
    tracker_upload_recheck,
)
from provide.visits.services import visit_record_from_tracker


@transaction.atomic
def tracker_import(
    *,
    check: TrackerCheck,
    user: User | None = None,
    actor_label: str = "",
    partial: bool = False,
    dry_run: bool = False,
    relink: Collection[str] = (),
) -> ImportSummary:
    """Write a checked tracker file and its visits (unless ``dry_run``, or it has problems and
    not ``partial``). Rows that would move to another victim are held unless in ``relink``.
    Raises TrackerNotAllowed for a user who may not import the tracker."""
    written = tracker_rows_write(check=check, user=user, actor_label=actor_label, partial=partial,
                                 dry_run=dry_run, relink=relink)  # fmt: skip
    for record in written.created:
        visit_record_from_tracker(record=record, created=True)
    for record in written.updated:
        visit_record_from_tracker(record=record, created=False)
    return written.summary


@transaction.atomic
def tracker_upload_confirm(*, user: User, upload: TrackerUpload, partial: bool,
                           relink: Collection[str] = ()) -> ImportSummary:  # fmt: skip
    """Import a checked upload (checked again: the database may have changed since), moving
    to another victim only the rows whose tracker ids the manager ticked (``relink``)."""
    check = tracker_upload_recheck(user=user, upload=upload)
    summary = tracker_import(check=check, user=user, partial=partial, relink=relink)
    if not summary.file_rejected:
        tracker_upload_mark_imported(upload=upload, summary=summary)
    return summary
