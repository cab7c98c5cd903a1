"""The admin is a door like any other: what it shows, creates, changes and deletes is audited,
naming the record (and the person it is about)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from provide.areas.models import Station
from provide.audit.models import AuditAction, AuditEvent
from provide.planning.models import Team
from provide.safeguarding.models import MaracAction, MaracCase
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(personas: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(personas["administrator"])
    return client


@pytest.fixture
def team(areas: dict[str, Any]) -> Team:
    return Team.objects.create(
        name="West A",
        bcu=areas["west"],
        base=Station.objects.get(name="Blackpool Police HQ"),
        vehicle="PV1",
    )


def _team_form(team: Team, **changes: Any) -> dict[str, Any]:
    return {
        "name": team.name,
        "bcu": team.bcu_id,
        "base": team.base_id,
        "vehicle": team.vehicle,
        **changes,
    }


def _admin_events() -> list[str]:
    return list(
        AuditEvent.objects.filter(event__endswith="_in_admin")
        .order_by("id")
        .values_list("event", flat=True)
    )


def test_admin_views_and_changes_are_audited(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    admin_user = personas["administrator"]
    admin_user.user_permissions.add(Permission.objects.get(codename="view_person"))
    client = Client()
    client.force_login(admin_user)
    response = client.get(reverse("admin:people_person_change", args=[west_case["victim"].pk]))
    assert response.status_code == 200
    assert_audited(
        "people.person_viewed_in_admin",
        action=AuditAction.VIEW,
        actor=admin_user,
        subject=west_case["victim"],
        person=west_case["victim"],
    )


def test_opening_a_record_in_the_admin_is_a_view_event(
    admin_client: Client, personas: dict[str, Any], team: Team
) -> None:
    assert (
        admin_client.get(reverse("admin:planning_team_change", args=[team.pk])).status_code == 200
    )
    assert_audited(
        "planning.team_viewed_in_admin",
        action=AuditAction.VIEW,
        actor=personas["administrator"],
        subject=team,
    )


def test_a_missing_record_or_a_refused_page_is_not_a_view(
    admin_client: Client, personas: dict[str, Any], team: Team
) -> None:
    assert (
        admin_client.get(reverse("admin:planning_team_change", args=[team.pk + 1000])).status_code
        == 302
    )
    sergeant = Client()
    sergeant.force_login(personas["triage_sergeant"])  # not staff
    assert sergeant.get(reverse("admin:planning_team_change", args=[team.pk])).status_code == 302
    assert _admin_events() == []


def test_a_change_is_audited_with_the_fields_changed_and_not_as_a_view(
    admin_client: Client, personas: dict[str, Any], team: Team
) -> None:
    response = admin_client.post(
        reverse("admin:planning_team_change", args=[team.pk]), _team_form(team, vehicle="PV9")
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.vehicle == "PV9"
    event = assert_audited(
        "planning.team_updated_in_admin",
        action=AuditAction.UPDATE,
        actor=personas["administrator"],
        subject=team,
    )
    assert event.changes == {"fields": ["vehicle"]}
    assert _admin_events() == ["planning.team_updated_in_admin"]


def test_a_form_sent_back_with_an_error_changes_and_audits_nothing(
    admin_client: Client, team: Team
) -> None:
    response = admin_client.post(
        reverse("admin:planning_team_change", args=[team.pk]), _team_form(team, name="")
    )
    assert response.status_code == 200
    assert _admin_events() == []


def test_a_record_added_in_the_admin_is_a_create_event(
    admin_client: Client, personas: dict[str, Any], areas: dict[str, Any], team: Team
) -> None:
    response = admin_client.post(
        reverse("admin:planning_team_add"), _team_form(team, name="West B", vehicle="PV2")
    )
    assert response.status_code == 302
    added = Team.objects.get(name="West B")
    event = assert_audited(
        "planning.team_created_in_admin",
        action=AuditAction.CREATE,
        actor=personas["administrator"],
        subject=added,
    )
    assert event.changes == {}


def test_a_deletion_is_audited_naming_the_deleted_record(
    admin_client: Client, personas: dict[str, Any], team: Team
) -> None:
    administrator = personas["administrator"]
    administrator.user_permissions.add(Permission.objects.get(codename="delete_team"))
    public_id = team.public_id
    response = admin_client.post(
        reverse("admin:planning_team_delete", args=[team.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and not Team.objects.filter(pk=team.pk).exists()
    event = assert_audited(
        "planning.team_deleted_in_admin",
        action=AuditAction.DELETE,
        actor=administrator,
        subject=team,
    )
    assert event.object_id == str(public_id)


def test_records_deleted_from_the_list_page_are_each_audited(
    admin_client: Client, personas: dict[str, Any], areas: dict[str, Any], team: Team
) -> None:
    administrator = personas["administrator"]
    administrator.user_permissions.add(Permission.objects.get(codename="delete_team"))
    other = Team.objects.create(name="West B", bcu=areas["west"], base=team.base, vehicle="PV2")
    response = admin_client.post(
        reverse("admin:planning_team_changelist"),
        {"action": "delete_selected", "_selected_action": [team.pk, other.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not Team.objects.exists()
    for deleted in (team, other):
        assert_audited(
            "planning.team_deleted_in_admin",
            action=AuditAction.DELETE,
            actor=administrator,
            subject=deleted,
        )


def test_a_record_added_inline_is_audited(
    admin_client: Client, personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    administrator = personas["administrator"]
    administrator.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "view_maraccase",
                "change_maraccase",
                "view_maracaction",
                "add_maracaction",
            ]
        )
    )
    case = MaracCase.objects.create(
        victim=west_case["victim"], criterion="visible_high_risk", meeting_on=dt.date(2026, 5, 1)
    )
    response = admin_client.post(
        reverse("admin:safeguarding_maraccase_change", args=[case.pk]),
        {
            "victim": case.victim_id, "criterion": case.criterion, "meeting_on": "2026-05-01",
            "actions-TOTAL_FORMS": "1", "actions-INITIAL_FORMS": "0", "actions-MIN_NUM_FORMS": "0",
            "actions-MAX_NUM_FORMS": "1000", "actions-0-agency": "Housing",
            "actions-0-action": "Find her a safe place to stay",
        },
    )  # fmt: skip
    assert response.status_code == 302
    action = MaracAction.objects.get(case=case)
    assert AuditEvent.objects.filter(
        actor=administrator,
        action=AuditAction.CREATE,
        object_type="safeguarding.maracaction",
        object_id=str(action.public_id),
    ).exists(), list(
        AuditEvent.objects.filter(event__endswith="_in_admin").values("event", "changes")
    )
