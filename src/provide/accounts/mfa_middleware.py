"""Enforcement of the second factor, after ``django_otp.middleware.OTPMiddleware``.

A signed-in user whose session has not passed a second factor is sent to
``/accounts/second-factor/`` when they have one, or to ``/accounts/second-factor/set-up/`` when
their role needs one (see :func:`provide.accounts.mfa.second_factor_required`) and they have
none. The Django admin needs a verified session whatever the role. Users for whom a second
factor is optional and who have none pass. ``PROVIDE_MFA_ENFORCE = False`` switches all of
this off (the test settings do; the second factor's own tests switch it back on).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from provide.accounts.mfa import (
    IDP_MFA_SESSION_KEY,
    has_second_factor,
    is_verified,
    second_factor_required,
)
from provide.accounts.models import User

# Pages a half-signed-in user still reaches: the second factor's own pages, the token-authenticated
# API (its own rules apply) and the load balancer's health probes. Sign-in, sign-out and static
# files are added from their settings.
EXEMPT_PREFIXES = ("/accounts/second-factor/", "/api/", "/healthz", "/readyz", "/livez")
ADMIN_PREFIX = "/admin/"


def is_exempt(path: str) -> bool:
    exact = {reverse("web:sign-in"), reverse("web:sign-out")}
    prefixes = (*EXEMPT_PREFIXES, settings.STATIC_URL or "/static/")
    return path in exact or path.startswith(prefixes)


def second_factor_redirect(request: HttpRequest) -> str | None:
    """Where this request must go first, or ``None`` when it may go on."""
    user = request.user
    if (
        not settings.PROVIDE_MFA_ENFORCE
        or not isinstance(user, User)
        or is_exempt(request.path_info)
    ):
        return None
    if is_verified(user) or request.session.get(IDP_MFA_SESSION_KEY):
        # Verified here, or by the identity provider's own second factor on single sign-on
        # (only when PROVIDE_OIDC_TRUST_IDP_MFA is on and the token's ``amr`` claim shows it).
        return None
    if has_second_factor(user):
        target = reverse("accounts:second-factor")
    elif second_factor_required(user) or request.path_info.startswith(ADMIN_PREFIX):
        target = reverse("accounts:second-factor-set-up")
    else:
        return None
    return f"{target}?{urlencode({'next': request.get_full_path()})}"


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        target = second_factor_redirect(request)
        if target is None:
            return self.get_response(request)
        if request.headers.get("HX-Request"):
            # htmx would swap the second-factor page into part of this one: ask for a full load.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
