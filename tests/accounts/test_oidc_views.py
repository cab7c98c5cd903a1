"""The single sign-on pages: off unless configured, clear pages when it fails, and the
callback's refusals (provide.accounts.oidc_views; the provider is tests/accounts/oidc_idp)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from provide.accounts.oidc import IDP_MFA_SESSION_KEY
from provide.audit.models import AuditAction
from tests.accounts.oidc_idp.flow import configure, provider_sign_in, sso_sign_in
from tests.accounts.oidc_idp.process import IdentityProvider
from tests.audit_assertions import assert_audited


@pytest.mark.django_db
def test_the_provider_saying_no_is_refused_and_audited(sso: IdentityProvider) -> None:
    client = Client()
    start = client.get("/oidc/authenticate/")
    state = re.search(r"state=([^&]+)", start["Location"]).group(1)  # type: ignore[union-attr]
    response = client.get("/oidc/callback/", {"error": "access_denied", "state": state})
    assert response.status_code == 403
    assert "Signing in with Test Directory did not work" in response.content.decode()
    assert_audited(
        "accounts.sso_refused",
        action=AuditAction.SIGN_IN_FAILED,
        changes={"code": "provider_error"},
    )


@pytest.mark.django_db
def test_the_sign_in_page_offers_single_sign_on_only_when_configured(settings: Any) -> None:
    configure(settings, None)
    page = Client().get("/sign-in/").content.decode()
    assert "Sign in with" not in page
    assert Client().get("/oidc/authenticate/").status_code == 404
    assert Client().get("/oidc/callback/").status_code == 404
    settings.PROVIDE_OIDC_ISSUER = "https://login.example.org"
    settings.OIDC_RP_CLIENT_ID = "provide"
    settings.OIDC_RP_CLIENT_SECRET = "secret-from-the-directory"
    settings.PROVIDE_OIDC_PROVIDER_NAME = "Lancashire Constabulary account"
    page = Client().get("/sign-in/?next=/triage/").content.decode()
    assert (
        '<a href="/oidc/authenticate/?next=/triage/" role="button" draggable="false" class="govuk-button" '
        'data-module="govuk-button">Sign in with Lancashire Constabulary account</a>'
    ) in page


@pytest.mark.django_db
def test_an_unreachable_provider_gets_a_clear_page(settings: Any) -> None:
    configure(
        settings,
        IdentityProvider(
            base_url="http://127.0.0.1:9", claims_file=Path("/dev/null"), log_file=Path("/dev/null")
        ),
    )
    cache.clear()
    response = Client().get("/oidc/authenticate/")
    assert response.status_code == 503
    assert "Signing in with Test Directory did not work" in response.content.decode()


@pytest.mark.django_db
def test_a_callback_without_the_session_that_started_it_is_refused(sso: IdentityProvider) -> None:
    """The code comes back to a browser that did not start this sign-in (another device, or
    the session is gone): refused, and nobody is signed in."""
    sso.set_claims("sam.sergeant", roles=["provide-sergeants"], bcu="West")
    started_here = Client()
    start = started_here.get("/oidc/authenticate/")
    back = provider_sign_in(start["Location"], "sam.sergeant").removeprefix("http://testserver")
    elsewhere = Client()
    response = elsewhere.get(back)
    assert response.status_code == 403
    assert "_auth_user_id" not in elsewhere.session
    assert_audited(
        "accounts.sso_refused",
        action=AuditAction.SIGN_IN_FAILED,
        changes={"code": "provider_error"},
    )


@pytest.mark.django_db
def test_a_successful_callback_signs_in_audits_and_sets_the_flag(sso: IdentityProvider) -> None:
    sso.set_claims("sam.sergeant", roles=["provide-sergeants"], bcu="West")
    client = Client()
    response = sso_sign_in(client, "sam.sergeant", next_page="/evaluation/")
    assert response.status_code == 302 and response["Location"] == "/evaluation/"
    assert IDP_MFA_SESSION_KEY in client.session
