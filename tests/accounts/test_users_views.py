"""The user-management pages: only the administrator opens them, forms re-show what was typed,
each button does its one thing (audited), and the IDVA manager decides health-role requests."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from provide.accounts.models import HealthRoleGrantRequest, User
from provide.accounts.roles import ALL_ROLES, ROLES_BY_SLUG
from provide.accounts.services import role_of
from provide.audit.models import AuditAction
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db
LIST = reverse("accounts:user-list")
CREATE = reverse("accounts:user-create")
GRANTS = reverse("accounts:grant-list")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda r: r.slug)
def test_only_the_administrator_opens_user_management_and_only_the_idva_manager_the_requests(
    role: Any, personas: dict[str, Any]
) -> None:
    client = _client(personas[role.slug])
    target = personas["analyst"].public_id
    pages = {
        LIST: role.slug == "administrator",
        CREATE: role.slug == "administrator",
        reverse("accounts:user-detail", args=[target]): role.slug == "administrator",
        GRANTS: role.slug == "idva_manager",
    }
    for url, allowed in pages.items():
        status = client.get(url).status_code
        assert status == (200 if allowed else 403 if url in (LIST, CREATE, GRANTS) else 404), url
    home = client.get(reverse("web:home")).content.decode()
    assert (f'href="{LIST}"' in home) == (role.slug == "administrator")
    assert (f'href="{GRANTS}"' in home) == (role.slug == "idva_manager")
    for url in (
        reverse("accounts:user-active", args=[target]),
        reverse("accounts:users-deactivate"),
    ):
        if role.slug != "administrator":
            assert client.post(url, {"active": "no", "users": [str(target)]}).status_code in (
                403,
                404,
            )
    assert _fresh(personas["analyst"]).is_active


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, db: Any) -> None:
    response = client.get(LIST)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_the_list_filters_and_marks_waiting_requests(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    HealthRoleGrantRequest.objects.create(
        user=personas["joint_team_officer"],
        role="health_idva",
        reason="Joins the IDVA team",
        requested_by=personas["administrator"],
    )
    client = _client(personas["administrator"])
    every = client.get(LIST).content.decode()
    assert all(f">{user.username}<" in every for user in personas.values())
    assert "Health role requested" in every
    west = client.get(
        LIST, {"bcu": str(areas["west"].public_id), "role": "joint_team_officer"}
    ).content.decode()
    assert ">joint.team.officer<" in west and ">analyst<" not in west
    assert "1 user" in west


def test_the_list_page_pins_its_queries(
    personas: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = _client(personas["administrator"])
    client.get(LIST)
    with django_assert_max_num_queries(14) as few:
        client.get(LIST)
    for n in range(20):
        User.objects.create(username=f"extra.{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).status_code == 200


def test_the_administrator_creates_a_user_with_a_role(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    admin = personas["administrator"]
    response = _client(admin).post(
        CREATE,
        {
            "username": "kim.officer",
            "first_name": "Kim",
            "last_name": "Officer",
            "email": "kim@example.org",
            "role": "response_officer",
            "bcu": str(areas["west"].public_id),
            "password": "correct horse battery 42",
        },
    )
    user = User.objects.get(username="kim.officer")
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:user-detail", args=[user.public_id]
    )
    assert role_of(user) == ROLES_BY_SLUG["response_officer"] and user.check_password(
        "correct horse battery 42"
    )
    assert_audited("accounts.user_created", action=AuditAction.CREATE, actor=admin, subject=user)


def test_creating_with_a_health_role_makes_a_request_not_a_grant(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    admin = personas["administrator"]
    _client(admin).post(
        CREATE,
        {
            "username": "ida.new",
            "bcu": str(areas["west"].public_id),
            "health_role": "health_idva",
            "health_reason": "Joins the West IDVA team",
        },
    )
    user = User.objects.get(username="ida.new")
    assert role_of(user) is None and not user.has_usable_password()
    request = HealthRoleGrantRequest.objects.get(user=user)
    assert (request.role, request.status, request.requested_by) == ("health_idva", "pending", admin)


def test_a_refused_create_shows_the_problem_and_keeps_what_was_typed(
    personas: dict[str, Any],
) -> None:
    response = _client(personas["administrator"]).post(
        CREATE,
        {
            "username": "ida.nobcu",
            "first_name": "Ida",
            "health_role": "health_idva",
            "health_reason": "Joins the West IDVA team",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and "Health IDVA works one BCU" in html
    assert 'value="Ida"' in html
    assert not User.objects.filter(
        username="ida.nobcu"
    ).exists()  # the user and the request, or neither


def test_editing_changes_the_role_and_refuses_a_health_role(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    admin, officer = personas["administrator"], personas["joint_team_officer"]
    url = reverse("accounts:user-detail", args=[officer.public_id])
    client = _client(admin)
    page = client.get(url).content.decode()
    assert 'value="health_idva"' not in page.split('id="id_role"')[1].split("</select>")[0]
    refused = client.post(url, {"role": "health_idva", "bcu": str(areas["west"].public_id)})
    assert (
        refused.status_code == 400
        and role_of(_fresh(officer)) == ROLES_BY_SLUG["joint_team_officer"]
    )
    done = client.post(
        url, {"first_name": "Jo", "role": "triage_sergeant", "bcu": str(areas["east"].public_id)}
    )
    assert done.status_code == 302
    officer = _fresh(officer)
    assert role_of(officer) == ROLES_BY_SLUG["triage_sergeant"] and officer.bcu == areas["east"]
    event = assert_audited(
        "accounts.user_updated", action=AuditAction.UPDATE, actor=admin, subject=officer
    )
    assert event.changes["role"] == ["Joint-team officer", "Triage sergeant"]


def test_the_buttons_deactivate_reset_and_unlock(personas: dict[str, Any]) -> None:
    admin, analyst = personas["administrator"], personas["analyst"]
    client = _client(admin)
    assert (
        client.post(
            reverse("accounts:user-active", args=[analyst.public_id]), {"active": "no"}
        ).status_code
        == 302
    )
    assert not _fresh(analyst).is_active
    client.post(reverse("accounts:user-active", args=[analyst.public_id]), {"active": "yes"})
    assert _fresh(analyst).is_active
    client.post(reverse("accounts:user-second-factor-reset", args=[analyst.public_id]))
    client.post(reverse("accounts:user-unlock", args=[analyst.public_id]))
    for event in (
        "accounts.user_deactivated",
        "accounts.user_reactivated",
        "accounts.second_factor_reset",
        "accounts.sign_in_unlocked",
    ):
        assert_audited(event, action=AuditAction.UPDATE, actor=admin, subject=analyst)
    refused = client.post(
        reverse("accounts:user-active", args=[admin.public_id]), {"active": "no"}, follow=True
    )
    assert (
        "You cannot deactivate your own account." in refused.content.decode()
        and _fresh(admin).is_active
    )
    assert client.get(reverse("accounts:user-unlock", args=[analyst.public_id])).status_code == 405


def test_bulk_deactivation_from_the_list(personas: dict[str, Any]) -> None:
    admin = personas["administrator"]
    chosen = [personas["analyst"], personas["response_officer"]]
    response = _client(admin).post(
        reverse("accounts:users-deactivate"),
        {"users": [str(u.public_id) for u in chosen]},
        follow=True,
    )
    assert "2 users deactivated." in response.content.decode()
    assert not User.objects.filter(pk__in=[u.pk for u in chosen], is_active=True).exists()
    nothing = _client(admin).post(reverse("accounts:users-deactivate"), {}, follow=True)
    assert "Choose at least one user to deactivate" in nothing.content.decode()


def test_the_administrator_asks_and_the_idva_manager_approves(personas: dict[str, Any]) -> None:
    admin, manager, officer = (
        personas["administrator"],
        personas["idva_manager"],
        personas["joint_team_officer"],
    )
    asked = _client(admin).post(
        reverse("accounts:user-health-role-request", args=[officer.public_id]),
        {"role": "health_idva", "reason": "Joins the West IDVA team"},
    )
    assert (
        asked.status_code == 302 and role_of(_fresh(officer)) == ROLES_BY_SLUG["joint_team_officer"]
    )
    request = HealthRoleGrantRequest.objects.get(user=officer)
    page = (
        _client(admin)
        .get(reverse("accounts:user-detail", args=[officer.public_id]))
        .content.decode()
    )
    assert "A request is waiting for an IDVA manager" in page and "Ask an IDVA manager" not in page
    listing = _client(manager).get(GRANTS).content.decode()
    assert "Joins the West IDVA team" in listing
    detail = reverse("accounts:grant-detail", args=[request.public_id])
    assert "Record my decision" in _client(manager).get(detail).content.decode()
    decided = _client(manager).post(detail, {"decision": "approve", "note": ""})
    assert decided.status_code == 302 and role_of(_fresh(officer)) == ROLES_BY_SLUG["health_idva"]
    assert_audited(
        "accounts.health_role_approved", action=AuditAction.UPDATE, actor=manager, subject=officer
    )


def test_the_administrator_cannot_ask_for_itself_nor_decide(personas: dict[str, Any]) -> None:
    admin = personas["administrator"]
    client = _client(admin)
    refused = client.post(
        reverse("accounts:user-health-role-request", args=[admin.public_id]),
        {"role": "idva_manager", "reason": "I need to read the notes"},
    )
    assert (
        refused.status_code == 400
        and "You cannot ask for a health role for yourself." in refused.content.decode()
    )
    request = HealthRoleGrantRequest.objects.create(
        user=personas["analyst"],
        role="idva_manager",
        reason="Joins the IDVA team",
        requested_by=admin,
    )
    assert client.get(reverse("accounts:grant-detail", args=[request.public_id])).status_code == 404
    assert (
        client.post(
            reverse("accounts:grant-detail", args=[request.public_id]), {"decision": "approve"}
        ).status_code
        == 404
    )
    assert (
        role_of(_fresh(admin)) == ROLES_BY_SLUG["administrator"] and not _fresh(admin).is_superuser
    )


def test_a_refusal_without_a_note_is_shown_again(personas: dict[str, Any]) -> None:
    request = HealthRoleGrantRequest.objects.create(
        user=personas["analyst"],
        role="idva_manager",
        reason="Joins the IDVA team",
        requested_by=personas["administrator"],
    )
    response = _client(personas["idva_manager"]).post(
        reverse("accounts:grant-detail", args=[request.public_id]), {"decision": "refuse"}
    )
    assert (
        response.status_code == 400
        and "Say why you are refusing the request." in response.content.decode()
    )
    request.refresh_from_db()
    assert request.status == "pending"
