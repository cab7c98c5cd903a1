"""Two saves at once: the database refuses one, and the user gets a 409 with the reason (the
conflict page, or the API's JSON), never a 500; nothing of the refused save is written."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path
from django.utils.html import escape

from provide.api.errors import exception_handler
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


def _save_the_same_person_twice(request: HttpRequest) -> HttpResponse:
    """Stands in for a page that loses a race: its second save hits a real unique constraint
    (the person's pseudonym), as the later of two simultaneous saves would."""
    first = Person.objects.create(family_name="Kept", synthetic=True)
    with transaction.atomic():
        Person.objects.create(family_name="Refused", pseudonym=first.pseudonym, synthetic=True)
    return HttpResponse("saved")  # pragma: no cover - the database refuses the second save


urlpatterns = [
    path("conflict-test/save-twice/", _save_the_same_person_twice),
    path("", include("provide.config.urls")),
]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_page_losing_a_save_race_shows_the_conflict_page_through_the_whole_stack(
    make_user: Callable[..., Any],
) -> None:
    client = Client()
    client.force_login(make_user("joint_team_officer"))
    response = client.post("/conflict-test/save-twice/", HTTP_REFERER="http://testserver/visits/")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Your change was not saved" in html and 'href="http://testserver/visits/"' in html
    assert escape(CONFLICT_REASON) in html
    assert list(Person.objects.values_list("family_name", flat=True)) == ["Kept"]


@pytest.fixture
def table_locked_elsewhere() -> Iterator[None]:
    """Another connection holds an exclusive lock on the people table (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("a lock timeout is PostgreSQL's; SQLite's 'database is locked' is above")
    psycopg = pytest.importorskip("psycopg")
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"],
        port=settings["PORT"] or None,
    )
    try:
        other.execute(f"LOCK TABLE {Person._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        yield
    finally:
        other.rollback()
        other.close()


@pytest.mark.django_db(transaction=True)
def test_a_real_lock_timeout_is_a_conflict_for_the_pages_and_the_api(
    table_locked_elsewhere: None, make_user: Callable[..., Any]
) -> None:
    with pytest.raises(OperationalError) as timed_out, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '50ms'")
        Person.objects.create(family_name="Waiting", synthetic=True)
    assert getattr(timed_out.value.__cause__, "sqlstate", None) == "55P03"
    assert is_write_conflict(timed_out.value)
    api = exception_handler(timed_out.value, {})
    assert api is not None and api.status_code == 409
    assert api.data == {"detail": CONFLICT_REASON}
    request = RequestFactory().post("/visits/x/")
    request.user = make_user("joint_team_officer")
    page = WriteConflictMiddleware(lambda request: HttpResponse()).process_exception(
        request, timed_out.value
    )
    assert page is not None and page.status_code == 409
