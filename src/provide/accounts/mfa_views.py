"""The second-factor pages: verify, set up an authenticator app, recovery codes, the account page,
and the passkey (WebAuthn) endpoints that django-otp-webauthn's scripts call.

The passkey endpoints are the package's views, subclassed only to audit what they do and to
hand out the first recovery codes; they are mounted under ``/accounts/second-factor/passkeys/``.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login  # type: ignore[import-untyped, unused-ignore]
from django_otp_webauthn.exceptions import OTPWebAuthnApiError  # type: ignore[import-untyped, unused-ignore]
from django_otp_webauthn.models import WebAuthnCredential  # type: ignore[import-untyped, unused-ignore]
from django_otp_webauthn.views import (  # type: ignore[import-untyped, unused-ignore]
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from provide.accounts.http import AuthenticatedRequest
from provide.accounts.mfa import (
    METHOD_RECOVERY_CODE,
    SecondFactorError,
    Verification,
    has_authenticator_app,
    has_passkey,
    has_second_factor,
    is_verified,
    passkey_enrolment_record,
    passkey_failure_record,
    passkey_verification_record,
    recovery_codes_left,
    recovery_codes_regenerate,
    second_factor_devices,
    second_factor_remove,
    second_factor_required,
    second_factor_verify,
    totp_enrol,
    totp_key_base32,
    totp_key_new,
    totp_qr_svg,
)
from provide.accounts.mfa_forms import AuthenticatorConfirmForm, SecondFactorCodeForm

PENDING_KEY_SESSION = "provide_second_factor_pending_key"
CODES_SESSION = "provide_second_factor_codes"
NEXT_SESSION = "provide_second_factor_next"

ERROR_WRONG_CODE = "The code is not right: check it and try again"
ERROR_THROTTLED = "Too many wrong codes: wait a minute, then try again"
ERROR_WRONG_SET_UP_CODE = (
    "The code does not match: check the key in your app and enter the newest code"
)


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """``candidate`` if it is a page on this site, else the home page."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _may_change(request: AuthenticatedRequest) -> bool:
    """Changes need a verified session, unless the user has no second factor yet."""
    return is_verified(request.user) or not has_second_factor(request.user)


def _to_verify(request: HttpRequest) -> HttpResponseRedirect:
    return redirect(reverse("accounts:second-factor"))


def passkey_config(request: HttpRequest) -> dict[str, Any]:
    """What django-otp-webauthn's scripts read from the ``otp_webauthn_config`` element."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": get_token(request),
        "beginAuthenticationUrl": reverse("accounts:passkey-verify-begin"),
        "completeAuthenticationUrl": reverse("accounts:passkey-verify-complete"),
        "beginRegistrationUrl": reverse("accounts:passkey-register-begin"),
        "completeRegistrationUrl": reverse("accounts:passkey-register-complete"),
    }


def _mark_verified(request: HttpRequest, device: Any) -> None:
    """Record the device that verified this session, under a new session key (against fixation)."""
    if not is_verified(request.user):
        otp_login(request, device)
        request.session.cycle_key()


def _show_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponseRedirect:
    request.session[CODES_SESSION] = codes
    request.session[NEXT_SESSION] = next_url
    return redirect(reverse("accounts:second-factor-recovery-codes"))


@never_cache
@login_required
def second_factor(request: AuthenticatedRequest) -> HttpResponse:
    """Verify (a session not yet verified, of a user who has a second factor), else the account page."""
    user = request.user
    if is_verified(user) or not has_second_factor(user):
        return _account_page(request)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = second_factor_verify(
            user=user, code=form.cleaned_data["code"], ip_address=_client_ip(request)
        )
        if result.device is not None:
            return _verified(request, result)
        form.add_error("code", ERROR_THROTTLED if result.throttled else ERROR_WRONG_CODE)
    return render(
        request,
        "accounts/second_factor_verify.html",
        {
            "page_title": "Check it is you",
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "has_app": has_authenticator_app(user),
            "has_passkey": has_passkey(user),
            "passkey": passkey_config(request),
        },
    )


def _verified(request: AuthenticatedRequest, result: Verification) -> HttpResponse:
    _mark_verified(request, result.device)
    if result.method == METHOD_RECOVERY_CODE:
        left = result.recovery_codes_left or 0
        messages.warning(
            request,
            f"You used a recovery code. You have {left} left: "
            "get new ones on your account page if you are running out.",
        )
    return redirect(safe_next(request, request.POST.get("next")))


def _account_page(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/second_factor_manage.html",
        {
            "page_title": "Your account",
            "devices": second_factor_devices(user),
            "codes_left": recovery_codes_left(user),
            "required": second_factor_required(user),
            "passkey": passkey_config(request),
        },
    )


@never_cache
@login_required
def second_factor_set_up(request: AuthenticatedRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code or type the key, then confirm a code."""
    if not _may_change(request):
        return _to_verify(request)
    key = request.session.setdefault(PENDING_KEY_SESSION, totp_key_new())
    next_url = request.POST.get("next") or request.GET.get("next", "")
    form = AuthenticatorConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolment = totp_enrol(
            user=request.user,
            key_hex=key,
            code=form.cleaned_data["code"],
            ip_address=_client_ip(request),
        )
        if enrolment is not None:
            del request.session[PENDING_KEY_SESSION]
            _mark_verified(request, enrolment.device)
            messages.success(request, "Authenticator app added")
            if enrolment.recovery_codes:
                return _show_codes(request, enrolment.recovery_codes, next_url)
            return redirect(
                safe_next(request, next_url) if next_url else reverse("accounts:second-factor")
            )
        form.add_error("code", ERROR_WRONG_SET_UP_CODE)
    return render(
        request,
        "accounts/second_factor_set_up.html",
        {
            "page_title": "Set up an authenticator app",
            "form": form,
            "next": next_url,
            "key_groups": _groups(totp_key_base32(key)),
            "qr_svg": mark_safe(totp_qr_svg(user=request.user, key_hex=key)),
            "required": second_factor_required(request.user),
            "first": not has_second_factor(request.user),
        },
    )


