"""Health roles need two people: the administrator asks, an IDVA manager decides, and the role
is given only on approval — never by or for the person who asked, each step audited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from provide.accounts import grants
from provide.accounts.models import HealthRoleGrantRequest, User
from provide.accounts.roles import ROLES_BY_SLUG
from provide.accounts.services import role_of
from provide.audit.models import AuditAction
from provide.shared.access import RecordNotFound
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db
REASON = "Joins the West IDVA team on Monday"


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


@pytest.fixture
def newcomer(make_user: Any) -> User:
    """A West joint-team officer moving to the IDVA team."""
    return make_user("joint_team_officer", username="sam.newcomer")


def _request(
    personas: dict[str, Any], user: User, role: str = "health_idva"
) -> HealthRoleGrantRequest:
    return grants.health_role_request_create(
        actor=personas["administrator"], user=user, role_slug=role, reason=REASON
    )


def test_a_request_changes_nothing_until_an_idva_manager_approves_it(
    personas: dict[str, Any], newcomer: User
) -> None:
    request = _request(personas, newcomer)
    assert role_of(_fresh(newcomer)) == ROLES_BY_SLUG["joint_team_officer"]
    assert request.status == HealthRoleGrantRequest.Status.PENDING
    event = assert_audited(
        "accounts.health_role_requested",
        action=AuditAction.CREATE,
        actor=personas["administrator"],
        subject=newcomer,
    )
    assert event.changes == {
        "request": str(request.public_id),
        "role": ["Joint-team officer", "Health IDVA"],
    }
    assert event.reason == REASON

    grants.health_role_request_approve(
        actor=personas["idva_manager"], request=request, note="Known to me"
    )
    user = _fresh(newcomer)
    assert (
        role_of(user) == ROLES_BY_SLUG["health_idva"]
        and user.agency == "health"
        and not user.is_staff
    )
    assert list(user.groups.values_list("name", flat=True)) == ["Health IDVA"]
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_note) == (
        "approved",
        personas["idva_manager"],
        "Known to me",
    )
    event = assert_audited(
        "accounts.health_role_approved",
        action=AuditAction.UPDATE,
        actor=personas["idva_manager"],
        subject=newcomer,
    )
    assert event.changes["role"] == ["Joint-team officer", "Health IDVA"]
    assert event.changes["agency"] == ["police", "health"]
    assert event.changes["requested_by"] == "administrator"


def test_a_refusal_needs_a_reason_and_leaves_the_role_as_it_was(
    personas: dict[str, Any], newcomer: User
) -> None:
    request = _request(personas, newcomer)
    with pytest.raises(grants.GrantError, match=grants.REFUSAL_REASON_NEEDED):
        grants.health_role_request_refuse(
            actor=personas["idva_manager"], request=request, note="  "
        )
    grants.health_role_request_refuse(
        actor=personas["idva_manager"], request=request, note="Not on our team"
    )
    assert role_of(_fresh(newcomer)) == ROLES_BY_SLUG["joint_team_officer"]
    event = assert_audited(
        "accounts.health_role_refused",
        action=AuditAction.UPDATE,
        actor=personas["idva_manager"],
        subject=newcomer,
    )
    assert event.reason == "Not on our team" and event.changes["status"] == ["pending", "refused"]
    with pytest.raises(grants.GrantError, match=grants.NOT_WAITING):
        grants.health_role_request_approve(actor=personas["idva_manager"], request=request)


def test_the_administrator_cannot_ask_for_a_health_role_for_itself(
    personas: dict[str, Any],
) -> None:
    with pytest.raises(grants.GrantError, match=grants.NOT_FOR_YOURSELF):
        _request(personas, personas["administrator"], "idva_manager")
    assert not HealthRoleGrantRequest.objects.exists()


@pytest.mark.parametrize(
    "slug",
    [
        "response_officer",
        "triage_sergeant",
        "joint_team_officer",
        "health_idva",
        "idva_manager",
        "safeguarding_officer",
        "analyst",
    ],
)
def test_only_the_administrator_asks(slug: str, personas: dict[str, Any], newcomer: User) -> None:
    with pytest.raises(PermissionDenied):
        grants.health_role_request_create(
            actor=personas[slug], user=newcomer, role_slug="health_idva", reason=REASON
        )


@pytest.mark.parametrize(
    "slug",
    [
        "administrator",
        "response_officer",
        "triage_sergeant",
        "joint_team_officer",
        "health_idva",
        "safeguarding_officer",
        "analyst",
    ],
)
def test_only_an_idva_manager_decides(slug: str, personas: dict[str, Any], newcomer: User) -> None:
    request = _request(personas, newcomer)
    with pytest.raises(PermissionDenied):
        grants.health_role_request_approve(actor=personas[slug], request=request)
    with pytest.raises(PermissionDenied):
        grants.health_role_request_refuse(actor=personas[slug], request=request, note="no")
    assert role_of(_fresh(newcomer)) == ROLES_BY_SLUG["joint_team_officer"]


def test_nobody_decides_a_request_they_made_or_one_about_themselves(
    personas: dict[str, Any], make_user: Any, areas: dict[str, Any]
) -> None:
    # An IDVA manager who is also recorded as the requester (as if made an administrator later)
    manager = personas["idva_manager"]
    other_manager = make_user("idva_manager", username="second.manager")
    newcomer = make_user("analyst", username="ana.lyst")
    own = HealthRoleGrantRequest.objects.create(
        user=newcomer, role="idva_manager", reason=REASON, requested_by=manager
    )
    with pytest.raises(grants.GrantError, match=grants.NOT_YOUR_OWN_REQUEST):
        grants.health_role_request_approve(actor=manager, request=own)
    about_me = HealthRoleGrantRequest.objects.create(
        user=other_manager,
        role="health_idva",
        reason=REASON,
        requested_by=personas["administrator"],
    )
    other_manager.bcu = areas["west"]
    other_manager.save()
    with pytest.raises(grants.GrantError, match=grants.NOT_ABOUT_YOURSELF):
        grants.health_role_request_approve(actor=other_manager, request=about_me)
    assert not grants.can_decide(manager, own) and not grants.can_decide(other_manager, about_me)
    assert grants.can_decide(other_manager, own) and grants.can_decide(manager, about_me)


def test_the_database_refuses_a_self_decided_or_self_requested_grant(
    personas: dict[str, Any], newcomer: User
) -> None:
    admin = personas["administrator"]
    with pytest.raises(IntegrityError), transaction.atomic():
        HealthRoleGrantRequest.objects.create(
            user=admin, role="health_idva", reason=REASON, requested_by=admin
        )
    request = _request(personas, newcomer)
    request.decided_by = admin
    with pytest.raises(IntegrityError), transaction.atomic():
        request.save()


def test_one_request_waits_at_a_time_and_a_held_role_is_not_asked_for(
    personas: dict[str, Any], newcomer: User
) -> None:
    _request(personas, newcomer)
    with pytest.raises(grants.GrantError, match="already has a request waiting"):
        _request(personas, newcomer, "idva_manager")
    with pytest.raises(grants.GrantError, match="already holds the role Health IDVA"):
        _request(personas, personas["health_idva"])


@pytest.mark.parametrize(
    ("role", "reason", "problem"),
    [
        ("joint_team_officer", REASON, grants.NOT_A_HEALTH_ROLE),
        ("superuser", REASON, grants.NOT_A_HEALTH_ROLE),
        ("health_idva", "because", grants.REASON_NEEDED),
    ],
)
def test_bad_requests_are_refused_with_the_rule(
    role: str, reason: str, problem: str, personas: dict[str, Any], newcomer: User
) -> None:
    with pytest.raises(grants.GrantError, match=re.escape(problem)):
        grants.health_role_request_create(
            actor=personas["administrator"], user=newcomer, role_slug=role, reason=reason
        )


def test_a_deactivated_user_a_superuser_or_an_idva_without_a_bcu_is_refused(
    personas: dict[str, Any], make_user: Any
) -> None:
    force_wide = make_user("analyst", username="no.bcu")
    with pytest.raises(grants.GrantError, match="works one BCU"):
        _request(personas, force_wide, "health_idva")
    _request(personas, force_wide, "idva_manager")  # a force-wide health role needs none
    gone = make_user("joint_team_officer", username="gone.officer")
    gone.is_active = False
    gone.save()
    with pytest.raises(grants.GrantError, match="is deactivated"):
        _request(personas, gone)
    root = make_user("analyst", username="root")
    User.objects.filter(pk=root.pk).update(is_superuser=True)
    with pytest.raises(grants.GrantError, match=grants.SUPERUSER):
        _request(personas, _fresh(root), "idva_manager")


def test_approval_checks_the_user_again(personas: dict[str, Any], newcomer: User) -> None:
    request = _request(personas, newcomer)
    User.objects.filter(pk=newcomer.pk).update(is_active=False)
    with pytest.raises(grants.GrantError, match="is deactivated"):
        grants.health_role_request_approve(actor=personas["idva_manager"], request=request)
    assert role_of(_fresh(newcomer)) == ROLES_BY_SLUG["joint_team_officer"]


def test_requests_are_listed_for_those_who_decide_or_ask_and_opened_only_by_deciders(
    personas: dict[str, Any], newcomer: User
) -> None:
    request = _request(personas, newcomer)
    assert list(grants.grant_request_list_for(user=personas["idva_manager"])) == [request]
    assert list(grants.grant_request_list_for(user=personas["administrator"], about=newcomer)) == [
        request
    ]
    assert not grants.grant_request_list_for(user=personas["joint_team_officer"]).exists()
    assert (
        grants.grant_request_get_for(user=personas["idva_manager"], request_id=request.public_id)
        == request
    )
    for slug in ("administrator", "health_idva"):
        with pytest.raises(RecordNotFound):
            grants.grant_request_get_for(user=personas[slug], request_id=request.public_id)
    with pytest.raises(RecordNotFound):
        grants.grant_request_get_for(user=personas["idva_manager"], request_id="not-a-uuid")
