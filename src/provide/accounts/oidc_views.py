"""The single sign-on pages: ``/oidc/authenticate/`` and ``/oidc/callback/``.

mozilla-django-oidc's views (mounted at ``/oidc/`` by ``config/urls.py`` and named in
``OIDC_AUTHENTICATE_CLASS`` / ``OIDC_CALLBACK_CLASS``), made to answer 404 while single sign-on
is off, to read the provider's address from its discovery document, to show a GOV.UK page
saying why when someone is refused, and, on success, to audit the sign-in and set the
session's ``provide_idp_mfa`` flag (see :mod:`provide.accounts.oidc`).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from mozilla_django_oidc.views import (  # type: ignore[import-untyped, unused-ignore]
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from provide.accounts.oidc import (
    IDP_MFA_SESSION_KEY,
    PROVIDER_ERROR,
    ProviderUnavailable,
    SingleSignOnRefused,
    provider_configuration,
    provider_name,
    record_refusal,
    refusal_for,
    sso_enabled,
)
from provide.audit.models import AuditAction
from provide.audit.services import audit_record

log = logging.getLogger(__name__)

REFUSED_TEMPLATE = "accounts/sso_refused.html"


def refused_page(
    request: HttpRequest, refusal: SingleSignOnRefused, status: int = 403
) -> HttpResponse:
    return render(
        request,
        REFUSED_TEMPLATE,
        {
            "page_title": "You cannot sign in with " + provider_name(),
            "refusal": refusal,
            "provider_name": provider_name(),
        },
        status=status,
    )


class SignInRequestView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """``/oidc/authenticate/``: off (404) unless single sign-on is configured."""

    def __init__(self, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_configuration()["authorization_endpoint"]
        except ProviderUnavailable as error:
            log.warning("single sign-on is unavailable: %s", error)
            return refused_page(request, refusal_for(PROVIDER_ERROR), status=503)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        response: HttpResponse = super().get(request)
        return response


class SignInCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """``/oidc/callback/``: signs the user in, or shows why not."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        response: HttpResponse = super().get(request)
        return response

    def login_failure(self) -> HttpResponse:
        refusal = getattr(self.request, "provide_sso_refusal", None)
        if refusal is None:
            # The provider said no (the person cancelled, or it refused them), or the session
            # that started the sign-in is gone.
            refusal = refusal_for(PROVIDER_ERROR)
            record_refusal(self.request, refusal)
        return refused_page(self.request, refusal)

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        idp_mfa = bool(getattr(self.request, "provide_idp_mfa", False))
        self.request.session[IDP_MFA_SESSION_KEY] = idp_mfa
        audit_record(
            actor=self.user,
            action=AuditAction.SIGN_IN,
            event="accounts.signed_in_sso",
            changes={"provider": provider_name(), "idp_mfa": idp_mfa},
            ip_address=self.request.META.get("REMOTE_ADDR"),
        )
        return response
