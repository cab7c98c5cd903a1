"""Single sign-on with OpenID Connect, against a real provider started for the test.

The provider is django-oidc-provider in its own Django project (tests/accounts/oidc_idp),
run as a subprocess with its own database. The person's side of the flow (the provider's
sign-in form) is driven with ``requests``; Provide's side with Django's test client, whose
callback makes real HTTP calls to the provider's token, keys and user-info endpoints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from provide.accounts.idle import STARTED_KEY
from provide.accounts.models import User
from provide.accounts.oidc import (
    IDP_MFA_SESSION_KEY,
    SingleSignOnRefused,
    bcu_from_claims,
    idp_did_mfa,
    role_from_claims,
)
from provide.accounts.roles import ANALYST, RESPONSE_OFFICER, TRIAGE_SERGEANT
from provide.accounts.services import role_of
from provide.audit.models import AuditAction, AuditEvent
from tests.accounts.oidc_idp.flow import PROVIDER, ROLE_MAP, sso_sign_in
from tests.accounts.oidc_idp.process import IdentityProvider
from tests.audit_assertions import assert_audited


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


@pytest.mark.django_db
def test_a_first_sign_in_makes_the_account_with_the_role_and_bcu_the_claims_give(
    sso: IdentityProvider,
) -> None:
    sso.set_claims("sam.sergeant", roles=["provide-sergeants", "unrelated-group"], bcu="West")
    client = Client()
    response = sso_sign_in(client, "sam.sergeant", next_page="/triage/")
    assert response.status_code == 302 and response["Location"] == "/triage/"
    user = signed_in_user(client)
    assert user is not None and user.username == "sam.sergeant"
    assert (user.first_name, user.last_name, user.email) == (
        "Sam",
        "Sergeant",
        "sam.sergeant@directory.example",
    )
    assert role_of(user) == TRIAGE_SERGEANT and user.bcu is not None and user.bcu.name == "West"
    assert user.oidc_subject and not user.has_usable_password()
    assert client.session[IDP_MFA_SESSION_KEY] is False
    assert STARTED_KEY in client.session
    assert_audited(
        "accounts.user_created_sso",
        action=AuditAction.CREATE,
        subject=user,
        actor_username=f"single sign-on ({PROVIDER})",
    )
    event = assert_audited("accounts.signed_in_sso", action=AuditAction.SIGN_IN, actor=user)
    assert event.changes == {"provider": PROVIDER, "idp_mfa": False}
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_the_next_sign_in_finds_the_account_by_subject_and_a_role_change_is_audited(
    sso: IdentityProvider,
) -> None:
    sso.set_claims("sam.sergeant", roles=["provide-sergeants"], bcu="West")
    assert sso_sign_in(Client(), "sam.sergeant").status_code == 302
    user = User.objects.get(username="sam.sergeant")
    user.username = "s.sergeant.renamed"  # the subject, not the name, is what links the two
    user.save()
    sso.set_claims("sam.sergeant", roles=["provide-analysts"], bcu="West")
    client = Client()
    assert sso_sign_in(client, "sam.sergeant").status_code == 302
    assert User.objects.count() == 1
    user.refresh_from_db()
    assert signed_in_user(client) == user
    assert role_of(user) == ANALYST and user.bcu is None  # analysts work force-wide
    event = assert_audited("accounts.role_changed_sso", action=AuditAction.UPDATE, subject=user)
    assert event.changes == {"role": ["Triage sergeant", "Analyst"], "bcu": ["West", None]}
    assert_audited("accounts.signed_in_sso", action=AuditAction.SIGN_IN, actor=user, count=2)


@pytest.mark.django_db
def test_no_mapped_role_is_refused_with_a_clear_page(sso: IdentityProvider) -> None:
    sso.set_claims("nia.noone", roles=["payroll-users"])
    client = Client()
    response = sso_sign_in(client, "nia.noone")
    page = response.content.decode()
    assert response.status_code == 403
    assert '<h1 class="govuk-heading-l">You cannot sign in with Test Directory</h1>' in page
    assert "Your Test Directory account does not give you a role in Provide." in page
    assert signed_in_user(client) is None and not User.objects.exists()
    event = assert_audited(
        "accounts.sso_refused", action=AuditAction.SIGN_IN_FAILED, actor_username="nia.noone"
    )
    assert event.changes == {"code": "no_role"} and event.flagged


@pytest.mark.django_db
def test_a_role_that_works_one_bcu_needs_a_known_bcu(sso: IdentityProvider) -> None:
    sso.set_claims("olu.officer", roles=["provide-officers"])
    response = sso_sign_in(Client(), "olu.officer")
    assert response.status_code == 403 and "does not say which" in response.content.decode()
    sso.set_claims("olu.officer", roles=["provide-officers"], bcu="Atlantis")
    response = sso_sign_in(Client(), "olu.officer")
    assert (
        response.status_code == 403
        and "names a BCU Provide does not know" in response.content.decode()
    )
    assert [
        event.changes["code"]
        for event in AuditEvent.objects.filter(event="accounts.sso_refused").order_by("id")
    ] == ["no_bcu", "unknown_bcu"]
    sso.set_claims("olu.officer", roles=["provide-officers"], bcu="east")
    client = Client()
    assert sso_sign_in(client, "olu.officer").status_code == 302
    user = signed_in_user(client)
    assert user is not None and role_of(user) == RESPONSE_OFFICER and user.bcu is not None
    assert user.bcu.name == "East"


@pytest.mark.django_db
def test_an_existing_account_is_matched_by_email_only_when_configured(
    sso: IdentityProvider, settings: Any, make_user: Callable[..., User]
) -> None:
    known = make_user("analyst", username="kim.k")
    known.email = "KIM.KNOWN@directory.example"
    known.save()
    sso.set_claims("kim.known", roles=["provide-analysts"])
    settings.PROVIDE_OIDC_CREATE_USERS = False
    response = sso_sign_in(Client(), "kim.known")
    assert (
        response.status_code == 403
        and "There is no Provide account for you yet" in response.content.decode()
    )
    settings.PROVIDE_OIDC_MATCH_EMAIL = True
    client = Client()
    assert sso_sign_in(client, "kim.known").status_code == 302
    assert signed_in_user(client) == known
    known.refresh_from_db()
    assert known.oidc_subject
    assert_audited("accounts.sso_linked", action=AuditAction.UPDATE, subject=known)
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_a_switched_off_account_stays_out(sso: IdentityProvider) -> None:
    sso.set_claims("ana.analyst", roles=["provide-analysts"])
    assert sso_sign_in(Client(), "ana.analyst").status_code == 302
    User.objects.filter(username="ana.analyst").update(is_active=False)
    client = Client()
    response = sso_sign_in(client, "ana.analyst")
    assert (
        response.status_code == 403
        and "Your Provide account is switched off" in response.content.decode()
    )
    assert signed_in_user(client) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amr", "trust", "flag"),
    [
        (["pwd", "mfa"], True, True),
        (["pwd", "otp"], True, True),
        (["pwd"], True, False),
        (["pwd", "mfa"], False, False),
    ],
)
def test_the_providers_second_factor_is_honoured_only_when_trusted(
    sso: IdentityProvider, settings: Any, amr: list[str], trust: bool, flag: bool
) -> None:
    settings.PROVIDE_OIDC_TRUST_IDP_MFA = trust
    sso.set_claims("sam.sergeant", roles=["provide-admins"], amr=amr)
    client = Client()
    assert sso_sign_in(client, "sam.sergeant").status_code == 302
    assert client.session[IDP_MFA_SESSION_KEY] is flag
    user = signed_in_user(client)
    assert_audited(
        "accounts.signed_in_sso",
        action=AuditAction.SIGN_IN,
        actor=user,
        changes={"provider": PROVIDER, "idp_mfa": flag},
    )


@pytest.mark.django_db
def test_refused_single_sign_ons_do_not_lock_the_address(
    sso: IdentityProvider, make_user: Callable[..., User]
) -> None:
    sso.set_claims("nia.noone", roles=[])
    for _ in range(5):
        assert sso_sign_in(Client(), "nia.noone").status_code == 403
    officer = make_user("response_officer")
    response = Client().post(
        "/sign-in/", {"username": officer.username, "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 302


def test_role_claims_map_through_the_configuration(settings: Any) -> None:
    settings.PROVIDE_OIDC_ROLE_MAP = ROLE_MAP
    settings.PROVIDE_OIDC_ROLE_CLAIM = "realm_access.roles"
    assert (
        role_from_claims({"realm_access": {"roles": ["x", "provide-officers"]}}) == RESPONSE_OFFICER
    )
    settings.PROVIDE_OIDC_ROLE_CLAIM = "roles"
    assert role_from_claims({"roles": "provide-analysts"}) == ANALYST
    with pytest.raises(SingleSignOnRefused) as refused:
        role_from_claims({"roles": ["provide-analysts", "provide-officers"]})
    assert refused.value.code == "many_roles"
    for claims in ({}, {"roles": None}, {"roles": ["Provide-Analysts"]}):
        with pytest.raises(SingleSignOnRefused):
            role_from_claims(claims)


def test_force_wide_roles_hold_no_bcu(settings: Any) -> None:
    settings.PROVIDE_OIDC_BCU_CLAIM = "bcu"
    assert bcu_from_claims({"bcu": "Anything"}, ANALYST, current=None) is None


def test_only_more_than_a_password_counts_as_the_providers_second_factor() -> None:
    assert idp_did_mfa({"amr": ["pwd", "mfa"]}) and idp_did_mfa({"amr": ["hwk"]})
    assert (
        not idp_did_mfa({"amr": ["pwd"]})
        and not idp_did_mfa({"amr": "mfa"})
        and not idp_did_mfa({})
    )
