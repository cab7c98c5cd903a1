"""Intake pages: imports (upload, check, confirm) and risk assessments.

Views are thin: validate a form, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from provide.accounts.http import AuthenticatedRequest
from provide.intake.forms import (
    ImportConfirmForm,
    ImportUploadForm,
    LocationFixForm,
    RiskAssessmentForm,
)
from provide.intake.models import RiskAssessment
from provide.intake.selectors import (
    intake_import_get_for,
    intake_import_list_for,
    investigation_get_for,
)
from provide.intake.services.locations import (
    NO_LOCATION,
    can_fix_location,
    investigation_location_fix,
)
from provide.intake.services.risk import risk_assessment_record
from provide.intake.services.uploads import (
    UploadRefused,
    intake_import_run,
    intake_import_stage,
    require_import_permission,
)
from provide.shared.access import RecordNotFound


def _posted(request: HttpRequest) -> Any:
    """The form data on a POST (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None


@login_required
def import_upload(request: AuthenticatedRequest) -> HttpResponse:
    require_import_permission(request.user)
    form = ImportUploadForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record = intake_import_stage(user=request.user, kind=form.cleaned_data["kind"],
                                         upload=form.cleaned_data["file"], mapping=form.cleaned_data["mapping"])  # fmt: skip
        except UploadRefused as refused:
            form.add_error("file", str(refused))
        else:
            intake_import_run(user=request.user, record=record, dry_run=True)
            return redirect("intake:import-preview", import_id=record.public_id)
    return render(
        request,
        "intake/import_upload.html",
        {
            "form": form,
            "nav": "intake-import",
            "page_title": "Import a file",
            "imports": intake_import_list_for(user=request.user)[:10],
        },
    )


@login_required
def import_preview(request: AuthenticatedRequest, import_id: str) -> HttpResponse:
    try:
        record = intake_import_get_for(user=request.user, import_id=import_id)
    except RecordNotFound:
        raise Http404 from None
    form = ImportConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid() and record.status == record.Status.PREVIEWED:
        try:
            result = intake_import_run(user=request.user, record=record, dry_run=False,
                                       partial=form.cleaned_data["partial"])  # fmt: skip
        except UploadRefused as refused:
            messages.error(request, str(refused))
        else:
            if not result.file_rejected:
                messages.success(request, result.summary_line())
        return redirect("intake:import-preview", import_id=record.public_id)
    summary = record.summary or {}
    return render(
        request,
        "intake/import_preview.html",
        {
            "record": record,
            "summary": summary,
            "form": form,
            "nav": "intake-import",
            "page_title": f"Import: {record.file_name}",
            "problems": summary.get("problems", [])[:200],
            "more_problems": max(0, len(summary.get("problems", [])) - 200),
        },
    )


@login_required
def risk_assessment_new(request: AuthenticatedRequest, investigation_id: str) -> HttpResponse:
    if not request.user.has_perm("intake.add_riskassessment"):
        raise PermissionDenied
    try:
        investigation = investigation_get_for(user=request.user, investigation_id=investigation_id)
    except RecordNotFound:
        raise Http404 from None
    tool = request.GET.get("tool") or request.POST.get("tool") or ""
    if tool not in RiskAssessment.Tool.values:
        return render(request, "intake/risk_tool_choice.html", {
            "investigation": investigation, "tools": RiskAssessment.Tool.choices,
            "page_title": "Record a risk assessment"})  # fmt: skip
    form = RiskAssessmentForm(_posted(request), tool=tool)
    if request.method == "POST" and form.is_valid():
        try:
            risk_assessment_record(user=request.user, investigation=investigation, tool=tool,
                                   answers=form.answers(), grade=form.cleaned_data["grade"],
                                   reason=form.cleaned_data["reason"])  # fmt: skip
        except ValidationError as error:
            form.add_error("reason" if "reason" in error.messages[0].lower() or "rationale" in error.messages[0].lower()
                           else "grade", error.messages[0])  # fmt: skip
        else:
            messages.success(request, "Risk assessment recorded")
            return redirect("web:investigation-detail", investigation_id=investigation.public_id)
    return render(request, "intake/risk_assessment_form.html", {
        "form": form, "investigation": investigation, "tool": tool,
        "tool_label": RiskAssessment.Tool(tool).label, "page_title": f"{tool} risk assessment"})  # fmt: skip


def _back_to(request: HttpRequest, investigation_id: object) -> HttpResponse:
    """The page the fix was posted from (the board, say), else the investigation page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("web:investigation-detail", investigation_id=investigation_id)


@login_required
def investigation_location(request: AuthenticatedRequest, investigation_id: str) -> HttpResponse:
    """Where the case is, and the one-click fix: enter or correct the victim's postcode."""
    if not can_fix_location(request.user):
        raise PermissionDenied
    try:
        investigation = investigation_get_for(user=request.user, investigation_id=investigation_id)
    except RecordNotFound:
        raise Http404 from None
    initial = {"postcode": investigation.victim.postcode, "next": request.GET.get("next", "")}
    form = LocationFixForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            fixed = investigation_location_fix(user=request.user, investigation=investigation,
                                               postcode=form.cleaned_data["postcode"])  # fmt: skip
        except ValidationError as error:
            form.add_error("postcode", error.messages[0])  # what was typed stays in the box
        else:
            messages.success(request, f"{investigation.investigation_ref} is now placed at the "
                                      f"centre of {fixed.victim.postcode}")  # fmt: skip
            return _back_to(request, investigation.public_id)
    return render(request, "intake/investigation_location.html", {
        "form": form, "investigation": investigation, "no_location": NO_LOCATION,
        "page_title": f"Where is {investigation.investigation_ref}?"})  # fmt: skip
