"""The rota pages: a week of shifts per team, and the forms that change it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from provide.accounts.http import AuthenticatedRequest
from provide.accounts.roles import HEALTH_IDVA, JOINT_TEAM_OFFICER
from provide.rota import selectors, services
from provide.rota.forms import AbsenceForm, ShiftForm, StaffingForm, StaffSkillsForm, WeekCopyForm
from provide.rota.policies import can_manage_rota
from provide.shared.access import get_for_user_or_404
from provide.shared.dates import day_in_range


def _require_manager(request: AuthenticatedRequest) -> None:
    if not can_manage_rota(request.user):
        raise PermissionDenied


def _chosen_week(request: HttpRequest) -> dt.date:
    try:
        chosen = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        chosen = timezone.localdate()
    # a week outside 1900-2199 shows this week, so the links either side cannot overflow
    return selectors.week_start_of(chosen if day_in_range(chosen) else timezone.localdate())


def _week_url(week_start: dt.date) -> str:
    return f"{reverse('rota:index')}?week={week_start.isoformat()}"


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    week_start = _chosen_week(request)
    week_end = week_start + dt.timedelta(days=6)
    return render(
        request,
        "rota/index.html",
        {
            "nav": "rota",
            "page_title": "Rota",
            "week_start": week_start,
            "week_end": week_end,
            "previous_week": week_start - dt.timedelta(days=7),
            "next_week": week_start + dt.timedelta(days=7),
            "team_weeks": selectors.rota_week_for(user=request.user, week_start=week_start),
            "absences": selectors.absence_list_for(
                user=request.user, starts_on=week_start, ends_on=week_end
            ),
            "staff": selectors.staff_rows_for(user=request.user),
        },
    )


def _staffing_querysets(request: AuthenticatedRequest, bcu: Any = None) -> dict[str, Any]:
    return {
        "officers": selectors.staff_list_for(user=request.user, role=JOINT_TEAM_OFFICER, bcu=bcu),
        "idvas": selectors.staff_list_for(user=request.user, role=HEALTH_IDVA, bcu=bcu),
    }


@login_required
def shift_new(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    teams = selectors.team_list_for(user=request.user)
    choices = _staffing_querysets(request)
    if request.method != "POST":
        initial = {key: request.GET.get(key, "") for key in ("team", "on_date", "pattern")}
        form = ShiftForm(initial=initial, teams=teams, **choices)
        return _shift_form(request, form)
    form = ShiftForm(request.POST, teams=teams, **choices)
    if form.is_valid():
        try:
            shift = services.shift_create(actor=request.user, **form.cleaned_data)
        except services.RotaRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Added {shift.team}: {_shift_label(shift)}")
            return redirect(_week_url(selectors.week_start_of(shift.on_date)))
    return _shift_form(request, form, status=400)


def _shift_form(request: HttpRequest, form: ShiftForm, status: int = 200) -> HttpResponse:
    context = {"nav": "rota", "page_title": "Add a shift", "form": form}
    return render(request, "rota/shift_form.html", context, status=status)


@login_required
def shift_staff(request: AuthenticatedRequest, shift_id: Any) -> HttpResponse:
    _require_manager(request)
    shift = get_for_user_or_404(selectors.shift_get_for, user=request.user, shift_id=shift_id)
    choices = _staffing_querysets(request, bcu=shift.team.bcu)
    if request.method != "POST":
        initial = {
            "officer": shift.officer.public_id if shift.officer else None,
            "idva": shift.idva.public_id if shift.idva else None,
        }
        form = StaffingForm(initial=initial, **choices)
        return _staffing_form(request, form, shift)
    form = StaffingForm(request.POST, **choices)
    if form.is_valid():
        try:
            services.shift_staff(actor=request.user, shift=shift, **form.cleaned_data)
        except services.RotaRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Changed who staffs {shift.team}: {_shift_label(shift)}")
            return redirect(_week_url(selectors.week_start_of(shift.on_date)))
    return _staffing_form(request, form, shift, status=400)


def _staffing_form(
    request: HttpRequest, form: StaffingForm, shift: Any, status: int = 200
) -> HttpResponse:
    context = {"nav": "rota", "page_title": "Who staffs this shift", "form": form, "shift": shift}
    return render(request, "rota/shift_staff.html", context, status=status)


def _shift_label(shift: Any) -> str:
    return (
        f"{shift.on_date:%A} {shift.on_date.day} {shift.on_date:%B}, {shift.get_pattern_display()}"
    )


@login_required
def absence_new(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    staff = selectors.staff_list_for(user=request.user)
    form = AbsenceForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.absence_record(actor=request.user, **form.cleaned_data)
        except services.RotaRefused as refused:
            form.add_error(None, str(refused))
        else:
            absence = recorded.absence
            messages.success(
                request, f"Recorded {absence.get_kind_display().lower()} for {absence.user}"
            )
            for shift in recorded.clashes:
                messages.warning(
                    request,
                    f"{absence.user} is on the rota for {shift.team}, {_shift_label(shift)}: "
                    "change who staffs it",
                )
            return redirect(_week_url(selectors.week_start_of(absence.starts_on)))
    context = {"nav": "rota", "page_title": "Record leave or absence", "form": form}
    return render(request, "rota/absence_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def absence_cancel(request: AuthenticatedRequest, absence_id: Any) -> HttpResponse:
    _require_manager(request)
    absence = get_for_user_or_404(
        selectors.absence_get_for, user=request.user, absence_id=absence_id
    )
    week = selectors.week_start_of(absence.starts_on)
    services.absence_cancel(actor=request.user, absence=absence)
    messages.success(
        request, f"Removed the {absence.get_kind_display().lower()} for {absence.user}"
    )
    return redirect(_week_url(week))


@login_required
def staff_skills(request: AuthenticatedRequest, staff_id: Any) -> HttpResponse:
    _require_manager(request)
    staff = get_for_user_or_404(selectors.staff_get_for, user=request.user, staff_id=staff_id)
    profile = selectors.profile_of(staff)
    initial = {
        "languages": ", ".join(profile.languages) if profile else "",
        "gender": profile.gender if profile else "",
    }
    form = StaffSkillsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.staff_profile_update(actor=request.user, staff=staff, **form.cleaned_data)
        messages.success(request, f"Saved the skills of {staff}")
        return redirect(f"{reverse('rota:index')}#staff")
    context = {"nav": "rota", "page_title": f"Skills of {staff}", "form": form, "staff": staff}
    return render(request, "rota/staff_skills.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def week_copy(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    form = WeekCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the week to copy")
        return redirect("rota:index")
    week_start = selectors.week_start_of(form.cleaned_data["week"])
    result = services.week_copy(actor=request.user, week_start=week_start)
    context = {
        "nav": "rota",
        "page_title": "Week copied",
        "result": result,
        "from_week": week_start,
        "to_week_url": _week_url(result.to_week),
    }
    return render(request, "rota/copy_result.html", context)
