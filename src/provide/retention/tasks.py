"""The nightly job, as a Celery task (the operations set-up schedules it, e.g. with celery beat)."""

from __future__ import annotations

from typing import Any

from celery import shared_task  # type: ignore[import-untyped]

from provide.retention.services import retention_run

NIGHTLY_ACTOR = "provide retention (nightly)"


@shared_task(name="provide.retention.nightly")  # type: ignore[untyped-decorator]
def retention_nightly(dry_run: bool = False) -> dict[str, Any]:
    """Anonymise every record past its date and not held; returns the run's counts."""
    return retention_run(dry_run=dry_run, actor_username=NIGHTLY_ACTOR).summary
