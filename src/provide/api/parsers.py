"""The API's JSON parser: DRF's, with a limit on how deeply a body may nest.

Python's JSON decoder recurses once per level, so a body of 100,000 ``[`` would exhaust the
stack (a ``RecursionError``, a 500). No request of the API nests more than a few levels
(an incident's ``victim`` is the deepest, at two), so a body nested deeper than
:data:`MAX_DEPTH` is refused as malformed: a 400 with :data:`TOO_DEEP`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 20
TOO_DEEP = f"JSON parse error - the body nests more than {MAX_DEPTH} levels deep"


def json_depth(value: Any) -> int:
    """How many arrays and objects deep ``value`` nests (0 for a scalar), without recursing."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth + 1)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class DepthLimitedJSONParser(JSONParser):
    """JSONParser that answers 400 for a body nested more than :data:`MAX_DEPTH` levels."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if json_depth(data) > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        return data
