"""Enforcement: who is sent to the second factor, what stays open, and the whole flow by page."""

from __future__ import annotations

import datetime as dt
import re
from base64 import b32decode
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from provide.accounts.mfa import RECOVERY_CODE_COUNT, second_factor_reset
from provide.accounts.mfa_middleware import is_exempt
from provide.accounts.models import User
from provide.accounts.roles import ALL_ROLES
from tests.accounts.test_mfa import REQUIRED_BY_DEFAULT, START, STEP, app_code, enrol
from tests.audit_assertions import assert_audited
from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db

SET_UP = "/accounts/second-factor/set-up/"
VERIFY = "/accounts/second-factor/"


@pytest.fixture(autouse=True)
def enforce(settings: Any) -> None:
    settings.PROVIDE_MFA_ENFORCE = True


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def signed_in(user: User) -> Client:
    """A browser that has signed in with the password on the sign-in page (no second factor yet)."""
    client = Client()
    response = client.post(
        reverse("web:sign-in"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]
    return client


def key_on_page(html: str) -> str:
    """The authenticator key as the set-up page shows it (base32 in groups of four), as hex."""
    shown = re.search(r'id="totp-key">([A-Z2-7 ]+)<', html)
    assert shown is not None, "the set-up page shows the key"
    return b32decode(shown.group(1).replace(" ", "")).hex()


@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda role: role.slug)
def test_each_role_without_a_second_factor_goes_where_its_rule_says(
    role: Any, make_user: Callable[..., User]
) -> None:
    client = signed_in(make_user(role.slug))
    response = client.get("/")
    if role.slug in REQUIRED_BY_DEFAULT:
        assert response.status_code == 302 and response["Location"] == f"{SET_UP}?next=%2F"
    else:
        assert response.status_code == 200


def test_switching_enforcement_off_lets_every_role_through(
    settings: Any, make_user: Callable[..., User]
) -> None:
    settings.PROVIDE_MFA_ENFORCE = False
    assert signed_in(make_user("health_idva")).get("/").status_code == 200


def test_a_user_with_a_second_factor_is_asked_for_it_whatever_the_role(
    clock: Any, make_user: Callable[..., User], west_case: dict[str, Any]
) -> None:
    analyst = make_user("analyst")
    enrol(analyst)
    response = signed_in(analyst).get("/people/?q=West")
    assert (
        response.status_code == 302
        and response["Location"] == f"{VERIFY}?next=%2Fpeople%2F%3Fq%3DWest"
    )


def test_required_for_all_sends_every_role_to_set_up(
    settings: Any, make_user: Callable[..., User]
) -> None:
    settings.PROVIDE_MFA_REQUIRED_FOR_ALL = True
    response = signed_in(make_user("response_officer")).get("/")
    assert response["Location"].startswith(SET_UP)


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/second-factor/",
        "/accounts/second-factor/set-up/",
        "/accounts/second-factor/passkeys/verify/begin/",
        "/api/schema/",
        "/static/provide/provide.css",
        "/sign-in/",
        "/sign-out/",
        "/healthz",
    ],
)
def test_exempt_paths(path: str) -> None:
    assert is_exempt(path)


@pytest.mark.parametrize(
    "path", ["/", "/health/", "/admin/", "/audit/", "/accounts/users/", "/people/"]
)
def test_pages_that_are_not_exempt(path: str) -> None:
    assert not is_exempt(path)


def test_a_half_signed_in_user_still_reaches_the_open_pages(make_user: Callable[..., User]) -> None:
    client = signed_in(make_user("health_idva"))
    assert client.get(SET_UP).status_code == 200
    assert client.get("/static/provide/provide.css").status_code == 200
    api = client.get("/api/schema/")
    assert api.status_code != 302 or not api["Location"].startswith("/accounts/second-factor/")
    response = client.post(reverse("web:sign-out"))
    assert response.status_code == 302 and response["Location"] == reverse("web:sign-in")


