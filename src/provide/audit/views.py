"""The audit log page: administrators search the append-only log by user, person and date."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from provide.audit.forms import AuditSearchForm
from provide.audit.selectors import audit_event_list_for


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("audit.view_auditevent"):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    events = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        events = audit_event_list_for(
            user=request.user, username=data["username"], person=data["person"],
            date_from=data["date_from"], date_to=data["date_to"],
        )
    elif not form.is_bound:
        events = audit_event_list_for(user=request.user)
    page = Paginator(events, 50).get_page(request.GET.get("page")) if events is not None else None
    if events is None:
        messages.error(request, "Check the search fields")
    return render(request, "audit/audit_log.html",
                  {"form": form, "page": page, "nav": "audit", "page_title": "Audit log"})
