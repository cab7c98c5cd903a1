"""Who opens the evaluation dashboard, and who sees the full figures rather than the published ones."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from provide.accounts.roles import ALL_ROLES
from provide.evaluation.policies import can_view_evaluation, can_view_full_evaluation

pytestmark = pytest.mark.django_db


def test_the_dashboard_opens_for_the_analyst_the_sergeant_and_the_idva_manager(
    make_user: Any,
) -> None:
    users = {role.slug: make_user(role.slug) for role in ALL_ROLES}
    assert {slug for slug, user in users.items() if can_view_evaluation(user)} == {
        "analyst",
        "triage_sergeant",
        "idva_manager",
    }
    assert {slug for slug, user in users.items() if can_view_full_evaluation(user)} == {
        "idva_manager"
    }
    assert not can_view_evaluation(AnonymousUser()) and not can_view_full_evaluation(
        AnonymousUser()
    )


def test_the_full_figures_need_the_dashboard_permission_too(make_user: Any) -> None:
    assert not can_view_full_evaluation(make_user("health_idva"))
