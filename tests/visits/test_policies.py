"""Who may see and change which part of a visit: shared, police side, consultations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from provide.accounts.roles import ALL_ROLES
from provide.visits.models import Consultation
from provide.visits.policies import (
    can_advise_on_consultation,
    can_edit_police_record,
    can_edit_visit,
    can_log_consultation,
    can_start_visit,
    can_view_consultations,
    can_view_police_record,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("policy", "allowed"),
    [
        (can_start_visit, {"joint_team_officer", "health_idva"}),
        (can_edit_visit, {"joint_team_officer", "health_idva"}),
        (can_view_police_record, {"joint_team_officer"}),
        (can_edit_police_record, {"joint_team_officer"}),
        (can_log_consultation, {"joint_team_officer", "response_officer"}),
        (
            can_view_consultations,
            {"joint_team_officer", "response_officer", "health_idva", "idva_manager"},
        ),
    ],
)
def test_each_visit_door_opens_for_its_roles_only(
    policy: Callable[[Any], bool], allowed: set[str], make_user: Any
) -> None:
    assert {role.slug for role in ALL_ROLES if policy(make_user(role.slug))} == allowed
    assert not policy(AnonymousUser())


def test_an_idva_advises_on_consultations_addressed_to_them_or_to_no_one(make_user: Any) -> None:
    idva = make_user("health_idva")
    other_idva = make_user("health_idva", username="second-idva")
    assert can_advise_on_consultation(idva, Consultation(idva=None))
    assert can_advise_on_consultation(idva, Consultation(idva=idva))
    assert not can_advise_on_consultation(idva, Consultation(idva=other_idva))
    assert not can_advise_on_consultation(make_user("joint_team_officer"), Consultation(idva=None))