def test_the_admin_needs_a_verified_session_even_when_the_role_does_not(
    settings: Any, make_user: Callable[..., User]
) -> None:
    settings.PROVIDE_MFA_REQUIRED_ROLES = []
    client = signed_in(make_user("administrator"))
    assert client.get("/").status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == f"{SET_UP}?next=%2Fadmin%2F"


def test_htmx_requests_are_told_to_load_the_second_factor_page(
    make_user: Callable[..., User],
) -> None:
    response = signed_in(make_user("health_idva")).get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == f"{SET_UP}?next=%2F"


def test_anonymous_visitors_are_left_to_the_sign_in_rules() -> None:
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:sign-in"))


def test_an_idva_sets_up_an_app_then_signs_in_again_with_its_code(
    clock: Any, make_user: Callable[..., User]
) -> None:
    idva = make_user("health_idva")
    client = signed_in(idva)
    assert client.get("/")["Location"] == f"{SET_UP}?next=%2F"
    page = client.get(f"{SET_UP}?next=%2F")
    assert page.status_code == 200 and b"<svg" in page.content
    key = key_on_page(page.content.decode())
    response = client.post(SET_UP, {"code": app_code(key), "next": "/"})
    assert response["Location"] == reverse("accounts:second-factor-recovery-codes")
    codes_page = client.get(response["Location"]).content.decode()
    assert len(re.findall(r"<li><code>[a-z2-7]{8}</code></li>", codes_page)) == RECOVERY_CODE_COUNT
    assert 'href="/"' in codes_page
    assert client.get("/").status_code == 200
    assert_audited("accounts.second_factor_enrolled", action="update", actor=idva, subject=idva)

    # Next shift: password, then a wrong code, then the right one.
    clock.shift(dt.timedelta(hours=8))
    again = signed_in(idva)
    assert again.get("/")["Location"] == f"{VERIFY}?next=%2F"
    wrong = again.post(
        VERIFY, {"code": "000000" if app_code(key) != "000000" else "111111", "next": "/"}
    )
    assert wrong.status_code == 200 and "The code is not right" in wrong.content.decode()
    assert_audited(
        "accounts.second_factor_failed", action="sign_in_failed", actor=idva, subject=idva
    )
    clock.shift(STEP)
    right = again.post(VERIFY, {"code": app_code(key), "next": "/"})
    assert right.status_code == 302 and right["Location"] == "/"
    assert again.get("/").status_code == 200
    assert_audited("accounts.second_factor_verified", action="sign_in", actor=idva, subject=idva)


def test_a_recovery_code_signs_in_once(clock: Any, make_user: Callable[..., User]) -> None:
    idva = make_user("health_idva")
    _, codes = enrol(idva)
    first = signed_in(idva)
    response = first.post(VERIFY, {"code": codes[0], "next": "/"}, follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    assert f"You have {RECOVERY_CODE_COUNT - 1} left" in response.content.decode()
    assert_audited(
        "accounts.second_factor_recovery_code_used", action="sign_in", actor=idva, subject=idva
    )
    clock.shift(dt.timedelta(minutes=1))
    second = signed_in(idva)
    refused = second.post(VERIFY, {"code": codes[0], "next": "/"})
    assert refused.status_code == 200 and "The code is not right" in refused.content.decode()
    assert second.get("/")["Location"].startswith(VERIFY)


def test_a_reset_sends_a_verified_user_back_to_set_up(
    clock: Any, make_user: Callable[..., User]
) -> None:
    idva, administrator = make_user("health_idva"), make_user("administrator")
    _, codes = enrol(idva)
    client = signed_in(idva)
    client.post(VERIFY, {"code": codes[0]})
    assert client.get("/").status_code == 200
    second_factor_reset(actor=administrator, user=idva)
    assert client.get("/")["Location"] == f"{SET_UP}?next=%2F"
    assert_audited(
        "accounts.second_factor_reset", action="update", actor=administrator, subject=idva
    )
