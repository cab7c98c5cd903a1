"""API errors are 4xx with a reason, never a 500 for bad input.

DRF's handler answers its own exceptions (400, 401, 403, 404, 405, 415...); this one adds:

* a Django ``ValidationError`` (a model or service refusing a value): 400 with the reasons;
* a write conflict (two saves at once, :mod:`provide.shared.conflicts`): 409 with the reason;
* an ``OverflowError`` (a date or number too large for the arithmetic that follows, such as
  a year-9999 time plus a day): 400. Serializers refuse such values first; this is the net.

Every error body is a JSON object (the ``Error`` schema in ``provide.api.schema``): a bare
list of reasons (DRF's shape for ``ValidationError("...")``) becomes ``{"detail": ...}``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from provide.shared.conflicts import CONFLICT_REASON, is_write_conflict

logger = logging.getLogger(__name__)

OUT_OF_RANGE = "A date or number in the request is out of the range Provide can work with."


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        detail: dict[str, Any] = {"detail": " ".join(exc.messages)}
        if hasattr(exc, "error_dict"):
            detail = dict(exc.message_dict)
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if is_write_conflict(exc):
        logger.warning("API write conflict: %s", exc, exc_info=True)
        return Response({"detail": CONFLICT_REASON}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, OverflowError):
        logger.warning("API value out of range: %s", exc, exc_info=True)
        return Response({"detail": OUT_OF_RANGE}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(str(reason) for reason in response.data)}
    return response
