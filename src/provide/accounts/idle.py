"""Sign out a user who has not used Provide for a while, and end every session after a shift.

:class:`IdleTimeoutMiddleware` (after Django's ``AuthenticationMiddleware``) keeps two times in
the session: when it was first seen signed in, and when it was last used. A request that comes
more than ``PROVIDE_IDLE_MINUTES`` (default 30) after the last one, or more than
``PROVIDE_SESSION_SECONDS`` (default 8 hours) after sign-in, signs the user out, records it in
the audit log (``accounts.signed_out_idle`` or ``accounts.signed_out_session_ended``) and
sends a page request to the sign-in page, which says why. The last-used time is written at
most once a minute, so a busy page does not write the session on every request.

Both clocks start at sign-in (:func:`start_session_clock`, connected to Django's
``user_logged_in`` signal in ``AccountsConfig.ready``).

A page that refreshes itself on a timer (such as the triage board's queue) should mark those
requests with ``X-Provide-Background: true``: they are then timed out like any other but do not
count as use, so a board left open on an unattended screen still signs out.

Requests that carry their own credentials (the API's ``Authorization: Token ...``) are left
alone: they have no session to time out.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from provide.audit.models import AuditAction
from provide.audit.services import audit_record

LAST_SEEN_KEY = "provide_last_seen"
STARTED_KEY = "provide_session_started"
SIGNED_OUT_KEY = "provide_signed_out"
"""Set in the new, anonymous session after a timeout: ``"idle"`` or ``"session_ended"``."""
WRITE_EVERY_SECONDS = 60
API_PREFIX = "/api/"
BACKGROUND_HEADER = "X-Provide-Background"

IDLE = "idle"
SESSION_ENDED = "session_ended"
EVENTS = {IDLE: "accounts.signed_out_idle", SESSION_ENDED: "accounts.signed_out_session_ended"}


def idle_limit_seconds() -> int:
    return int(settings.PROVIDE_IDLE_MINUTES) * 60


def timeout_reason(*, started: object, last_seen: object, now: float) -> str | None:
    """Why a signed-in session has ended at ``now``, or None; all three are seconds since the
    epoch (``started`` and ``last_seen`` as stored in the session, None when not yet stored)."""
    if isinstance(started, int | float) and now - started > int(settings.SESSION_COOKIE_AGE):
        return SESSION_ENDED
    if isinstance(last_seen, int | float) and now - last_seen > idle_limit_seconds():
        return IDLE
    return None


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def sign_out_for_timeout(request: HttpRequest, reason: str) -> None:
    """Record the timeout against the user, sign them out, and leave the reason for the sign-in page."""
    minutes = int(settings.PROVIDE_IDLE_MINUTES)
    audit_record(
        actor=request.user,
        action=AuditAction.SIGN_OUT,
        event=EVENTS[reason],
        changes={"idle_minutes": minutes}
        if reason == IDLE
        else {"session_seconds": int(settings.SESSION_COOKIE_AGE)},
        ip_address=_client_ip(request),
    )
    logout(request)
    request.session[SIGNED_OUT_KEY] = reason


def start_session_clock(
    sender: object, request: HttpRequest | None, user: object, **_: object
) -> None:
    """On sign-in (Django's ``user_logged_in``), start both clocks afresh."""
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[STARTED_KEY] = now
        request.session[LAST_SEEN_KEY] = now


def signed_out_message(reason: object) -> str:
    """What the sign-in page says after a timeout signed the user out (empty otherwise)."""
    service = settings.PROVIDE_SERVICE_NAME
    if reason == IDLE:
        return (
            f"You were signed out because you had not used {service} for "
            f"{settings.PROVIDE_IDLE_MINUTES} minutes. Sign in again to carry on."
        )
    if reason == SESSION_ENDED:
        seconds = int(settings.SESSION_COOKIE_AGE)
        length = f"{seconds // 3600} hours" if seconds >= 2 * 3600 else f"{seconds // 60} minutes"
        return f"You were signed out because you had been signed in for {length}. Sign in again to carry on."
    return ""


def is_background(request: HttpRequest) -> bool:
    """A request the page made by itself (a board refreshing on a timer), not the person:
    it is timed out like any other but does not count as use. Such pages send
    ``X-Provide-Background: true`` (htmx: ``hx-headers='{"X-Provide-Background": "true"}'``)."""
    return request.headers.get(BACKGROUND_HEADER, "").lower() == "true"


def carries_own_credentials(request: HttpRequest) -> bool:
    return bool(request.META.get("HTTP_AUTHORIZATION"))


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if carries_own_credentials(request) or not request.user.is_authenticated:
            return self.get_response(request)
        session = request.session
        now = timezone.now().timestamp()
        reason = timeout_reason(
            started=session.get(STARTED_KEY), last_seen=session.get(LAST_SEEN_KEY), now=now
        )
        if reason is not None:
            sign_out_for_timeout(request, reason)
            return self._after_sign_out(request)
        if STARTED_KEY not in session:
            session[STARTED_KEY] = now
        last_seen = session.get(LAST_SEEN_KEY)
        if is_background(request) and isinstance(last_seen, int | float):
            return self.get_response(request)
        if not isinstance(last_seen, int | float) or now - last_seen >= WRITE_EVERY_SECONDS:
            session[LAST_SEEN_KEY] = now
        return self.get_response(request)

    def _after_sign_out(self, request: HttpRequest) -> HttpResponse:
        """A page goes to the sign-in page (and back after); htmx is told to load it whole;
        anything else (a form post, the API) meets its view's own refusal of a signed-out user."""
        sign_in = reverse("web:sign-in")
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = sign_in
            return response
        if request.method == "GET" and not request.path_info.startswith(API_PREFIX):
            return HttpResponseRedirect(f"{sign_in}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
