"""Access checks every app shares: "not found" that hides "not yours", and the user's area.

Selectors raise :class:`RecordNotFound` for a record that is missing *and* for one the user may
not see, so a caller cannot tell the two apart; pages turn it into a 404 with
:func:`get_for_user_or_404`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

RecordT = TypeVar("RecordT")
ModelT = TypeVar("ModelT", bound=Model)


class RecordNotFound(Exception):
    """Missing and forbidden look the same to the caller (a 404)."""


def bcu_scope(user: object) -> Any:
    """The BCU a user's work is limited to, or None for force-wide roles."""
    return getattr(user, "bcu", None)


def get_by_public_id(records: QuerySet[ModelT], public_id: uuid.UUID | str) -> ModelT:
    """The one record of ``records`` with this public UUID, or RecordNotFound (also for a
    malformed id)."""
    try:
        return records.get(public_id=public_id)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None


def get_for_user_or_404(selector: Callable[..., RecordT], /, **arguments: Any) -> RecordT:
    """Call an access-checked selector for a page; RecordNotFound becomes Http404."""
    try:
        return selector(**arguments)
    except RecordNotFound:
        raise Http404 from None
