"""Shift plan pages: the sergeant plans and re-plans; the joint team follows on a phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from provide.accounts.http import AuthenticatedRequest
from provide.audit.services import audit_records_read
from provide.planning import jobs, mapping, selectors, services
from provide.planning.forms import LiveIncidentForm, PlanRunForm
from provide.planning.models import Plan, Shift
from provide.planning.timeline import timeline_rows
from provide.shared.access import RecordNotFound, bcu_scope
from provide.shared.dates import day_in_range


def _shift_or_404(request: AuthenticatedRequest, shift_id: Any) -> Shift:
    try:
        return selectors.shift_get_for(user=request.user, shift_id=shift_id)
    except RecordNotFound:
        raise Http404 from None


def _chosen_date(request: HttpRequest) -> dt.date:
    try:
        chosen = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.localdate()
    # a day outside 1900-2199 shows today: the links to the days either side of 0001-01-01
    # or 9999-12-31 would overflow
    return chosen if day_in_range(chosen) else timezone.localdate()


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.has_perm("planning.view_plan"):
        raise PermissionDenied
    on_date = _chosen_date(request)
    shifts = list(selectors.shift_list_for(user=request.user, on_date=on_date))
    rows = [(shift, selectors.current_plan(shift)) for shift in shifts]
    now = timezone.now()  # a shift that is over is no longer planned: no button for it
    patterns = sorted(
        {shift.pattern for shift in shifts if shift.ends_at > now}, key=lambda p: p != "early"
    )
    return render(
        request,
        "planning/index.html",
        {
            "nav": "planning",
            "page_title": "Shift plans",
            "on_date": on_date,
            "rows": rows,
            "patterns": [(p, Shift.Pattern(p).label) for p in patterns],
            "can_plan": services.can_plan(request.user),
            "previous_day": on_date - dt.timedelta(days=1),
            "next_day": on_date + dt.timedelta(days=1),
        },
    )


@login_required
@require_POST
def plan_run_view(request: AuthenticatedRequest) -> HttpResponse:
    form = PlanRunForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a day and a shift to plan")
        return redirect("planning:index")
    shifts = selectors.shift_list_for(
        user=request.user, on_date=form.cleaned_data["on_date"]
    ).filter(pattern=form.cleaned_data["pattern"])
    bcu = bcu_scope(request.user)
    if bcu is None and shifts:
        shifts = shifts.filter(team__bcu=shifts[0].team.bcu)
    chosen = list(shifts)
    try:
        started = jobs.plan_job_start(
            user=request.user,
            shifts=chosen,
            plan_from=_plan_from(chosen),
            trigger=Plan.Trigger.REPLAN
            if any(s.plans.exists() for s in chosen)
            else Plan.Trigger.START_OF_SHIFT,
        )
    except jobs.PlanJobRefused as refused:
        messages.error(request, str(refused))
        return redirect(
            f"{reverse('planning:index')}?date={form.cleaned_data['on_date'].isoformat()}"
        )
    if not started.started:
        asked_by = started.job.requested_by or "another planner"
        messages.info(
            request,
            f"This shift is already being planned (asked for by {asked_by} at "
            f"{timezone.localtime(started.job.created_at):%H:%M}): here is that plan's progress",
        )
    return redirect("planning:plan-job", job_id=started.job.public_id)


def _plan_from(shifts: list[Shift]) -> dt.datetime:
    """Plan from now during the shift; from the shift's start before it (or when reviewing)."""
    now = timezone.now()
    if not shifts:
        return now
    start, end = min(s.starts_at for s in shifts), max(s.ends_at for s in shifts)
    return now if start <= now <= end else start


def _plan_context(request: AuthenticatedRequest, shift: Shift) -> dict[str, Any]:
    plan = selectors.current_plan(shift)
    live = selectors.live_incidents_awaiting(shift.team.bcu)[:20]
    must_attend_left_out, left_out = mapping.left_out_sections(plan.left_out.all() if plan else ())
    return {
        "nav": "planning",
        "page_title": f"{shift.team.name} – {shift.get_pattern_display()}",
        "shift": shift,
        "plan": plan,
        "timeline": timeline_rows(shift, plan) if plan else [],
        "versions": selectors.plan_versions(shift)[:20],
        "can_plan": services.can_plan(request.user),
        "live_requests": live,
        "live_form": LiveIncidentForm(),
        "must_attend_left_out": must_attend_left_out,
        "left_out": left_out,
    }


@login_required
def shift_plan(request: AuthenticatedRequest, shift_id: Any) -> HttpResponse:
    shift = _shift_or_404(request, shift_id)
    return render(request, "planning/shift_plan.html", _plan_context(request, shift))


@login_required
def run_sheet(request: AuthenticatedRequest, shift_id: Any) -> HttpResponse:
    shift = _shift_or_404(request, shift_id)
    plan = selectors.current_plan(shift)
    route = (
        selectors.route_for(user=request.user, shift=shift, plan=plan, as_of=timezone.now())
        if plan
        else None
    )
    _audit_route_read(request, route, "planning.run_sheet_viewed")
    return render(
        request,
        "planning/run_sheet.html",
        {
            "nav": "planning",
            "page_title": f"Run sheet: {shift.team.name}",
            "shift": shift,
            "plan": plan,
            "route": route,
        },
    )


