"""API errors are a 4xx with a reason in a JSON object, never a 500 for bad input: a model or
service refusing a value is a 400, two saves at once a 409, a value too large for the
arithmetic a 400; DRF's own answers keep their status, with a list of reasons made an object."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from provide.api.errors import OUT_OF_RANGE, exception_handler
from provide.people.models import Person
from provide.shared.conflicts import CONFLICT_REASON


def _answer(error: Exception) -> Any:
    response = exception_handler(error, {})
    assert response is not None, f"{error!r} was left to become a 500"
    return response


def test_a_model_refusing_fields_is_a_400_with_the_reasons_under_each_field() -> None:
    refused = DjangoValidationError(
        {"date_of_birth": ["Out of range."], "postcode": ["Not a postcode.", "Too long."]}
    )
    response = _answer(refused)
    assert response.status_code == 400
    assert response.data == {
        "date_of_birth": ["Out of range."],
        "postcode": ["Not a postcode.", "Too long."],
    }


def test_a_service_refusing_a_value_is_a_400_with_one_detail() -> None:
    response = _answer(DjangoValidationError(["The victim is not in your BCU.", "Try again."]))
    assert response.status_code == 400
    assert response.data == {"detail": "The victim is not in your BCU. Try again."}


def test_a_write_conflict_is_a_409_with_the_reason() -> None:
    response = _answer(IntegrityError("UNIQUE constraint failed: people_person.pseudonym"))
    assert response.status_code == 409 and response.data == {"detail": CONFLICT_REASON}


def test_a_date_too_large_for_the_arithmetic_is_a_400() -> None:
    with pytest.raises(OverflowError) as overflow:
        _ = dt.datetime.max.replace(tzinfo=dt.UTC) + dt.timedelta(days=1)
    response = _answer(overflow.value)
    assert response.status_code == 400 and response.data == {"detail": OUT_OF_RANGE}


def test_drf_answers_keep_their_status_and_a_list_of_reasons_becomes_an_object() -> None:
    listed = _answer(exceptions.ValidationError(["Give a reason.", "Say who asked."]))
    assert listed.status_code == 400
    assert listed.data == {"detail": "Give a reason. Say who asked."}
    by_field = _answer(exceptions.ValidationError({"reason": ["Give a reason."]}))
    assert by_field.data == {"reason": ["Give a reason."]}
    assert _answer(exceptions.NotFound("No such case in your area.")).status_code == 404
    denied = _answer(exceptions.PermissionDenied("Your role cannot see cases."))
    assert denied.status_code == 403 and denied.data == {"detail": "Your role cannot see cases."}


def test_anything_else_is_left_alone() -> None:
    assert exception_handler(ValueError("a bug"), {}) is None
    assert exception_handler(KeyError("victim"), {}) is None


class _SaveTheSamePersonTwice(APIView):
    """Stands in for an endpoint that loses a race: its second save hits a real unique
    constraint (the person's pseudonym), as the later of two simultaneous saves would."""

    permission_classes = [IsAuthenticated]

    def post(self, request: Request) -> Response:
        first = Person.objects.create(family_name="Kept", synthetic=True)
        with transaction.atomic():
            Person.objects.create(family_name="Refused", pseudonym=first.pseudonym, synthetic=True)
        return Response(status=201)  # pragma: no cover - the database refuses the second save


@pytest.mark.django_db
def test_an_endpoint_losing_a_save_race_answers_409_and_writes_nothing_of_the_refused_save(
    personas: dict[str, Any],
) -> None:
    request = APIRequestFactory().post("/api/people/", {}, format="json")
    force_authenticate(request, user=personas["triage_sergeant"])
    response = _SaveTheSamePersonTwice.as_view()(request)
    assert response.status_code == 409
    assert response.data == {"detail": CONFLICT_REASON}
    assert list(Person.objects.values_list("family_name", flat=True)) == ["Kept"]


@pytest.mark.django_db
def test_error_bodies_from_real_endpoints_are_objects_with_a_reason(
    personas: dict[str, Any],
) -> None:
    anonymous = APIClient().get("/api/cases/")
    assert anonymous.status_code == 401 and anonymous.json()["detail"]
    api = APIClient()
    api.force_authenticate(personas["analyst"])
    refused = api.get("/api/cases/")
    assert refused.status_code == 403 and refused.json() == {
        "detail": "Your role cannot see cases."
    }
    api.force_authenticate(personas["triage_sergeant"])
    bad_state = api.get("/api/cases/", {"state": "sideways"})
    assert bad_state.status_code == 400 and list(bad_state.json()) == ["state"]
    wrong_method = api.delete("/api/cases/")
    assert wrong_method.status_code == 405 and "DELETE" in wrong_method.json()["detail"]
