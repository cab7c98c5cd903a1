"""The planning job page: progress while the plan is made, the plans when done, the reason and
"Plan again" when it failed; in the user's BCU only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from provide.areas.models import Area
from provide.planning.models import PlanJob

pytestmark = pytest.mark.django_db


def _job(area: Area, **fields: Any) -> PlanJob:
    return PlanJob.objects.create(
        bcu=area, on_date=timezone.localdate(), pattern="early", trigger="start",
        plan_from=timezone.now(), time_limit_seconds=5, **fields,
    )  # fmt: skip


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_running_job_shows_its_stage_and_polls(
    personas: dict[str, Any], areas: dict[str, Area]
) -> None:
    job = _job(areas["west"], status=PlanJob.Status.RUNNING, stage="Finding the best routes",
               requested_by=personas["triage_sergeant"])  # fmt: skip
    page = _client(personas["triage_sergeant"]).get(f"/planning/jobs/{job.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Finding the best routes" in html and "up to 5 seconds" in html
    assert 'hx-trigger="every 2s"' in html and 'role="status"' in html
    fragment = _client(personas["triage_sergeant"]).get(
        f"/planning/jobs/{job.public_id}/?partial=status"
    )
    assert fragment.content.decode().lstrip().startswith('<div id="plan-job-status"')


def test_a_failed_job_says_why_and_offers_to_plan_again(
    personas: dict[str, Any], areas: dict[str, Area]
) -> None:
    job = _job(areas["west"], status=PlanJob.Status.FAILED, error="Planning failed: boom.")
    html = _client(personas["triage_sergeant"]).get(f"/planning/jobs/{job.public_id}/").content
    text = html.decode()
    assert "Planning failed: boom." in text and "Plan again" in text
    assert "hx-trigger" not in text, "a finished job stops polling"


def test_the_job_page_keeps_to_the_bcu_and_the_roles(
    personas: dict[str, Any], areas: dict[str, Area]
) -> None:
    east = _job(areas["east"])
    assert (
        _client(personas["triage_sergeant"]).get(f"/planning/jobs/{east.public_id}/").status_code
        == 404
    )
    west = _job(areas["west"])
    assert _client(personas["analyst"]).get(f"/planning/jobs/{west.public_id}/").status_code == 403
    assert _client(personas["triage_sergeant"]).get("/planning/jobs/0000/").status_code == 404