def _groups(key: str) -> list[str]:
    return [key[start : start + 4] for start in range(0, len(key), 4)]


@never_cache
@login_required
def recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    """The recovery codes just made, shown once (they leave the session as the page is built)."""
    codes = request.session.pop(CODES_SESSION, None)
    next_url = request.session.pop(NEXT_SESSION, "")
    if not codes:
        return redirect(reverse("accounts:second-factor"))
    return render(
        request,
        "accounts/second_factor_recovery_codes.html",
        {
            "page_title": "Your recovery codes",
            "codes": codes,
            "continue_url": safe_next(request, next_url)
            if next_url
            else reverse("accounts:second-factor"),
        },
    )


@require_POST
@login_required
def recovery_codes_new(request: AuthenticatedRequest) -> HttpResponse:
    if not _may_change(request):
        return _to_verify(request)
    try:
        codes = recovery_codes_regenerate(user=request.user, ip_address=_client_ip(request))
    except SecondFactorError as error:
        messages.error(request, str(error))
        return redirect(reverse("accounts:second-factor"))
    return _show_codes(request, codes, "")


@require_POST
@login_required
def second_factor_delete(request: AuthenticatedRequest) -> HttpResponse:
    if not _may_change(request):
        return _to_verify(request)
    try:
        name = second_factor_remove(
            user=request.user,
            reference=request.POST.get("device", ""),
            ip_address=_client_ip(request),
        )
    except SecondFactorError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{name} removed")
    return redirect(reverse("accounts:second-factor"))


class PasskeyRegisterCompleteView(CompleteCredentialRegistrationView):  # type: ignore[misc]
    """The package's registration, audited; the user's first recovery codes go to the session."""

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        with transaction.atomic():
            response: HttpResponse = super().post(*args, **kwargs)
            device = WebAuthnCredential.objects.get(pk=json.loads(response.content)["id"])
            codes = passkey_enrolment_record(
                user=self.request.user, device=device, ip_address=_client_ip(self.request)
            )
        messages.success(self.request, "Passkey added")
        if codes:
            self.request.session[CODES_SESSION] = codes
        return response


class PasskeyVerifyCompleteView(CompleteCredentialAuthenticationView):  # type: ignore[misc]
    """The package's passkey check of a signed-in user, audited, under a new session key."""

    def complete_auth(self, device: Any) -> None:
        super().complete_auth(device)
        self.request.session.cycle_key()
        passkey_verification_record(
            user=self.request.user, device=device, ip_address=_client_ip(self.request)
        )

    def handle_exception(self, exc: Exception) -> HttpResponse:
        if isinstance(exc, OTPWebAuthnApiError) and self.request.user.is_authenticated:
            passkey_failure_record(
                user=self.request.user, reason=str(exc.code), ip_address=_client_ip(self.request)
            )
        response: HttpResponse = super().handle_exception(exc)
        return response
