"""Who may see the board, decide, see and edit the policy, and see the stale lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from provide.accounts.roles import ALL_ROLES
from provide.triage.policies import (
    can_decide_triage,
    can_edit_policy,
    can_view_board,
    can_view_policy,
    can_view_stale_lists,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("policy", "allowed"),
    [
        (can_view_board, {"triage_sergeant"}),
        (can_decide_triage, {"triage_sergeant"}),
        (can_view_policy, {"triage_sergeant", "administrator"}),
        (can_edit_policy, {"administrator"}),
        (can_view_stale_lists, {"triage_sergeant", "idva_manager"}),
    ],
)
def test_each_triage_door_opens_for_its_roles_only(
    policy: Callable[[Any], bool], allowed: set[str], make_user: Any
) -> None:
    assert {role.slug for role in ALL_ROLES if policy(make_user(role.slug))} == allowed
    assert not policy(AnonymousUser())
