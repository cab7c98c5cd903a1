"""The API's JSON parser refuses a body nested deeper than any request needs: a 400, never a
RecursionError (a 500)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from rest_framework.exceptions import ParseError

from provide.api.parsers import MAX_DEPTH, TOO_DEEP, DepthLimitedJSONParser, json_depth
from provide.api.tokens import api_token_issue


def test_depth_is_counted_without_recursing() -> None:
    assert json_depth(1) == 0
    assert json_depth({"a": [1, {"b": []}]}) == 4
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    assert json_depth(deep) == 100_001


@pytest.mark.django_db
@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 100_000])
def test_a_body_nested_too_deep_is_a_400_with_the_reason(
    levels: int, make_user: Any, west_case: dict[str, Any]
) -> None:
    token = api_token_issue(user=make_user("triage_sergeant"), issued_by="test").key
    body = "[" * levels + "]" * levels
    response = Client().post("/api/incidents/", body, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Token {token}")  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {"detail": TOO_DEEP}


@pytest.mark.django_db
def test_a_body_within_the_limit_reaches_the_view(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    token = api_token_issue(user=make_user("triage_sergeant"), issued_by="test").key
    response = Client().post("/api/incidents/", {"bcu": "West"}, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Token {token}")  # fmt: skip
    assert response.status_code == 400
    assert "occurred_at" in response.json(), "the view's own validation answered"


def test_the_parser_takes_exactly_max_depth_levels_and_refuses_one_more() -> None:
    parser = DepthLimitedJSONParser()
    deepest = ("[" * MAX_DEPTH + "]" * MAX_DEPTH).encode()
    assert json_depth(parser.parse(io.BytesIO(deepest))) == MAX_DEPTH
    one_more = ('{"a": ' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)).encode()
    with pytest.raises(ParseError, match=TOO_DEEP):
        parser.parse(io.BytesIO(one_more))
    with pytest.raises(ParseError):
        parser.parse(io.BytesIO(b"{not json"))
