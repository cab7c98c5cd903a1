"""The audit log page: administrators search the append-only log by user, person and date.

Above the results, the state of the hash chain (the same verifier as ``provide audit-verify``);
in them, a list, page or search read as one event shows its count, with the records it named
behind a "show" link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from provide.audit.chain import chain_verify_for_page
from provide.audit.forms import AuditSearchForm
from provide.audit.models import AuditEvent
from provide.audit.selectors import audit_event_list_for


@dataclass(frozen=True)
class EventRow:
    """One event as the page shows it; ``records`` is None unless it read a list of records."""

    event: AuditEvent
    records: list[str] | None = None
    records_label: str = ""
    people: tuple[str, ...] = ()
    query: str = ""


def records_label(object_type: str, count: int) -> str:
    """ "50 people", "1 investigation", "3 records": the count in the words of the records' kind."""
    model = None
    if object_type.count(".") == 1:
        try:
            model = apps.get_model(object_type)
        except LookupError:
            model = None
    if model is None:
        return f"{count} record{'' if count == 1 else 's'}"
    if model._meta.label_lower == "people.person":  # Django's plural would say "persons"
        return f"{count} {'person' if count == 1 else 'people'}"
    name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
    return f"{count} {name}"


def event_row(event: AuditEvent) -> EventRow:
    changes: dict[str, Any] = event.changes if isinstance(event.changes, dict) else {}
    records = changes.get("records")
    if not isinstance(records, list):
        return EventRow(event)
    query = changes.get("query") or {}
    return EventRow(
        event,
        [str(record) for record in records],
        records_label(event.object_type, len(records)),
        tuple(str(person) for person in changes.get("people") or ()),
        ", ".join(f"{key}: {value}" for key, value in query.items())
        if isinstance(query, dict)
        else "",
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("audit.view_auditevent"):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    events = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        events = audit_event_list_for(
            user=request.user,
            username=data["username"],
            person=data["person"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    elif not form.is_bound:
        events = audit_event_list_for(user=request.user)
    page = Paginator(events, 50).get_page(request.GET.get("page")) if events is not None else None
    if events is None:
        messages.error(request, "Check the search fields")
    return render(
        request,
        "audit/audit_log.html",
        {
            "form": form,
            "page": page,
            "rows": [event_row(event) for event in page] if page else [],
            "chain": chain_verify_for_page(now=timezone.now()),
            "nav": "audit",
            "page_title": "Audit log",
        },
    )
