"""Pages. Views are thin: they validate, call a selector or service, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from provide.accounts.policies import can_view_health_record
from provide.accounts.services import role_of
from provide.audit.models import AuditAction
from provide.audit.selectors import audit_event_list_for
from provide.audit.services import audit_record
from provide.cases.selectors import case_for_investigation
from provide.health.selectors import support_record_list_for
from provide.intake.selectors import investigation_get_for
from provide.people.selectors import BreakGlassRequired, RecordNotFound, person_get_for
from provide.visits.selectors import visit_list_for
from provide.web.forms import AuditSearchForm, BreakGlassForm
from provide.web.homes import HOMES
from provide.web.investigation_page import investigation_visits, suspect_custody, triage_decisions


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


class SignInView(auth_views.LoginView):
    template_name = "web/sign_in.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action=AuditAction.SIGN_IN, event="accounts.signed_in",
                     ip_address=_client_ip(self.request))
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        audit_record(actor=None, action=AuditAction.SIGN_IN_FAILED, event="accounts.sign_in_failed",
                     actor_username=str(form.data.get("username", ""))[:150], flagged=True,
                     ip_address=_client_ip(self.request))
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            audit_record(actor=request.user, action=AuditAction.SIGN_OUT, event="accounts.signed_out")
        return super().post(request, *args, **kwargs)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role is None:
        return render(request, "web/home_no_role.html", {"nav": "home", "page_title": "No role"})
    template, build = HOMES[role.slug]
    context = {"nav": "home", "page_title": role.name, "role": role, "now": timezone.now()}
    context.update(build(request.user, context["now"]))
    return render(request, template, context)


@login_required
def person_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    form = BreakGlassForm(request.POST or None)
    reason = form.cleaned_data["reason"] if request.method == "POST" and form.is_valid() else ""
    try:
        person = person_get_for(user=request.user, person_id=person_id, reason=reason)
    except RecordNotFound:
        raise Http404 from None
    except BreakGlassRequired as needed:
        return render(request, "web/break_glass.html",
                      {"form": form, "person_id": person_id, "page_title": "Record outside your area",
                       "label": needed.person.pseudonym}, status=403)
    context = {
        "page_title": str(person),
        "person": person,
        "investigations": person.investigations_as_victim.select_related("bcu").order_by("-recorded_at")[:20],
        "visits": visit_list_for(user=request.user, person=person)[:20],
        "show_health": can_view_health_record(request.user),
    }
    if context["show_health"]:
        context["support_records"] = support_record_list_for(user=request.user, person=person)[:20]
    return render(request, "web/person_detail.html", context)


@login_required
def investigation_detail(request: HttpRequest, investigation_id: str) -> HttpResponse:
    try:
        investigation = investigation_get_for(user=request.user, investigation_id=investigation_id)
    except RecordNotFound:
        raise Http404 from None
    context = {
        "page_title": f"Investigation {investigation.investigation_ref}",
        "investigation": investigation,
        "assessments": investigation.risk_assessments.order_by("-assessed_at"),
        "custody": suspect_custody(investigation, timezone.now()),
        "decisions": triage_decisions(user=request.user, investigation=investigation),
        "visits": investigation_visits(user=request.user, investigation=investigation),
        "case_summary": case_for_investigation(investigation),
    }
    return render(request, "web/investigation_detail.html", context)


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
    return render(request, "web/audit_log.html",
                  {"form": form, "page": page, "nav": "audit", "page_title": "Audit log"})
