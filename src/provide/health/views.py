"""Health-side pages: the IDVA tracker (search, export) and the manager's tracker upload."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from provide.accounts.http import AuthenticatedRequest
from provide.accounts.policies import can_view_health_record
from provide.audit.services import audit_records_read
from provide.core.tabular import TabularError, load_mapping
from provide.health import tracker
from provide.health.forms import TrackerSearchForm, TrackerUploadForm
from provide.health.policies import can_export_tracker, can_import_tracker
from provide.health.selectors import (
    support_record_list_for,
    tracker_search_for,
    tracker_upload_get_for,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _health_only(request: HttpRequest) -> None:
    if not can_view_health_record(request.user):
        raise PermissionDenied


@login_required
def tracker_page(request: AuthenticatedRequest) -> HttpResponse:
    _health_only(request)
    form = TrackerSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    if query:
        records = tracker_search_for(user=request.user, text=query)
    else:
        records = list(support_record_list_for(user=request.user)[:25])
        audit_records_read(
            actor=request.user, records=records, event="health.support_record_listed"
        )
    return render(
        request,
        "health/tracker.html",
        {
            "form": form,
            "query": query,
            "records": records,
            "nav": "tracker",
            "page_title": "Tracker",
            "can_export": can_export_tracker(request.user),
            "can_import": can_import_tracker(request.user),
        },
    )


@login_required
def tracker_export(request: AuthenticatedRequest) -> HttpResponse:
    if not can_export_tracker(request.user):
        raise PermissionDenied
    since = None
    if request.GET.get("since"):
        try:
            since = timezone.make_aware(dt.datetime.fromisoformat(request.GET["since"]))
        except ValueError:
            return HttpResponse(
                "since must be a date like 2026-01-31", status=400, content_type="text/plain"
            )
    content, _rows = tracker.tracker_export(user=request.user, since=since)
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="idva-tracker-{stamp}.xlsx"'
    return response


def _mapping_from(upload: Any) -> dict[str, str]:
    suffix = ".json" if upload.name.lower().endswith(".json") else ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"mapping{suffix}"
        path.write_bytes(upload.read())
        return load_mapping(path)


@login_required
def tracker_upload(request: AuthenticatedRequest) -> HttpResponse:
    if not can_import_tracker(request.user):
        raise PermissionDenied
    form = TrackerUploadForm(request.POST or None, request.FILES or None)
    file_problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            mapping = (
                _mapping_from(form.cleaned_data["mapping"])
                if form.cleaned_data["mapping"]
                else None
            )
            staged = tracker.tracker_upload_create(
                user=request.user,
                file_name=Path(upload.name).name,
                content=upload.read(),
                sheet=form.cleaned_data["sheet"],
                mapping=mapping,
            )
        except TabularError as error:
            file_problems = error.lines()
            form.add_error("file", "The file could not be read: see the problems listed")
        else:
            return redirect("health:tracker-upload-report", upload_id=staged.public_id)
    return render(
        request,
        "health/tracker_upload.html",
        {
            "form": form,
            "file_problems": file_problems,
            "nav": "tracker",
            "page_title": "Upload a tracker",
        },
        status=400 if form.errors else 200,
    )


@login_required
def tracker_upload_report(request: AuthenticatedRequest, upload_id: str) -> HttpResponse:
    if not can_import_tracker(request.user):
        raise PermissionDenied
    upload = tracker_upload_get_for(user=request.user, upload_id=upload_id)
    if upload is None:
        raise Http404
    if request.method == "POST":  # the decision is answered by visits (it imports visits too)
        moved = HttpResponseRedirect(
            reverse("visits:tracker-upload-decide", args=[upload.public_id])
        )
        moved.status_code = 307  # keeps the method and the posted decision
        return moved
    return render(
        request,
        "health/tracker_upload_report.html",
        {
            "upload": upload,
            "summary": upload.summary,
            "nav": "tracker",
            "page_title": "Check the tracker file",
            "good_rows": upload.summary.get("created", 0) + upload.summary.get("updated", 0),
        },
    )
