"""Two saves at once: the database refuses one, and the user gets a 409 with the reason (the
conflict page, or the API's JSON), never a 500; nothing of the refused save is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from provide.people.models import Person
from provide.shared.conflicts import (
    CONFLICT_REASON,
    WriteConflictMiddleware,
    is_write_conflict,
)


class _Cause(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _operational(message: str, sqlstate: str | None = None) -> OperationalError:
    error = OperationalError(message)
    if sqlstate:
        error.__cause__ = _Cause(sqlstate)
    return error


@pytest.mark.django_db
def test_a_real_unique_clash_is_a_write_conflict() -> None:
    person = Person.objects.create(family_name="A", synthetic=True)
    with pytest.raises(IntegrityError) as clash, transaction.atomic():
        Person.objects.create(family_name="B", pseudonym=person.pseudonym, synthetic=True)
    assert is_write_conflict(clash.value)
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("error", "conflict"),
    [(_operational("database is locked"), True), (_operational("deadlock", "40P01"), True),
     (_operational("could not serialize", "40001"), True), (_operational("timeout", "55P03"), True),
     (_operational("connection refused"), False), (ValueError("no"), False)],
)  # fmt: skip
def test_which_database_refusals_mean_try_again(error: Exception, conflict: bool) -> None:
    assert is_write_conflict(error) is conflict


@pytest.mark.django_db
def test_the_middleware_shows_the_conflict_page_with_a_way_back(personas: dict[str, Any]) -> None:
    middleware = WriteConflictMiddleware(lambda request: HttpResponse())
    request: HttpRequest = RequestFactory().post(
        "/visits/x/", HTTP_REFERER="http://testserver/visits/x/"
    )
    request.user = personas["joint_team_officer"]
    response = middleware.process_exception(request, IntegrityError("duplicate key"))
    assert response is not None and response.status_code == 409
    html = response.content.decode()
    assert CONFLICT_REASON.split(":")[0] in html and 'href="http://testserver/visits/x/"' in html
    elsewhere = RequestFactory().post("/visits/x/", HTTP_REFERER="https://evil.example/")
    elsewhere.user = personas["joint_team_officer"]
    page = middleware.process_exception(elsewhere, IntegrityError("duplicate key"))
    assert page is not None and "evil.example" not in page.content.decode()
    assert middleware.process_exception(request, ValueError("not ours")) is None
