"""Planning as a background job: the sergeant asks, a worker plans, the page shows progress.

:func:`plan_job_start` records the request as a :class:`~provide.planning.models.PlanJob` and
hands it to the worker (inline when ``PROVIDE_TASKS_EAGER`` is on, as in development and
tests). :func:`plan_job_run` is the worker's side: it runs
:func:`provide.planning.services.plan_run`, which solves with no transaction open and saves the
result atomically as a new plan version, and records each stage, the plans made, or why it
failed. Only one job per BCU, day and shift pattern may be waiting or running: a second request
meanwhile is shown the first job (:attr:`PlanJobStarted.started` is False), never a second plan
racing the first.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from provide.accounts.models import User
from provide.accounts.services import Actor
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.planning import services
from provide.planning.models import PlanJob, Shift

logger = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=15)
"""A job still waiting or running this long after it was asked for has lost its worker."""
STALE_REASON = "The planning job stopped without finishing (its worker was lost). Plan again."
FAILED_REASON = "Planning failed: {error}. Nothing was saved; plan again, or tell support."


class PlanJobRefused(Exception):
    """The shifts cannot be planned (none, or already over); the message says why."""


@dataclass(frozen=True)
class PlanJobStarted:
    job: PlanJob
    started: bool
    """False when another job for the same shifts was already waiting or running."""


def shift_plannable_problem(shifts: Sequence[Shift], now: dt.datetime) -> str | None:
    """Why these shifts cannot be planned now (none, or all over), or None."""
    if not shifts:
        return "There are no joint-team shifts to plan on that day: add them on the rota first"
    ends_at = max(shift.ends_at for shift in shifts)
    if ends_at <= now:
        ended = timezone.localtime(ends_at)
        return f"This shift ended at {ended:%H:%M} on {ended:%d %B %Y}: it can no longer be planned"
    return None


def _release_stale_jobs(now: dt.datetime) -> None:
    PlanJob.objects.filter(status__in=PlanJob.ACTIVE, created_at__lt=now - STALE_AFTER).update(
        status=PlanJob.Status.FAILED, error=STALE_REASON, finished_at=now
    )


def plan_job_start(
    *,
    user: Actor,
    shifts: Sequence[Shift],
    plan_from: dt.datetime,
    trigger: str,
    time_limit_seconds: float = services.DEFAULT_TIME_LIMIT_SECONDS,
) -> PlanJobStarted:
    """Ask for the shifts (one BCU, day and pattern) to be planned from ``plan_from``.

    Raises PermissionDenied for a role that may not plan, and PlanJobRefused when there are no
    shifts or they are over. Returns the job, or the one already running for these shifts.
    """
    if not services.can_plan(user):
        raise PermissionDenied
    now = timezone.now()
    problem = shift_plannable_problem(shifts, now)
    if problem:
        raise PlanJobRefused(problem)
    first = shifts[0]
    _release_stale_jobs(now)
    try:
        with transaction.atomic():
            job = PlanJob.objects.create(
                bcu=first.team.bcu,
                on_date=first.on_date,
                pattern=first.pattern,
                trigger=trigger,
                plan_from=plan_from,
                time_limit_seconds=time_limit_seconds,
                requested_by=user if isinstance(user, User) else None,
            )
    except IntegrityError:
        running = PlanJob.objects.filter(
            bcu=first.team.bcu, on_date=first.on_date, pattern=first.pattern,
            status__in=PlanJob.ACTIVE,
        ).first()  # fmt: skip
        if running is None:  # it finished in between: ask again
            return plan_job_start(user=user, shifts=shifts, plan_from=plan_from, trigger=trigger,
                                  time_limit_seconds=time_limit_seconds)  # fmt: skip
        return PlanJobStarted(running, started=False)
    audit_record(actor=user, action=AuditAction.CREATE, event="planning.plan_requested",
                 subject=job, changes={"on_date": job.on_date.isoformat(), "pattern": job.pattern})  # fmt: skip
    from provide.planning.tasks import run_plan_job  # the task module imports this one

    run_plan_job.delay(job.pk)
    job.refresh_from_db()
    return PlanJobStarted(job, started=True)


def plan_job_run(job_id: int) -> PlanJob:
    """The worker's side: plan the job's shifts and record the outcome. Running a job again
    (a redelivered message) does nothing once it has started."""
    claimed = PlanJob.objects.filter(pk=job_id, status=PlanJob.Status.QUEUED).update(
        status=PlanJob.Status.RUNNING, started_at=timezone.now()
    )
    job = PlanJob.objects.select_related("bcu", "requested_by").get(pk=job_id)
    if not claimed:
        return job
    shifts = list(
        Shift.objects.select_related("team", "team__base", "team__bcu")
        .filter(team__bcu=job.bcu, on_date=job.on_date, pattern=job.pattern)
        .order_by("team__name")
    )

    def on_stage(stage: str) -> None:
        PlanJob.objects.filter(pk=job.pk).update(stage=stage[:80])

    try:
        if not shifts:
            raise PlanJobRefused("the shifts were removed from the rota")
        actor: Actor = job.requested_by or _planner_actor()
        plans = services.plan_run(user=actor, shifts=shifts, as_of=job.plan_from,
                                  trigger=job.trigger, time_limit_seconds=job.time_limit_seconds,
                                  on_stage=on_stage)  # fmt: skip
    except Exception as error:  # the job records any failure; the page says why
        logger.exception("plan job %s failed", job.public_id)
        job.status = PlanJob.Status.FAILED
        job.error = FAILED_REASON.format(error=str(error) or type(error).__name__)[:300]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at", "updated_at"])
        return job
    job.plans.set(plans)
    job.status = PlanJob.Status.DONE
    job.stage = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "stage", "finished_at", "updated_at"])
    return job


def _planner_actor() -> Actor:
    from provide.accounts.services import CommandLineOperator

    return CommandLineOperator("plan job")
