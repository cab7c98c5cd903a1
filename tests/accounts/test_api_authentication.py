"""The API refuses a password-only session where the pages would ask for the second factor."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from provide.accounts.api_authentication import session_needs_second_factor
from provide.accounts.mfa import IDP_MFA_SESSION_KEY, totp_enrol_unattended
from provide.accounts.models import User
from provide.accounts.roles import ROLES_BY_NAME
from provide.accounts.services import user_create

pytestmark = pytest.mark.django_db


def _user(role: str, username: str) -> User:
    return user_create(
        username=username, role=ROLES_BY_NAME[role], password="a long pass phrase 93"
    )


@override_settings(PROVIDE_MFA_ENFORCE=True)
def test_a_password_only_session_of_a_health_role_is_refused_by_the_api() -> None:
    idva = _user("Health IDVA", "idva-api")
    client = Client()
    client.force_login(idva)
    response = client.get("/api/people/")
    assert response.status_code in (401, 403)
    assert "second factor" in response.json()["detail"]


@override_settings(PROVIDE_MFA_ENFORCE=True)
def test_a_session_that_passed_its_second_factor_reaches_the_api() -> None:
    idva = _user("Health IDVA", "idva-api-ok")
    totp_enrol_unattended(actor=idva, user=idva, name="phone")
    device = TOTPDevice.objects.get(user=idva)
    client = Client()
    assert client.login(username="idva-api-ok", password="a long pass phrase 93")
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    response = client.post("/accounts/second-factor/", {"code": code})
    assert response.status_code == 302
    assert client.get("/api/people/").status_code == 200


@override_settings(PROVIDE_MFA_ENFORCE=True)
def test_a_role_without_a_required_second_factor_and_none_enrolled_is_not_held_back() -> None:
    officer = _user("Response officer", "officer-api")
    assert not session_needs_second_factor(officer)


@override_settings(PROVIDE_MFA_ENFORCE=False)
def test_nothing_is_held_back_when_enforcement_is_off() -> None:
    idva = _user("Health IDVA", "idva-api-off")
    assert not session_needs_second_factor(idva)


@override_settings(PROVIDE_MFA_ENFORCE=True)
def test_a_single_sign_on_session_whose_provider_did_the_second_factor_reaches_the_api_and_pages() -> (
    None
):
    idva = _user("Health IDVA", "idva-api-sso")
    client = Client()
    client.force_login(idva)
    session = client.session
    session[IDP_MFA_SESSION_KEY] = True
    session.save()
    assert client.get("/api/people/").status_code == 200
    assert client.get("/").status_code == 200
