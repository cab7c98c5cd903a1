"""The IDVA manager confirms (or discards) a checked tracker upload.

The upload and its report are health pages (``health:tracker-upload-report``); confirming
imports visits too, so it is answered here, where :mod:`provide.visits.tracker_import` lives.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from provide.accounts.http import AuthenticatedRequest
from provide.core.tabular import TabularError
from provide.health.policies import can_import_tracker
from provide.health.selectors import tracker_upload_get_for
from provide.health.tracker import TrackerNotAllowed, tracker_upload_discard
from provide.visits.tracker_import import tracker_upload_confirm


@login_required
@require_POST
def tracker_upload_decide(request: AuthenticatedRequest, upload_id: str) -> HttpResponse:
    if not can_import_tracker(request.user):
        raise PermissionDenied
    upload = tracker_upload_get_for(user=request.user, upload_id=upload_id)
    if upload is None:
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "discard":
            tracker_upload_discard(user=request.user, upload=upload)
            messages.success(request, "The upload was discarded: nothing was imported")
            return redirect("health:tracker")
        summary = tracker_upload_confirm(
            user=request.user,
            upload=upload,
            partial=action == "partial",
            relink=request.POST.getlist("relink"),
        )
    except TrackerNotAllowed as error:
        messages.error(request, str(error))
        return redirect("health:tracker")
    except TabularError as error:
        messages.error(request, "; ".join(error.lines()))
        return redirect("health:tracker-upload-report", upload_id=upload.public_id)
    if summary.file_rejected:
        messages.error(
            request, f"Nothing was imported: {summary.rejected} row(s) now have problems"
        )
        return redirect("health:tracker-upload-report", upload_id=upload.public_id)
    messages.success(request, f"Tracker imported: {summary.line()}")
    return redirect("health:tracker")
