"""The Celery task runs a plan job (inline here: ``CELERY_TASK_ALWAYS_EAGER`` in tests)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from provide.areas.models import Area
from provide.config.celery import app
from provide.planning.models import PlanJob
from provide.planning.tasks import run_plan_job

pytestmark = pytest.mark.django_db


def test_the_worker_finds_every_task_by_name() -> None:
    app.loader.import_default_modules()
    assert {"provide.planning.run_plan_job", "provide.retention.nightly"} <= set(app.tasks)


def test_the_task_runs_the_job_and_answers_its_status(
    personas: dict[str, Any], areas: dict[str, Area]
) -> None:
    job = PlanJob.objects.create(
        bcu=areas["west"], on_date=timezone.localdate(), pattern="late", trigger="start",
        plan_from=timezone.now(), time_limit_seconds=1, requested_by=personas["triage_sergeant"],
    )  # fmt: skip
    assert run_plan_job.delay(job.pk).get() == "failed"  # no shifts: recorded, not raised
    job.refresh_from_db()
    assert job.status == PlanJob.Status.FAILED
    assert run_plan_job.delay(job.pk).get() == "failed", "a finished job is left as it is"
