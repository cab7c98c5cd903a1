"""User management's reads and writes: administrator only, no health role and no superuser
given here, nobody changes their own role or deactivates themselves, every change audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from knox.models import AuthToken

from provide.accounts import users
from provide.accounts.models import HealthRoleGrantRequest, User
from provide.accounts.roles import ROLES_BY_SLUG
from provide.accounts.services import role_of
from provide.audit.models import AuditAction, AuditEvent
from provide.shared.access import RecordNotFound
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db
NOT_ADMIN = [
    "response_officer",
    "triage_sergeant",
    "joint_team_officer",
    "health_idva",
    "idva_manager",
    "safeguarding_officer",
    "analyst",
]


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_the_administrator_adds_a_user_with_a_role_audited(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    admin = personas["administrator"]
    user = users.user_add(
        actor=admin,
        username=" kim.officer ",
        role=ROLES_BY_SLUG["response_officer"],
        first_name="Kim",
        bcu=areas["west"],
        password="a long test passphrase",
    )
    assert (user.username, role_of(user), user.bcu, user.is_superuser) == (
        "kim.officer",
        ROLES_BY_SLUG["response_officer"],
        areas["west"],
        False,
    )
    event = assert_audited(
        "accounts.user_created", action=AuditAction.CREATE, actor=admin, subject=user
    )
    assert (
        event.changes["role"] == [None, "Response officer"]
        and event.changes["password_set"] is True
    )


@pytest.mark.parametrize("slug", ["health_idva", "idva_manager"])
def test_a_health_role_is_never_given_directly(
    slug: str, personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    admin = personas["administrator"]
    with pytest.raises(users.UserManagementError, match=users.HEALTH_ROLE_NEEDS_APPROVAL):
        users.user_add(actor=admin, username="sneaky", role=ROLES_BY_SLUG[slug], bcu=areas["west"])
    with pytest.raises(users.UserManagementError, match=users.HEALTH_ROLE_NEEDS_APPROVAL):
        users.user_update(
            actor=admin,
            user=admin,
            first_name="",
            last_name="",
            email="",
            role=ROLES_BY_SLUG[slug],
            bcu=areas["west"],
        )
    assert role_of(_fresh(admin)) == ROLES_BY_SLUG["administrator"]
    assert not User.objects.filter(username="sneaky").exists()


def test_bcu_roles_need_a_bcu_and_usernames_are_unique(personas: dict[str, Any]) -> None:
    admin = personas["administrator"]
    with pytest.raises(users.UserManagementError, match="Triage sergeant works one BCU"):
        users.user_add(actor=admin, username="sarge", role=ROLES_BY_SLUG["triage_sergeant"])
    with pytest.raises(users.UserManagementError, match="There is already a user called ANALYST"):
        users.user_add(actor=admin, username="ANALYST", role=ROLES_BY_SLUG["analyst"])


@pytest.mark.parametrize("slug", NOT_ADMIN)
def test_only_the_administrator_manages_users(slug: str, personas: dict[str, Any]) -> None:
    actor, target = personas[slug], personas["analyst"]
    with pytest.raises(PermissionDenied):
        users.user_add(actor=actor, username="x.y", role=ROLES_BY_SLUG["analyst"])
    with pytest.raises(PermissionDenied):
        users.user_set_active(actor=actor, user=target, active=False)
    with pytest.raises(PermissionDenied):
        users.users_deactivate(actor=actor, user_ids=[target.public_id])
    with pytest.raises(PermissionDenied):
        users.user_second_factor_reset(actor=actor, user=target)
    with pytest.raises(PermissionDenied):
        users.user_sign_in_unlock(actor=actor, user=target)
    assert not users.user_list_for(actor=actor).exists()
    with pytest.raises(RecordNotFound):
        users.user_get_for(actor=actor, user_id=target.public_id)


def test_a_superuser_without_the_administrator_role_is_refused(make_user: Any) -> None:
    root = make_user("analyst", username="root")
    User.objects.filter(pk=root.pk).update(is_superuser=True)
    with pytest.raises(PermissionDenied):
        users.user_add(actor=_fresh(root), username="x.y", role=None)


def test_update_records_what_changed_old_and_new(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    admin, officer = personas["administrator"], personas["joint_team_officer"]
    users.user_update(
        actor=admin,
        user=officer,
        first_name="Jo",
        last_name="Persona",
        email="jo@example.org",
        role=ROLES_BY_SLUG["triage_sergeant"],
        bcu=areas["east"],
    )
    officer = _fresh(officer)
    assert role_of(officer) == ROLES_BY_SLUG["triage_sergeant"] and officer.bcu == areas["east"]
    event = assert_audited(
        "accounts.user_updated", action=AuditAction.UPDATE, actor=admin, subject=officer
    )
    assert event.changes == {
        "first_name": ["Joint-team", "Jo"],
        "email": ["", "jo@example.org"],
        "role": ["Joint-team officer", "Triage sergeant"],
        "bcu": ["West", "East"],
    }


def test_a_health_role_can_be_taken_away_or_kept_but_the_admin_keeps_its_own_role(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    admin, idva = personas["administrator"], personas["health_idva"]
    users.user_update(
        actor=admin,
        user=idva,
        first_name="Renamed",
        last_name="",
        email="",
        role=ROLES_BY_SLUG["health_idva"],
        bcu=areas["east"],
    )  # keeps the role it holds
    assert (
        role_of(_fresh(idva)) == ROLES_BY_SLUG["health_idva"] and _fresh(idva).bcu == areas["east"]
    )
    users.user_update(
        actor=admin, user=idva, first_name="", last_name="", email="", role=None, bcu=None
    )
    idva = _fresh(idva)
    assert role_of(idva) is None and idva.agency == "" and not idva.groups.exists()
    with pytest.raises(users.UserManagementError, match=users.NOT_YOUR_OWN_ROLE):
        users.user_update(
            actor=admin,
            user=admin,
            first_name="",
            last_name="",
            email="",
            role=ROLES_BY_SLUG["analyst"],
            bcu=None,
        )


def test_deactivating_audits_revokes_api_tokens_and_never_the_administrator_itself(
    personas: dict[str, Any],
) -> None:
    admin, analyst = personas["administrator"], personas["analyst"]
    AuthToken.objects.create(analyst)
    assert users.user_set_active(actor=admin, user=analyst, active=False) is True
    assert not _fresh(analyst).is_active and not AuthToken.objects.filter(user=analyst).exists()
    assert (
        users.user_set_active(actor=admin, user=analyst, active=False) is False
    )  # no change, no event
    event = assert_audited(
        "accounts.user_deactivated", action=AuditAction.UPDATE, actor=admin, subject=analyst
    )
    assert event.changes == {"is_active": [True, False]}
    users.user_set_active(actor=admin, user=analyst, active=True)
    assert_audited(
        "accounts.user_reactivated", action=AuditAction.UPDATE, actor=admin, subject=analyst
    )
    with pytest.raises(users.UserManagementError, match=users.NOT_YOURSELF):
        users.user_set_active(actor=admin, user=admin, active=False)


def test_bulk_deactivation_is_one_event_per_user_and_all_or_nothing(
    personas: dict[str, Any],
) -> None:
    admin = personas["administrator"]
    chosen = [personas["analyst"], personas["response_officer"], personas["health_idva"]]
    changed = users.users_deactivate(actor=admin, user_ids=[u.public_id for u in chosen])
    assert {u.pk for u in changed} == {u.pk for u in chosen}
    assert not User.objects.filter(pk__in=[u.pk for u in chosen], is_active=True).exists()
    for user in chosen:
        assert_audited(
            "accounts.user_deactivated", action=AuditAction.UPDATE, actor=admin, subject=user
        )
    with pytest.raises(users.UserManagementError, match=users.NOT_YOURSELF):
        users.users_deactivate(
            actor=admin, user_ids=[personas["triage_sergeant"].public_id, admin.public_id]
        )
    assert _fresh(personas["triage_sergeant"]).is_active
    with pytest.raises(users.UserManagementError, match=users.NONE_CHOSEN):
        users.users_deactivate(actor=admin, user_ids=[])


def test_second_factor_reset_and_unlock_go_to_their_owners_which_audit_them(
    personas: dict[str, Any],
) -> None:
    from provide.accounts import mfa

    admin, idva = personas["administrator"], personas["health_idva"]
    mfa.totp_enrol_unattended(actor=admin, user=idva, name="Phone")
    assert mfa.has_second_factor(idva)
    assert users.user_second_factor_reset(actor=admin, user=idva) == 1
    assert not mfa.has_second_factor(idva)
    assert_audited(
        "accounts.second_factor_reset", action=AuditAction.UPDATE, actor=admin, subject=idva
    )
    users.user_sign_in_unlock(actor=admin, user=idva)
    assert_audited(
        "accounts.sign_in_unlocked", action=AuditAction.UPDATE, actor=admin, subject=idva
    )


def test_the_list_filters_by_text_role_bcu_status_and_waiting_request(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    admin = personas["administrator"]
    nobody = users.user_add(
        actor=admin, username="no.role.yet", role=None, email="nobody@example.org"
    )
    personas["analyst"].is_active = False
    personas["analyst"].save()
    HealthRoleGrantRequest.objects.create(
        user=personas["joint_team_officer"],
        role="health_idva",
        reason="Joins the IDVA team",
        requested_by=admin,
    )

    def names(**filters: Any) -> list[str]:
        return [
            u.username
            for u in users.user_list_for(actor=admin, filters=users.UserFilters(**filters))
        ]

    assert names(text="NOBODY@") == ["no.role.yet"]
    assert names(role="health_idva") == ["health.idva"]
    assert names(role=users.NO_ROLE) == [nobody.username]
    assert names(bcu=areas["west"]) == [
        "health.idva",
        "joint.team.officer",
        "response.officer",
        "triage.sergeant",
    ]
    assert names(status="inactive") == ["analyst"]
    assert "analyst" not in names(status="active")
    assert names(pending_request=True) == ["joint.team.officer"]
    assert users.user_list_for(actor=admin).get(username="joint.team.officer").pending_requests == 1


def test_the_list_is_read_in_a_fixed_number_of_queries(
    personas: dict[str, Any], django_assert_num_queries: Any
) -> None:
    def read(admin: User) -> None:
        for user in users.user_list_for(actor=admin):
            role_of(user)
            str(user.bcu)

    # The administrator's role and permissions (3), the users with their BCU and counts, their groups
    admin = _fresh(personas["administrator"])
    with django_assert_num_queries(5):
        read(admin)
    for n in range(15):
        users.user_add(
            actor=personas["administrator"], username=f"extra.{n}", role=ROLES_BY_SLUG["analyst"]
        )
    admin = _fresh(personas["administrator"])
    with django_assert_num_queries(5):
        read(admin)


def test_locked_usernames_come_from_the_lockout_module(personas: dict[str, Any]) -> None:
    from axes.models import AccessAttempt

    from provide.accounts.lockout import failure_limit

    AccessAttempt.objects.create(
        username="analyst",
        ip_address="192.0.2.9",
        user_agent="test",
        failures_since_start=failure_limit(),
    )
    assert users.locked_usernames(actor=personas["administrator"]) == {"analyst"}
    assert users.locked_usernames(actor=personas["analyst"]) == frozenset()
    assert not AuditEvent.objects.filter(event="accounts.sign_in_unlocked").exists()
