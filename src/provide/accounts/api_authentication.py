"""API sign-in by session counts only once the session has passed its second factor.

Token sign-in is separate (hashed, expiring tokens issued by ``provide api-token``). A browser
session signed in with a password alone must not reach the API where the pages would first ask
for the second factor.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from provide.accounts.mfa import (
    IDP_MFA_SESSION_KEY,
    has_second_factor,
    is_verified,
    second_factor_required,
)
from provide.accounts.models import User


def session_needs_second_factor(user: User) -> bool:
    """Whether this signed-in session must pass its second factor before it is trusted."""
    if not settings.PROVIDE_MFA_ENFORCE or is_verified(user):
        return False
    return second_factor_required(user) or has_second_factor(user)


class SessionWithSecondFactorAuthentication(SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if request._request.session.get(IDP_MFA_SESSION_KEY):
            return result  # the identity provider did the second factor (single sign-on)
        if isinstance(user, User) and session_needs_second_factor(user):
            raise AuthenticationFailed(
                "This session has not passed its second factor: complete it in the browser "
                "(Check it is you) or use an API token."
            )
        return result


class SessionWithSecondFactorScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call, unused-ignore]
    """Describes the session sign-in in the OpenAPI schema (the browser's session cookie)."""

    target_class = "provide.accounts.api_authentication.SessionWithSecondFactorAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
