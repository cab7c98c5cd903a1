"""Every page's template context: the service's name, the synthetic-data banner, the user's role
and the navigation links that role may follow."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory, override_settings

from provide.accounts.roles import ROLES_BY_SLUG
from provide.web.context_processors import navigation


def _request(user: Any = None) -> Any:
    request = RequestFactory().get("/")
    if user is not None:
        request.user = user
    return request


@override_settings(PROVIDE_SERVICE_NAME="Provide (training)", PROVIDE_SHOW_SYNTHETIC_BANNER=False)
def test_a_request_before_authentication_gets_the_service_and_no_navigation() -> None:
    assert navigation(_request()) == {
        "service_name": "Provide (training)",
        "show_synthetic_banner": False,
        "current_role": None,
        "nav_items": [],
    }
    assert navigation(_request(AnonymousUser()))["nav_items"] == []


@pytest.mark.django_db
def test_a_signed_in_user_gets_their_role_and_the_links_it_may_follow(
    personas: dict[str, Any],
) -> None:
    sergeant = navigation(_request(personas["triage_sergeant"]))
    administrator = navigation(_request(personas["administrator"]))
    assert sergeant["current_role"] == ROLES_BY_SLUG["triage_sergeant"]
    assert sergeant["show_synthetic_banner"] is True  # the test settings show it
    sergeant_keys = [item["key"] for item in sergeant["nav_items"]]
    administrator_keys = [item["key"] for item in administrator["nav_items"]]
    assert "audit" in administrator_keys and "audit" not in sergeant_keys
    assert "people-matches" in sergeant_keys
    assert all(item["url"].startswith("/") and item["label"] for item in sergeant["nav_items"])


@pytest.mark.django_db
def test_the_health_side_links_are_offered_to_health_roles_only(personas: dict[str, Any]) -> None:
    def keys(slug: str) -> set[str]:
        return {item["key"] for item in navigation(_request(personas[slug]))["nav_items"]}

    assert "tracker" in keys("health_idva") and "tracker" in keys("idva_manager")
    assert not any(
        "tracker" in keys(slug) for slug in ("triage_sergeant", "joint_team_officer", "analyst")
    )