@login_required
def my_shift(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.has_perm("planning.view_plan"):
        raise PermissionDenied
    today = timezone.localdate()
    now = timezone.now()
    shifts = list(selectors.shift_list_for(user=request.user, on_date=today))
    own = [s for s in shifts if request.user.pk in (s.officer_id, s.idva_id)]
    shifts = own or shifts
    current = [s for s in shifts if s.starts_at <= now <= s.ends_at] or shifts
    rows = [(shift, selectors.current_plan(shift)) for shift in current]
    routes = [
        (
            selectors.route_for(user=request.user, shift=shift, plan=plan, as_of=now),
            _plan_changed(request, plan),
        )
        for shift, plan in rows
        if plan is not None
    ]
    for route, _seen in routes:
        _audit_route_read(request, route, "planning.route_viewed")
    return render(
        request,
        "planning/my_shift.html",
        {
            "nav": "my-shift",
            "page_title": "Today's route",
            "rows": rows,
            "routes": routes,
            "unplanned": [shift for shift, plan in rows if plan is None],
            "today": today,
        },
    )


ROUTE_SEEN_KEY = "planning.route_seen"


def _audit_route_read(
    request: AuthenticatedRequest, route: selectors.Route | None, event: str
) -> None:
    """A route names victims, their addresses and safe numbers: one read event per route,
    naming each investigation (and so each victim) it showed."""
    if route is not None and route.stops:
        audit_records_read(
            actor=request.user,
            records=[item.stop.investigation for item in route.stops],
            event=event,
            query={"shift": str(route.shift.public_id), "plan_version": route.plan.version},
        )


def _plan_changed(request: HttpRequest, plan: Plan) -> int | None:
    """The plan version the user last saw on this page, when the plan has changed since
    (else ``None``); remembers the version shown now."""
    seen: dict[str, int] = request.session.get(ROUTE_SEEN_KEY, {})
    key = str(plan.shift.public_id)
    before = seen.get(key)
    if before != plan.version:
        request.session[ROUTE_SEEN_KEY] = {**seen, key: plan.version}
    return before if before is not None and before != plan.version else None


@login_required
@require_POST
def live_incident(request: AuthenticatedRequest, shift_id: Any) -> HttpResponse:
    shift = _shift_or_404(request, shift_id)
    form = LiveIncidentForm(request.POST)
    decision = None
    if form.is_valid():
        wanted = str(form.cleaned_data["decision"])
        decision = next(
            (
                d
                for d in selectors.live_incidents_awaiting(shift.team.bcu)
                if str(d.public_id) == wanted
            ),
            None,
        )
    if decision is None:
        context = _plan_context(request, shift)
        context["live_form"] = form
        if not form.errors:
            form.add_error("decision", "Choose the live incident to add")
        return render(request, "planning/shift_plan.html", context, status=400)
    same_time = Shift.objects.filter(
        on_date=shift.on_date, pattern=shift.pattern, team__bcu=shift.team.bcu
    )
    services.plan_insert_live(
        user=request.user, shifts=same_time, decision=decision, as_of=_plan_from(list(same_time))
    )
    messages.success(
        request, f"Re-planned for live incident {decision.investigation.investigation_ref}"
    )
    return redirect("planning:shift-plan", shift_id=shift.public_id)


@login_required
@require_POST
def stop_move(request: AuthenticatedRequest, shift_id: Any, stop_id: Any) -> HttpResponse:
    shift = _shift_or_404(request, shift_id)
    plan = selectors.current_plan(shift)
    stop = plan.stops.filter(public_id=stop_id).first() if plan else None
    if plan is None or stop is None:
        raise Http404
    try:
        services.plan_move_stop(
            user=request.user,
            plan=plan,
            stop=stop,
            offset=-1 if request.POST.get("direction") == "earlier" else 1,
        )
        messages.success(request, f"Moved {stop.investigation.investigation_ref}")
    except services.PlanChangeRefused as refused:
        messages.error(request, "That order does not work: " + "; ".join(refused.problems))
    return redirect("planning:shift-plan", shift_id=shift.public_id)


@login_required
@require_POST
def stop_pin(request: AuthenticatedRequest, shift_id: Any, stop_id: Any) -> HttpResponse:
    shift = _shift_or_404(request, shift_id)
    plan = selectors.current_plan(shift)
    stop = plan.stops.filter(public_id=stop_id).first() if plan else None
    if plan is None or stop is None:
        raise Http404
    stop = services.plan_toggle_pin(user=request.user, plan=plan, stop=stop)
    messages.success(
        request, f"{'Pinned' if stop.pinned else 'Unpinned'} {stop.investigation.investigation_ref}"
    )
    return redirect("planning:shift-plan", shift_id=shift.public_id)


@login_required
def plan_job(request: AuthenticatedRequest, job_id: str) -> HttpResponse:
    """A planning job's page: its stage while it runs (the status panel refreshes itself every
    2 seconds, ``?partial=status``), the plans when done, the reason and "Plan again" if not."""
    try:
        job = selectors.plan_job_get_for(user=request.user, job_id=job_id)
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
