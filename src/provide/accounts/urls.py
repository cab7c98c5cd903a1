"""Accounts pages: the second factor, user management and single sign-on."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn.views import (  # type: ignore[import-untyped, unused-ignore]
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
)

from provide.accounts import mfa_views, users_views

app_name = "accounts"

urlpatterns: list[URLPattern | URLResolver] = []

urlpatterns += [  # the second factor (provide.accounts.mfa_views)
    path("second-factor/", mfa_views.second_factor, name="second-factor"),
    path("second-factor/set-up/", mfa_views.second_factor_set_up, name="second-factor-set-up"),
    path(
        "second-factor/recovery-codes/",
        mfa_views.recovery_codes,
        name="second-factor-recovery-codes",
    ),
    path(
        "second-factor/recovery-codes/new/",
        mfa_views.recovery_codes_new,
        name="second-factor-recovery-codes-new",
    ),
    path("second-factor/remove/", mfa_views.second_factor_delete, name="second-factor-remove"),
    path(
        "second-factor/passkeys/register/begin/",
        BeginCredentialRegistrationView.as_view(),
        name="passkey-register-begin",
    ),
    path(
        "second-factor/passkeys/register/complete/",
        mfa_views.PasskeyRegisterCompleteView.as_view(),
        name="passkey-register-complete",
    ),
    path(
        "second-factor/passkeys/verify/begin/",
        BeginCredentialAuthenticationView.as_view(),
        name="passkey-verify-begin",
    ),
    path(
        "second-factor/passkeys/verify/complete/",
        mfa_views.PasskeyVerifyCompleteView.as_view(),
        name="passkey-verify-complete",
    ),
    path(
        "second-factor/passkeys/jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="passkey-jsi18n",
    ),
]

urlpatterns += [  # user management and health-role requests (provide.accounts.users_views)
    path("users/", users_views.user_list, name="user-list"),
    path("users/new/", users_views.user_create, name="user-create"),
    path("users/deactivate/", users_views.users_deactivate, name="users-deactivate"),
    path("users/<uuid:user_id>/", users_views.user_detail, name="user-detail"),
    path("users/<uuid:user_id>/active/", users_views.user_active, name="user-active"),
    path(
        "users/<uuid:user_id>/second-factor-reset/",
        users_views.user_second_factor_reset,
        name="user-second-factor-reset",
    ),
    path("users/<uuid:user_id>/unlock/", users_views.user_unlock, name="user-unlock"),
    path(
        "users/<uuid:user_id>/health-role/",
        users_views.user_health_role_request,
        name="user-health-role-request",
    ),
    path("health-role-requests/", users_views.grant_list, name="grant-list"),
    path("health-role-requests/<uuid:request_id>/", users_views.grant_detail, name="grant-detail"),
]
