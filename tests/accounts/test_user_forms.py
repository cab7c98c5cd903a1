"""The user-management forms: which roles each offers, and what they refuse before any service runs."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict

from provide.accounts import user_forms
from provide.accounts.roles import ROLES_BY_SLUG
from provide.accounts.users import NO_ROLE, UserFilters

pytestmark = pytest.mark.django_db
HEALTH = {"health_idva", "idva_manager"}


def _values(form: Any, name: str) -> set[str]:
    return {value for value, _ in form.fields[name].choices if value}


def test_the_create_form_offers_health_roles_only_as_a_request() -> None:
    form = user_forms.UserCreateForm()
    assert not _values(form, "role") & HEALTH
    assert _values(form, "health_role") == HEALTH
    assert "is_superuser" not in form.fields and "groups" not in form.fields


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {
                "username": "a.b",
                "role": "analyst",
                "health_role": "idva_manager",
                "health_reason": "Joins the team",
            },
            "health_role",
            user_forms.ROLE_OR_HEALTH_ROLE,
        ),
        (
            {"username": "a.b", "health_role": "idva_manager", "health_reason": "short"},
            "health_reason",
            "Say why this person needs the role",
        ),
        (
            {
                "username": "a.b",
                "health_role": "idva_manager",
                "health_reason": "Joins the IDVA team",
                "password": "correct horse battery staple 9",
            },
            "password",
            user_forms.HEALTH_ACCOUNT_LEFT_EMPTY,
        ),
        ({"username": "a.b", "role": "analyst", "password": "password"}, "password", "too short"),
        ({"username": "has space", "role": "analyst"}, "username", "Enter a valid username"),
        ({"username": "", "role": "analyst"}, "username", user_forms.ENTER_USERNAME),
        ({"username": "a.b", "role": "superuser"}, "role", "Select a valid choice"),
        ({"username": "a.b", "role": "health_idva"}, "role", "Select a valid choice"),
    ],
)
def test_the_create_form_refuses(data: dict[str, str], field: str, message: str) -> None:
    form = user_forms.UserCreateForm(data)
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors


def test_the_create_form_gives_the_chosen_role(areas: dict[str, Any]) -> None:
    form = user_forms.UserCreateForm(
        {"username": "  kim.o  ", "role": "response_officer", "bcu": str(areas["west"].public_id)}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["username"] == "kim.o" and form.cleaned_data["bcu"] == areas["west"]
    assert form.chosen_role() == ROLES_BY_SLUG["response_officer"]
    assert user_forms.UserCreateForm({"username": "n.r"}).is_valid()


def test_the_edit_form_offers_a_health_role_only_to_whoever_holds_it() -> None:
    police = user_forms.UserEditForm(current_role=ROLES_BY_SLUG["joint_team_officer"])
    idva = user_forms.UserEditForm(current_role=ROLES_BY_SLUG["health_idva"])
    assert not _values(police, "role") & HEALTH
    assert _values(idva, "role") & HEALTH == {"health_idva"}
    assert not user_forms.UserEditForm(
        {"role": "idva_manager"}, current_role=ROLES_BY_SLUG["health_idva"]
    ).is_valid()


def test_the_filter_form_turns_into_filters(areas: dict[str, Any]) -> None:
    form = user_forms.UserFilterForm(
        {
            "q": "kim",
            "role": NO_ROLE,
            "bcu": str(areas["east"].public_id),
            "status": "inactive",
            "pending": "on",
        }
    )
    filters = form.filters()
    assert (filters.text, filters.role, filters.bcu, filters.status, filters.pending_request) == (
        "kim",
        NO_ROLE,
        areas["east"],
        "inactive",
        True,
    )
    assert user_forms.UserFilterForm({"role": "nonsense"}).filters() == UserFilters()


def test_a_grant_refusal_needs_a_note() -> None:
    assert not user_forms.GrantDecisionForm({"decision": "refuse"}).is_valid()
    assert user_forms.GrantDecisionForm({"decision": "approve"}).is_valid()
    assert not user_forms.GrantDecisionForm({}).is_valid()


def test_the_health_role_request_form_trims_the_reason() -> None:
    form = user_forms.HealthRoleRequestForm(
        {"role": "health_idva", "reason": "  Joins   the West team \n"}
    )
    assert form.is_valid() and form.cleaned_data["reason"] == "Joins the West team"
    assert not user_forms.HealthRoleRequestForm(
        {"role": "administrator", "reason": "Joins the team"}
    ).is_valid()


def test_bulk_deactivation_takes_the_ticked_public_ids() -> None:
    good = QueryDict(mutable=True)
    good.setlist("users", ["5f0c7d4e-55a7-4a53-9c9b-3fd8b8a5e0a1"])
    form = user_forms.BulkDeactivateForm(good)
    assert form.is_valid() and [str(u) for u in form.user_ids] == [
        "5f0c7d4e-55a7-4a53-9c9b-3fd8b8a5e0a1"
    ]
    bad = QueryDict(mutable=True)
    bad.setlist("users", ["1"])
    assert not user_forms.BulkDeactivateForm(bad).is_valid()
    assert not user_forms.BulkDeactivateForm(QueryDict()).is_valid()
