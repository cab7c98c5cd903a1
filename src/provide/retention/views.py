"""The retention page and its actions: thin views over the selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from provide.accounts.http import AuthenticatedRequest
from provide.retention.forms import PERSON_HELP, ExtractForm, HoldForm, SubjectForm
from provide.retention.policies import RetentionNotAllowed, retention_side_of
from provide.retention.selectors import (
    AmbiguousPerson,
    legal_hold_get_for,
    retention_overview_for,
    subject_find_for,
)
from provide.retention.services import (
    HoldError,
    analyst_extract_export,
    legal_hold_place,
    legal_hold_release,
    subject_access_export,
)
from provide.shared.access import RecordNotFound, get_for_user_or_404

NOT_FOUND = "No one has that id on this side. Check it and try again."
ZIP = "application/zip"


def _side_or_403(request: AuthenticatedRequest) -> str:
    side = retention_side_of(request.user)
    if side is None:
        raise PermissionDenied
    return side


def _forms(side: str, **bound: Any) -> dict[str, Any]:
    subject, hold = bound.get("subject") or SubjectForm(), bound.get("hold") or HoldForm()
    subject.fields["person"].help_text = hold.fields["person"].help_text = PERSON_HELP[side]
    return {"subject_form": subject, "hold_form": hold}


def _page(request: AuthenticatedRequest, status: int = 200, **bound: Any) -> HttpResponse:
    try:
        overview = retention_overview_for(user=request.user, now=timezone.now())
    except RetentionNotAllowed:
        raise PermissionDenied from None
    context = {
        "nav": "retention",
        "page_title": "Retention and rights",
        "overview": overview,
        **_forms(overview.side, **bound),
    }
    return render(request, "retention/overview.html", context, status=status)


@login_required
def overview(request: AuthenticatedRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def hold_place(request: AuthenticatedRequest) -> HttpResponse:
    _side_or_403(request)
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            person, side = subject_find_for(user=request.user, text=form.cleaned_data["person"])
            legal_hold_place(
                actor=request.user, person=person, side=side, reason=form.cleaned_data["reason"]
            )
        except RecordNotFound:
            form.add_error("person", NOT_FOUND)
        except (AmbiguousPerson, HoldError) as error:
            form.add_error("person", str(error))
        else:
            messages.success(
                request, "The hold is placed: these records are kept until it is released."
            )
            return redirect("retention:overview")
    return _page(request, status=400, hold=form)


@login_required
@require_POST
def hold_release(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    _side_or_403(request)
    hold = get_for_user_or_404(legal_hold_get_for, user=request.user, public_id=public_id)
    try:
        legal_hold_release(actor=request.user, hold=hold)
    except HoldError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The hold is released: the records follow the schedule again.")
    return redirect("retention:overview")


@login_required
@require_POST
def subject_access(request: AuthenticatedRequest) -> HttpResponse:
    _side_or_403(request)
    form = SubjectForm(request.POST)
    if form.is_valid():
        try:
            person, side = subject_find_for(user=request.user, text=form.cleaned_data["person"])
        except RecordNotFound:
            form.add_error("person", NOT_FOUND)
        except AmbiguousPerson as error:
            form.add_error("person", str(error))
        else:
            data = subject_access_export(actor=request.user, person=person, side=side)
            return _download(data, f"subject-access-{side}-{person.public_id}.zip")
    return _page(request, status=400, subject=form)


@login_required
def analyst_extract(request: AuthenticatedRequest) -> HttpResponse:
    form = ExtractForm(request.GET or None)
    coarsen = (form.cleaned_data["coarsen"] or "week") if form.is_valid() else "week"
    try:
        data = analyst_extract_export(actor=request.user, coarsen=coarsen)
    except RetentionNotAllowed:
        raise PermissionDenied from None
    return _download(
        data, f"provide-analyst-extract-{timezone.localdate().isoformat()}-{coarsen}.zip"
    )


def _download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=ZIP)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
