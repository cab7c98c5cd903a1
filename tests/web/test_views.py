"""Sign-in and sign-out (audited, with why a timeout signed the user out and single sign-on when
configured), each role's home page, and the investigation page's door."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from provide.accounts.idle import IDLE, SIGNED_OUT_KEY
from provide.accounts.mfa import IDP_MFA_SESSION_KEY
from provide.accounts.models import User
from provide.accounts.roles import ALL_ROLES
from provide.audit.models import AuditAction, AuditEvent
from provide.cases.models import Case
from provide.web.homes import HOMES
from tests.audit_assertions import assert_audited
from tests.cast import PASSWORD

SSO = {
    "PROVIDE_OIDC_ISSUER": "https://idp.example.test",
    "OIDC_RP_CLIENT_ID": "provide",
    "OIDC_RP_CLIENT_SECRET": "s3cret",
    "PROVIDE_OIDC_PROVIDER_NAME": "Lancashire Police account",
}


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- sign-in and sign-out -------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_success_and_failure_and_sign_out_are_audited_with_the_address(
    personas: dict[str, Any],
) -> None:
    analyst = personas["analyst"]
    client = Client(REMOTE_ADDR="192.0.2.7")
    client.post(reverse("web:sign-in"), {"username": "analyst", "password": "wrong"})
    client.post(reverse("web:sign-in"), {"username": "analyst", "password": PASSWORD})
    client.post(reverse("web:sign-out"))
    actions = list(
        AuditEvent.objects.exclude(event="accounts.user_created")  # the cast's own accounts
        .order_by("id")
        .values_list("action", "actor_username")
    )
    assert actions == [
        (AuditAction.SIGN_IN_FAILED, "analyst"),
        (AuditAction.SIGN_IN, "analyst"),
        (AuditAction.SIGN_OUT, "analyst"),
    ]
    failed = assert_audited(
        "accounts.sign_in_failed", action=AuditAction.SIGN_IN_FAILED, actor_username="analyst"
    )
    assert failed.actor is None and failed.flagged and failed.ip_address == "192.0.2.7"
    assert failed.reason == ""  # no lock was involved
    signed_in = assert_audited("accounts.signed_in", action=AuditAction.SIGN_IN, actor=analyst)
    signed_out = assert_audited("accounts.signed_out", action=AuditAction.SIGN_OUT, actor=analyst)
    assert signed_in.ip_address == signed_out.ip_address == "192.0.2.7"


@pytest.mark.django_db
def test_a_failed_sign_in_records_at_most_150_characters_of_the_name_typed(
    personas: dict[str, Any],
) -> None:
    Client().post(reverse("web:sign-in"), {"username": "x" * 200, "password": "wrong"})
    assert_audited(
        "accounts.sign_in_failed", action=AuditAction.SIGN_IN_FAILED, actor_username="x" * 150
    )


@pytest.mark.django_db
def test_signing_out_when_not_signed_in_writes_nothing() -> None:
    response = Client().post(reverse("web:sign-out"))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_OUT).exists()


@pytest.mark.django_db
def test_the_sign_in_page_says_once_why_a_timeout_signed_the_user_out(
    personas: dict[str, Any],
) -> None:
    client = Client()
    session = client.session
    session[SIGNED_OUT_KEY] = IDLE
    session.save()
    first = client.get(reverse("web:sign-in"))
    assert first.context["signed_out_because"].startswith(
        "You were signed out because you had not used Provide"
    )
    assert first.context["signed_out_because"] in first.content.decode()
    assert client.get(reverse("web:sign-in")).context["signed_out_because"] == ""


@pytest.mark.django_db
def test_single_sign_on_is_offered_only_when_configured() -> None:
    plain = Client().get(reverse("web:sign-in"))
    assert plain.context["sso_enabled"] is False and "Sign in with" not in plain.content.decode()
    with override_settings(**SSO):
        offered = Client().get(reverse("web:sign-in"))
    assert offered.context["sso_enabled"] is True
    assert "Sign in with Lancashire Police account" in offered.content.decode()


@pytest.mark.django_db
def test_a_password_sign_in_drops_what_an_earlier_single_sign_on_said_about_its_second_factor(
    personas: dict[str, Any],
) -> None:
    client = Client()
    session = client.session
    session[IDP_MFA_SESSION_KEY] = True
    session.save()
    client.post(reverse("web:sign-in"), {"username": "analyst", "password": PASSWORD})
    assert IDP_MFA_SESSION_KEY not in client.session


@pytest.mark.django_db
def test_a_signed_in_user_going_to_sign_in_is_sent_home(personas: dict[str, Any]) -> None:
    response = _signed_in(personas["analyst"]).get(reverse("web:sign-in"))
    assert response.status_code == 302 and response["Location"] == reverse("web:home")


# --- home -------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda r: r.slug)
def test_home_renders_the_roles_page_with_what_its_builder_gives(
    role: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    template, build = HOMES[role.slug]
    response = _signed_in(make_user(role.slug)).get(reverse("web:home"))
    assert response.status_code == 200
    assert template in [used.name for used in response.templates]
    context = response.context
    assert (context["nav"], context["page_title"], context["role"]) == ("home", role.name, role)
    assert set(build(context["user"], context["now"])) <= set(context.keys())


@pytest.mark.django_db
def test_a_user_without_a_role_is_told_to_ask_for_one_and_sees_no_records(
    west_case: dict[str, Any],
) -> None:
    nobody = User.objects.create_user(username="no.role", password=PASSWORD)
    response = _signed_in(nobody).get(reverse("web:home"))
    html = response.content.decode()
    assert response.status_code == 200 and "You have no role yet" in html
    assert "WB/2026/000001" not in html


# --- the investigation page -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_investigation_page_shows_the_investigation_with_its_case(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    investigation = west_case["investigation"]
    response = _signed_in(personas["response_officer"]).get(
        reverse("web:investigation-detail", args=[investigation.public_id])
    )
    assert response.status_code == 200
    assert response.context["page_title"] == "Investigation WB/2026/000001"
    assert response.context["case_summary"] == Case.objects.get(investigation=investigation)
    assert response.context["decisions"] == []  # a response officer sees no triage decisions
    assert list(response.context["visits"]) == [west_case["visit"]]


@pytest.mark.django_db
def test_an_investigation_outside_the_area_or_missing_is_not_found(
    personas: dict[str, Any], east_case: dict[str, Any]
) -> None:
    east = reverse("web:investigation-detail", args=[east_case["investigation"].public_id])
    missing = reverse("web:investigation-detail", args=["00000000-0000-0000-0000-000000000000"])
    officer = _signed_in(personas["response_officer"])
    assert officer.get(east).status_code == officer.get(missing).status_code == 404
    assert _signed_in(personas["analyst"]).get(east).status_code == 404


@pytest.mark.django_db
def test_the_service_worker_is_served_from_the_root_for_every_page() -> None:
    response = Client().get("/service-worker.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert b"provide-offline" in response.content


@pytest.mark.django_db
def test_the_no_signal_page_holds_nothing_personal_and_needs_no_sign_in() -> None:
    response = Client().get("/offline/")
    assert response.status_code == 200
    assert b"No signal" in response.content and b"data-provide-user" not in response.content


@pytest.mark.django_db
def test_the_session_answer_says_whether_signed_in(personas: dict[str, Any]) -> None:
    client = Client()
    assert client.get("/session/").json() == {"signed_in": False}
    client.force_login(personas["joint_team_officer"])
    assert client.get("/session/").json() == {"signed_in": True}


@pytest.mark.django_db
def test_signing_out_clears_what_the_phone_kept(personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["joint_team_officer"])
    page = client.get("/")
    assert (
        f'data-provide-user="{personas["joint_team_officer"].public_id}"' in page.content.decode()
    )
    response = client.post("/sign-out/")
    assert response["Clear-Site-Data"] == '"cache", "storage"'
