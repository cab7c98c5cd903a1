"""Planning as a background job: one job per shift at a time, refused for a shift that is over,
idempotent when redelivered, and a failure recorded with the reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from provide.areas.models import Area, Station
from provide.planning import jobs, selectors
from provide.planning.models import Plan, PlanJob, Shift, Team
from tests.audit_assertions import assert_audited
from tests.planning.test_services import _accepted_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def tomorrow_shift(areas: dict[str, Area]) -> Shift:
    base = Station.objects.get(name="Blackpool Police HQ")
    team = Team.objects.create(name="West B", bcu=areas["west"], base=base)
    day = timezone.localdate() + dt.timedelta(days=1)
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(7)))
    return Shift.objects.create(
        team=team, on_date=day, pattern="early", starts_at=starts,
        ends_at=starts + dt.timedelta(hours=8), officer_name="PC Shah", idva_name="Jo IDVA",
    )  # fmt: skip


def _start(user: Any, shift: Shift) -> jobs.PlanJobStarted:
    return jobs.plan_job_start(
        user=user, shifts=[shift], plan_from=shift.starts_at, trigger=Plan.Trigger.START_OF_SHIFT,
        time_limit_seconds=1,
    )  # fmt: skip


def test_a_plan_job_plans_the_shift_and_records_the_plans(
    personas: dict[str, Any], areas: dict[str, Area], tomorrow_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    _accepted_case(areas, 2)
    started = _start(personas["triage_sergeant"], tomorrow_shift)
    job = started.job
    assert started.started
    assert job.status == PlanJob.Status.DONE and job.error == ""
    plan = job.plans.get()
    assert plan.shift == tomorrow_shift and plan.stops.count() == 2
    assert job.requested_by == personas["triage_sergeant"]
    assert job.started_at is not None and job.finished_at is not None
    assert_audited("planning.plan_requested", action="create", subject=job)


def test_a_second_request_while_one_is_running_is_shown_the_first(
    personas: dict[str, Any], areas: dict[str, Area], tomorrow_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    running = PlanJob.objects.create(
        bcu=areas["west"], on_date=tomorrow_shift.on_date, pattern="early", trigger="start",
        plan_from=tomorrow_shift.starts_at, time_limit_seconds=1,
        status=PlanJob.Status.RUNNING, requested_by=personas["idva_manager"],
    )  # fmt: skip
    started = _start(personas["triage_sergeant"], tomorrow_shift)
    assert not started.started
    assert started.job == running
    assert PlanJob.objects.count() == 1
    assert not Plan.objects.exists(), "the second request made no plan of its own"


def test_a_job_left_running_by_a_lost_worker_no_longer_blocks_planning(
    personas: dict[str, Any], areas: dict[str, Area], tomorrow_shift: Shift
) -> None:
    lost = PlanJob.objects.create(
        bcu=areas["west"], on_date=tomorrow_shift.on_date, pattern="early", trigger="start",
        plan_from=tomorrow_shift.starts_at, time_limit_seconds=1, status=PlanJob.Status.RUNNING,
    )  # fmt: skip
    PlanJob.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - jobs.STALE_AFTER - dt.timedelta(minutes=1)
    )
    started = _start(personas["triage_sergeant"], tomorrow_shift)
    assert started.started and started.job.status == PlanJob.Status.DONE
    lost.refresh_from_db()
    assert lost.status == PlanJob.Status.FAILED and "worker was lost" in lost.error


def test_a_shift_that_is_over_cannot_be_planned(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    with pytest.raises(jobs.PlanJobRefused, match="ended at 15:00 on 10 March 2026"):
        _start(personas["triage_sergeant"], west_shift)
    assert not PlanJob.objects.exists()


def test_no_shifts_is_refused_with_where_to_add_them(personas: dict[str, Any]) -> None:
    with pytest.raises(jobs.PlanJobRefused, match="rota"):
        jobs.plan_job_start(
            user=personas["triage_sergeant"], shifts=[], plan_from=timezone.now(),
            trigger=Plan.Trigger.START_OF_SHIFT,
        )  # fmt: skip


@pytest.mark.parametrize("role", ["response_officer", "joint_team_officer", "analyst"])
def test_roles_that_do_not_plan_cannot_start_a_job(
    role: str, personas: dict[str, Any], tomorrow_shift: Shift
) -> None:
    with pytest.raises(PermissionDenied):
        _start(personas[role], tomorrow_shift)
    assert not PlanJob.objects.exists()


def test_running_a_job_again_does_nothing(
    personas: dict[str, Any], areas: dict[str, Area], tomorrow_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    job = _start(personas["triage_sergeant"], tomorrow_shift).job
    again = jobs.plan_job_run(job.pk)
    assert again.status == PlanJob.Status.DONE
    assert Plan.objects.count() == 1, "a redelivered job made no second version"


def test_a_job_whose_shifts_went_away_fails_with_the_reason(
    personas: dict[str, Any], areas: dict[str, Area]
) -> None:
    job = PlanJob.objects.create(
        bcu=areas["west"], on_date=timezone.localdate(), pattern="late", trigger="start",
        plan_from=timezone.now(), time_limit_seconds=1, requested_by=personas["triage_sergeant"],
    )  # fmt: skip
    done = jobs.plan_job_run(job.pk)
    assert done.status == PlanJob.Status.FAILED
    assert "removed from the rota" in done.error and "Nothing was saved" in done.error
    assert done.finished_at is not None
    # a failed job no longer holds the shift: planning it again can start
    assert not PlanJob.objects.filter(status__in=PlanJob.ACTIVE).exists()


def test_the_job_page_selector_keeps_to_the_users_bcu(
    personas: dict[str, Any], areas: dict[str, Area]
) -> None:
    east_job = PlanJob.objects.create(
        bcu=areas["east"], on_date=timezone.localdate(), pattern="early", trigger="start",
        plan_from=timezone.now(), time_limit_seconds=1,
    )  # fmt: skip
    from provide.shared.access import RecordNotFound

    with pytest.raises(RecordNotFound):
        selectors.plan_job_get_for(user=personas["triage_sergeant"], job_id=east_job.public_id)
    with pytest.raises(RecordNotFound):
        selectors.plan_job_get_for(user=personas["triage_sergeant"], job_id="not-a-uuid")
    with pytest.raises(PermissionDenied):
        selectors.plan_job_get_for(user=personas["analyst"], job_id=east_job.public_id)
