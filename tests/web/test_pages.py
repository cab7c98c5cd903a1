"""Each role signs in and lands on its own home page showing what it works with."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from provide.accounts.roles import ALL_ROLES
from tests.cast import PASSWORD

HOME_HEADINGS = {
    "response_officer": "Response officer",
    "triage_sergeant": "Triage",
    "joint_team_officer": "Joint team",
    "health_idva": "Health IDVA",
    "idva_manager": "IDVA service",
    "safeguarding_officer": "Safeguarding and MARAC",
    "analyst": "Analysis",
    "administrator": "Administration",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda r: r.slug)
def test_each_role_signs_in_to_its_own_home(
    role: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    make_user(role.slug)
    client = Client()
    response = client.post(
        reverse("web:sign-in"),
        {"username": role.slug.replace("_", "."), "password": PASSWORD},
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{HOME_HEADINGS[role.slug]}</h1>' in html
    assert role.name in html  # "Signed in as ... · <role>"


@pytest.mark.django_db
def test_sergeant_home_lists_the_last_24_hours_in_their_bcu_only(
    personas: dict[str, Any], west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(personas["triage_sergeant"])
    html = client.get(reverse("web:home")).content.decode()
    assert "WB/2026/000001" in html
    assert "EB/2026/000001" not in html


@pytest.mark.django_db
def test_analyst_home_shows_counts_and_no_names(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(personas["analyst"])
    html = client.get(reverse("web:home")).content.decode()
    assert "West" in html
    assert "Westby" not in html and "Alice" not in html


@pytest.mark.django_db
def test_wrong_password_re_shows_the_user_name_with_the_error(personas: dict[str, Any]) -> None:
    response = Client().post(reverse("web:sign-in"), {"username": "analyst", "password": "nope"})
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'value="analyst"' in html


def test_pages_need_sign_in(client: Client) -> None:
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and reverse("web:sign-in") in response["Location"]


@pytest.mark.django_db
def test_idva_manager_reaches_the_stale_list_but_not_the_police_triage_board(
    personas: dict[str, Any],
) -> None:
    client = Client()
    client.force_login(personas["idva_manager"])
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("triage:stale") in home
    assert client.get(reverse("triage:stale")).status_code == 200
    assert client.get(reverse("triage:board")).status_code in (403, 404)
