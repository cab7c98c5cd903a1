"""The signed-in user of a request: the user model itself, never the anonymous user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.functional import SimpleLazyObject

from provide.accounts.http import signed_in_user
from provide.accounts.models import User


@pytest.mark.django_db
def test_a_signed_in_user_is_passed_on_unchanged(personas: dict[str, User]) -> None:
    officer = personas["response_officer"]

    assert signed_in_user(officer) is officer


@pytest.mark.django_db
def test_the_lazy_user_django_puts_on_a_request_counts_as_signed_in(
    personas: dict[str, User],
) -> None:
    sergeant = personas["triage_sergeant"]
    lazy = SimpleLazyObject(lambda: sergeant)

    user = signed_in_user(lazy)  # type: ignore[arg-type]

    assert user == sergeant
    assert user.username == sergeant.username


def test_the_anonymous_user_is_refused() -> None:
    with pytest.raises(PermissionDenied):
        signed_in_user(AnonymousUser())
