"""Sign-in, the home pages and the investigation page (the composition of every context).

Views are thin: they validate, call a selector or service, and render."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from provide.accounts import idle, lockout, oidc
from provide.accounts.http import AuthenticatedRequest
from provide.accounts.services import role_of
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.cases.selectors import case_for_investigation
from provide.intake.selectors import investigation_get_for
from provide.shared.access import get_for_user_or_404
from provide.web.homes import HOMES
from provide.web.investigation_page import investigation_visits, suspect_custody, triage_decisions


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


class SignInView(auth_views.LoginView):
    """The password sign-in, throttled by django-axes (provide.accounts.lockout): past the limit
    the lockout page replaces this one. Offers single sign-on when it is configured, and says
    why the user was signed out when a timeout did it (provide.accounts.idle)."""

    template_name = "web/sign_in.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["signed_out_because"] = idle.signed_out_message(
            self.request.session.pop(idle.SIGNED_OUT_KEY, None)
        )
        context["sso_enabled"] = oidc.sso_enabled()
        context["sso_provider_name"] = oidc.provider_name()
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        self.request.session.pop(oidc.IDP_MFA_SESSION_KEY, None)
        audit_record(
            actor=self.request.user,
            action=AuditAction.SIGN_IN,
            event="accounts.signed_in",
            ip_address=_client_ip(self.request),
        )
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        audit_record(
            actor=None,
            action=AuditAction.SIGN_IN_FAILED,
            event="accounts.sign_in_failed",
            actor_username=str(form.data.get("username", ""))[:150],
            flagged=True,
            reason=lockout.failure_reason(self.request),
            ip_address=_client_ip(self.request),
        )
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            audit_record(
                actor=request.user,
                action=AuditAction.SIGN_OUT,
                event="accounts.signed_out",
                ip_address=_client_ip(request),
            )
        response = super().post(request, *args, **kwargs)
        # Nothing of this user's stays on the device: kept pages, drafts, the service worker.
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


SERVICE_WORKER = Path(__file__).resolve().parent.parent / "static" / "provide" / "service-worker.js"


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (provide/static/provide/service-worker.js), served from the site's
    root so that it may look after today's route and the visit forms."""
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def session_state(request: HttpRequest) -> JsonResponse:
    """Whether this browser is signed in (for the service worker, after sending a form)."""
    return JsonResponse({"signed_in": bool(request.user.is_authenticated)})


def offline(request: HttpRequest) -> HttpResponse:
    """What the phone shows for a page it cannot reach with no signal (kept by the service
    worker; it holds nothing personal, so anyone may load it)."""
    return render(request, "web/offline.html", {"page_title": "No signal"})


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    role = role_of(request.user)
    if role is None:
        return render(request, "web/home_no_role.html", {"nav": "home", "page_title": "No role"})
    template, build = HOMES[role.slug]
    now = timezone.now()
    context = {"nav": "home", "page_title": role.name, "role": role, "now": now}
    context.update(build(request.user, now))
    return render(request, template, context)


@login_required
def investigation_detail(request: AuthenticatedRequest, investigation_id: str) -> HttpResponse:
    investigation = get_for_user_or_404(
        investigation_get_for, user=request.user, investigation_id=investigation_id
    )
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
