"""The second factor in a real browser: an IDVA sets up an authenticator app and signs in with it;
an IDVA manager registers a passkey on Chromium's virtual authenticator and signs in with it.
Every page passes axe-core at desktop and phone width."""

from __future__ import annotations

import re
from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import totp

from provide.accounts.mfa import RECOVERY_CODE_COUNT
from tests.audit_assertions import assert_audited
from tests.browser.conftest import assert_accessible
from tests.browser.test_role_homes import sign_in_by_keyboard
from tests.web.test_pages import HOME_HEADINGS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def enforce(settings: Any, live_server: Any) -> None:
    settings.PROVIDE_MFA_ENFORCE = True
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


def heading(page: Any) -> str:
    return str(page.get_by_role("heading", level=1).inner_text())


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")


def recovery_codes_on(page: Any) -> list[str]:
    page.wait_for_url("**/accounts/second-factor/recovery-codes/")
    assert heading(page) == "Your recovery codes"
    codes = [text.strip() for text in page.locator("#recovery-codes li").all_inner_texts()]
    assert len(codes) == RECOVERY_CODE_COUNT and all(
        re.fullmatch(r"[a-z2-7]{8}", code) for code in codes
    )
    assert_accessible(page, "recovery codes")
    return codes


def test_an_idva_sets_up_an_authenticator_app_and_signs_in_with_it(
    page: Any, live_server: Any, make_user: Any
) -> None:
    idva = make_user("health_idva")
    sign_in_by_keyboard(page, live_server.url, "health.idva")
    page.wait_for_url("**/accounts/second-factor/set-up/?next=%2F")
    assert heading(page) == "Set up an authenticator app"
    assert page.get_by_role("img", name="QR code to scan with your authenticator app").is_visible()
    assert_accessible(page, "set up an authenticator app")

    page.get_by_role("button", name="Confirm the code").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "set up with an error")

    key = b32decode(page.locator("#totp-key").inner_text().replace(" ", ""))
    page.get_by_label("Code from your authenticator app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Confirm the code").click()
    recovery_codes_on(page)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    assert heading(page) == HOME_HEADINGS["health_idva"]
    sign_out(page)

    sign_in_by_keyboard(page, live_server.url, "health.idva")
    page.wait_for_url("**/accounts/second-factor/?next=%2F")
    assert heading(page) == "Check it is you"
    assert_accessible(page, "check it is you")
    # The code used at set-up cannot be used again: the app's next code (30 seconds on) is taken.
    page.get_by_label("Code").fill(f"{totp(key, drift=1):06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    assert heading(page) == HOME_HEADINGS["health_idva"]
    assert_audited("accounts.second_factor_enrolled", action="update", actor=idva, subject=idva)
    assert_audited("accounts.second_factor_verified", action="sign_in", actor=idva, subject=idva)


def test_an_idva_manager_registers_a_passkey_and_signs_in_with_it(
    page: Any, live_server: Any, make_user: Any
) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    manager = make_user("idva_manager")
    sign_in_by_keyboard(page, live_server.url, "idva.manager")
    page.wait_for_url("**/accounts/second-factor/set-up/?next=%2F")
    page.get_by_role("link", name="use a passkey instead").click()
    assert heading(page) == "Your account"
    add = page.get_by_role("button", name="Add a passkey")
    add.wait_for()
    assert_accessible(page, "your account")
    add.click()
    recovery_codes_on(page)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    assert heading(page) == "Your account" and "Passkey" in page.locator("table").inner_text()
    assert_audited(
        "accounts.second_factor_enrolled", action="update", actor=manager, subject=manager
    )
    page.goto(f"{live_server.url}/")
    assert heading(page) == HOME_HEADINGS["idva_manager"]
    sign_out(page)

    sign_in_by_keyboard(page, live_server.url, "idva.manager")
    page.wait_for_url("**/accounts/second-factor/?next=%2F")
    use = page.get_by_role("button", name="Use your passkey")
    use.wait_for()
    assert_accessible(page, "check it is you with a passkey")
    use.click()
    page.wait_for_url(f"{live_server.url}/")
    assert heading(page) == HOME_HEADINGS["idva_manager"]
    assert_audited(
        "accounts.second_factor_verified", action="sign_in", actor=manager, subject=manager
    )
