"""Two saves at the same moment: a 409 with a reason, never a 500.

Services guard the records people edit together with optimistic locks (a visit's
``lock_version``) and unique constraints. When two saves still collide in the database, it
refuses one of them: an ``IntegrityError`` (a unique record saved twice), or, under load, an
``OperationalError`` for a lock (SQLite's "database is locked" once its wait runs out;
PostgreSQL's serialization failure, deadlock or lock timeout). Both mean "try again", not "the
service is broken": :func:`is_write_conflict` recognises them, the API answers 409 with
:data:`CONFLICT_REASON` (``provide.api.errors``) and :class:`WriteConflictMiddleware` shows the
pages' conflict screen (``conflict.html``, 409).

The refused save's transaction has been rolled back by then, so nothing of it was written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import IntegrityError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

logger = logging.getLogger(__name__)

CONFLICT_REASON = (
    "This change clashes with one saved at the same moment (someone else may be working on "
    "the same record). Nothing of it was saved: reload to see the latest version and try again."
)
LOCK_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
"""PostgreSQL: serialization_failure, deadlock_detected, lock_not_available."""
SQLITE_LOCKED = ("database is locked", "database table is locked")


def is_write_conflict(error: BaseException) -> bool:
    """True when the database refused a save because another save got there first."""
    if isinstance(error, IntegrityError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in LOCK_SQLSTATES:
        return True
    return any(text in str(error) for text in SQLITE_LOCKED)


class WriteConflictMiddleware:
    """Pages: a write conflict from a view becomes the conflict screen (409), logged."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_write_conflict(exception):
            return None
        logger.warning(
            "write conflict on %s %s: %s", request.method, request.path, exception, exc_info=True
        )
        return render(
            request,
            "conflict.html",
            {"page_title": "Not saved", "reason": CONFLICT_REASON, "again": _page_before(request)},
            status=409,
        )


def _page_before(request: HttpRequest) -> str:
    """The page the user saved from (this site's, from the Referer), to load it afresh;
    otherwise the page asked for when it was a read, or the home page."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return request.get_full_path() if request.method == "GET" else "/"
