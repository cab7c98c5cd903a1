"""The planning job page: the sergeant sees the plan being made, and the page never blocks.

Asking for a plan (``plan_run_view``) starts a background job and shows this page; it
refreshes its status panel (htmx, every 2 seconds) until the job is done or failed.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from provide.accounts.http import AuthenticatedRequest
from provide.planning.jobs import plan_job_get_for
from provide.shared.access import RecordNotFound


@login_required
def plan_job(request: AuthenticatedRequest, job_id: str) -> HttpResponse:
    try:
        job = plan_job_get_for(user=request.user, job_id=job_id)
    except RecordNotFound:
        raise Http404 from None
    template = (
        "planning/_plan_job_status.html"
        if request.GET.get("partial") == "status"
        else "planning/plan_job.html"
    )
    return render(
        request,
        template,
        {"nav": "planning", "page_title": "Planning the shift", "job": job,
         "plans": list(job.plans.all())},
    )  # fmt: skip
