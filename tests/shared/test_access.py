"""The shared access helpers: a malformed, missing or hidden record is the same 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from provide.people.models import Person
from provide.shared.access import RecordNotFound, bcu_scope, get_by_public_id, get_for_user_or_404


@pytest.mark.django_db
def test_get_by_public_id_finds_the_record_and_refuses_missing_or_malformed_ids() -> None:
    person = Person.objects.create(force_person_ref="P-1")
    assert get_by_public_id(Person.objects.all(), person.public_id) == person
    assert get_by_public_id(Person.objects.all(), str(person.public_id)) == person
    for bad in ("00000000-0000-0000-0000-000000000000", "not-a-uuid", None):
        with pytest.raises(RecordNotFound):
            get_by_public_id(Person.objects.all(), bad)  # type: ignore[arg-type]
    with pytest.raises(RecordNotFound):
        get_by_public_id(Person.objects.exclude(pk=person.pk), person.public_id)


def test_get_for_user_or_404_passes_the_record_through_and_turns_not_found_into_404() -> None:
    def found(*, user: Any, record_id: str) -> str:
        return f"{user}:{record_id}"

    def hidden(*, user: Any, record_id: str) -> str:
        raise RecordNotFound

    assert get_for_user_or_404(found, user="u", record_id="r") == "u:r"
    with pytest.raises(Http404):
        get_for_user_or_404(hidden, user="u", record_id="r")


@pytest.mark.django_db
def test_bcu_scope_is_the_users_bcu_or_none_for_force_wide_roles(personas: dict[str, Any]) -> None:
    sergeant = personas["triage_sergeant"]
    assert sergeant.bcu is not None and bcu_scope(sergeant) == sergeant.bcu
    assert bcu_scope(object()) is None
