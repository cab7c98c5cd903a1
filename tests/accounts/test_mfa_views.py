"""The second-factor pages and passkey endpoints: the account page, removal, recovery codes,
where "next" may lead, and the audited passkey checks."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from provide.accounts.mfa import ERROR_LAST_SECOND_FACTOR, RECOVERY_CODE_COUNT, recovery_codes_left
from provide.accounts.mfa_views import CODES_SESSION, safe_next
from provide.accounts.models import User
from tests.accounts.test_mfa import START, enrol, make_passkey
from tests.accounts.test_mfa_middleware import signed_in
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db

ACCOUNT = "/accounts/second-factor/"


@pytest.fixture(autouse=True)
def enforce(settings: Any) -> None:
    settings.PROVIDE_MFA_ENFORCE = True


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def verified(user: User, code: str) -> Client:
    """Signed in with the password and a recovery code."""
    client = signed_in(user)
    assert client.post(ACCOUNT, {"code": code})["Location"] == "/"
    return client


def test_the_account_page_offers_an_optional_second_factor(make_user: Callable[..., User]) -> None:
    page = signed_in(make_user("triage_sergeant")).get(ACCOUNT)
    html = page.content.decode()
    assert page.status_code == 200 and "A second factor is optional for your role" in html
    assert (
        'href="/accounts/second-factor/set-up/"' in html and 'id="passkey-register-button"' in html
    )
    found = re.search(
        r'id="otp_webauthn_config" type="application/json">(.*?)</script>', html, flags=re.S
    )
    assert found is not None
    config = json.loads(found.group(1))
    assert config["beginRegistrationUrl"] == reverse("accounts:passkey-register-begin")
    assert config["completeAuthenticationUrl"] == reverse("accounts:passkey-verify-complete")
    main = html[html.index("<main") : html.index("</main>")]
    assert " style=" not in main and "<script>" not in main  # the CSP allows neither


def test_the_account_page_lists_second_factors_with_a_fixed_number_of_queries(
    clock: Any, make_user: Callable[..., User], django_assert_num_queries: Any
) -> None:
    idva = make_user("health_idva")
    _, codes = enrol(idva)
    client = verified(idva, codes[0])
    client.get(ACCOUNT)  # warm the session and the caches
    with CaptureQueriesContext(connection) as one:
        html = client.get(ACCOUNT).content.decode()
    assert (
        "Authenticator app" in html
        and f"You have {RECOVERY_CODE_COUNT - 1} recovery codes left" in html
    )
    for name in ("Phone", "Laptop", "Security key"):
        make_passkey(idva, name)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(ACCOUNT).content.decode()
    assert all(name in html for name in ("Phone", "Laptop", "Security key"))


def test_removing_the_last_required_second_factor_is_refused_on_the_page(
    clock: Any, make_user: Callable[..., User]
) -> None:
    idva = make_user("health_idva")
    device, codes = enrol(idva)
    client = verified(idva, codes[0])
    response = client.post(
        reverse("accounts:second-factor-remove"), {"device": device.persistent_id}, follow=True
    )
    assert ERROR_LAST_SECOND_FACTOR in response.content.decode()
    passkey = make_passkey(idva)
    response = client.post(
        reverse("accounts:second-factor-remove"), {"device": passkey.persistent_id}, follow=True
    )
    assert "Work laptop removed" in response.content.decode()
    assert_audited("accounts.second_factor_removed", action="update", actor=idva, subject=idva)


def test_an_unverified_session_cannot_change_the_second_factor(
    clock: Any, make_user: Callable[..., User]
) -> None:
    analyst = make_user("analyst")
    device, _ = enrol(analyst)
    client = signed_in(analyst)
    for response in (
        client.get(reverse("accounts:second-factor-set-up")),
        client.post(reverse("accounts:second-factor-remove"), {"device": device.persistent_id}),
        client.post(reverse("accounts:second-factor-recovery-codes-new")),
    ):
        assert response.status_code == 302 and response["Location"] == ACCOUNT
    assert client.get(ACCOUNT).content.decode().count("Check it is you") >= 1
    assert recovery_codes_left(analyst) == RECOVERY_CODE_COUNT


def test_new_recovery_codes_are_shown_once(clock: Any, make_user: Callable[..., User]) -> None:
    idva = make_user("health_idva")
    _, codes = enrol(idva)
    client = verified(idva, codes[0])
    assert client.get(reverse("accounts:second-factor-recovery-codes-new")).status_code == 405
    response = client.post(reverse("accounts:second-factor-recovery-codes-new"))
    assert response["Location"] == reverse("accounts:second-factor-recovery-codes")
    shown = re.findall(
        r"<li><code>([a-z2-7]{8})</code></li>", client.get(response["Location"]).content.decode()
    )
    assert len(shown) == RECOVERY_CODE_COUNT and not set(shown) & set(codes)
    assert client.get(response["Location"])["Location"] == ACCOUNT
    assert CODES_SESSION not in client.session
    assert_audited(
        "accounts.second_factor_recovery_codes_generated", action="update", actor=idva, subject=idva
    )


def test_next_never_leads_off_the_site(clock: Any, make_user: Callable[..., User]) -> None:
    idva = make_user("health_idva")
    _, codes = enrol(idva)
    response = signed_in(idva).post(
        ACCOUNT, {"code": codes[1], "next": "https://example.org/phish"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("/people/?q=West", "/people/?q=West"),
        ("//example.org/", "/"),
        ("https://example.org/", "/"),
        ("", "/"),
    ],
)
def test_safe_next(candidate: str, expected: str) -> None:
    request = RequestFactory().get("/")
    assert safe_next(request, candidate) == expected


def test_a_failed_passkey_check_is_audited(make_user: Callable[..., User]) -> None:
    idva = make_user("health_idva")
    make_passkey(idva)
    response = signed_in(idva).post(
        reverse("accounts:passkey-verify-complete"), data="{}", content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_state"
    event = assert_audited(
        "accounts.second_factor_failed", action="sign_in_failed", actor=idva, subject=idva
    )
    assert event.changes == {"method": "passkey", "reason": "invalid_state"}


def test_passkey_options_name_this_site_and_only_the_users_own_passkeys(
    make_user: Callable[..., User],
) -> None:
    idva, other = make_user("health_idva"), make_user("idva_manager")
    make_passkey(idva, "Phone")
    make_passkey(other, "Other phone")
    options = signed_in(idva).post(reverse("accounts:passkey-verify-begin")).json()
    assert options["rpId"] == "localhost"
    assert [c["id"] for c in options["allowCredentials"]] == ["UGhvbmU"]  # base64url of b"Phone"


def test_an_unverified_user_with_a_second_factor_cannot_register_a_passkey(
    clock: Any, make_user: Callable[..., User]
) -> None:
    analyst = make_user("analyst")
    enrol(analyst)
    response = signed_in(analyst).post(reverse("accounts:passkey-register-begin"))
    assert response.status_code == 403 and response.json()["code"] == "user_not_verified"


def test_a_verified_user_gets_passkey_registration_options(
    clock: Any, make_user: Callable[..., User]
) -> None:
    idva = make_user("health_idva")
    _, codes = enrol(idva)
    options = verified(idva, codes[0]).post(reverse("accounts:passkey-register-begin")).json()
    assert options["rp"] == {"id": "localhost", "name": "Provide"}
    assert options["user"]["name"] == idva.username


def test_the_passkey_script_translations_are_served(make_user: Callable[..., User]) -> None:
    response = signed_in(make_user("analyst")).get(reverse("accounts:passkey-jsi18n"))
    assert response.status_code == 200 and "gettext" in response.content.decode()
