"""Background tasks of planning (Celery): run a plan job (:mod:`provide.planning.jobs`)."""

from __future__ import annotations

from celery import shared_task  # type: ignore[import-untyped]

from provide.planning.jobs import plan_job_run


@shared_task(name="provide.planning.run_plan_job", acks_late=True)  # type: ignore[untyped-decorator]
def run_plan_job(job_id: int) -> str:
    """Plan the job's shifts; returns the job's status."""
    return str(plan_job_run(job_id).status)
