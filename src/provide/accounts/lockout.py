"""Throttling and lockout of password sign-in (django-axes), and the administrator's unlock.

django-axes counts failed password sign-ins in the database, per account (the username typed)
and per address (the IP address), separately: ``AXES_FAILURE_LIMIT`` failures
(``PROVIDE_LOCKOUT_FAILURES``, default 5) within the cool-off (``PROVIDE_LOCKOUT_MINUTES``,
default 30) lock that account, from anywhere, and that address, for any account, until the
cool-off has passed since the last counted failure or an administrator unlocks it. While
locked, even the right password is refused; those refusals are not counted, so the lock ends
when the page says it will. A successful sign-in clears the account's count.

This module holds the pieces Provide adds:

- :func:`lockout_response`: the page a locked-out sign-in gets (``AXES_LOCKOUT_CALLABLE``);
- :func:`record_lockout`: the audit event ``accounts.locked_out``, once per lock (connected to
  axes' ``user_locked_out`` signal in ``AccountsConfig.ready``);
- :func:`sign_in_unlock` and :func:`sign_in_unlock_address`: the administrator's unlock, audited
  (``provide unlock-user``, and the user-management page);
- :func:`sign_in_lockouts`: the accounts and addresses locked now, for that page;
- :func:`client_address`: the address counted, behind reverse proxies too
  (``AXES_CLIENT_IP_CALLABLE``);
- :func:`is_exempt_from_lockout`: the single sign-on callback is not counted
  (``AXES_WHITELIST_CALLABLE``): the identity provider checks the password and throttles it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from axes.handlers.proxy import AxesProxyHandler  # type: ignore[import-untyped, unused-ignore]
from axes.models import AccessAttempt  # type: ignore[import-untyped, unused-ignore]
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_ipv46_address
from django.db import transaction
from django.db.models import Max, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from provide.accounts.models import User
from provide.accounts.services import Actor
from provide.audit.models import AuditAction
from provide.audit.services import audit_record

LOCKOUT_TEMPLATE = "accounts/sign_in_locked.html"
LOCKED_STATUS = 429  # Too Many Requests
UNLOCK_FORBIDDEN = "Only an administrator can unlock sign-in."
BAD_ADDRESS = "That is not an IP address."
ACCOUNT = "account"
ADDRESS = "address"


@dataclass(frozen=True)
class Lockout:
    """An account (a username) or an address (an IP) that cannot sign in now."""

    kind: str  # ACCOUNT or ADDRESS
    value: str
    failures: int
    last_failure_at: dt.datetime
    ends_at: dt.datetime | None  # None: until an administrator unlocks it


def cool_off() -> dt.timedelta | None:
    """How long a lock lasts after the last counted failure (None: until unlocked)."""
    value = settings.AXES_COOLOFF_TIME
    if value is None or isinstance(value, dt.timedelta):
        return value
    raise TypeError("AXES_COOLOFF_TIME must be a timedelta or None")


def failure_limit() -> int:
    return int(settings.AXES_FAILURE_LIMIT)


def _counted(now: dt.datetime) -> QuerySet[Any]:
    """The failures that still count at ``now`` (those within the cool-off)."""
    attempts: QuerySet[Any] = AccessAttempt.objects.all()
    length = cool_off()
    return attempts if length is None else attempts.filter(attempt_time__gte=now - length)


def _ends_at(last_failure_at: dt.datetime) -> dt.datetime | None:
    length = cool_off()
    return None if length is None else last_failure_at + length


def _failures(attempts: QuerySet[Any]) -> tuple[int, dt.datetime | None]:
    totals = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    return int(totals["failures"] or 0), totals["last"]


def sign_in_lockouts(*, user: Actor, now: dt.datetime | None = None) -> list[Lockout]:
    """The accounts and addresses locked at ``now`` (default: now), accounts first."""
    if not can_unlock_sign_in(user):
        raise PermissionDenied(UNLOCK_FORBIDDEN)
    now = now or timezone.now()
    attempts = _counted(now)
    locked: list[Lockout] = []
    for kind, field in ((ACCOUNT, "username"), (ADDRESS, "ip_address")):
        rows = (
            attempts.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=failure_limit())
            .order_by(field)
        )
        locked.extend(
            Lockout(kind, str(row[field]), int(row["failures"]), row["last"], _ends_at(row["last"]))
            for row in rows
        )
    return locked


def lockout_ends_at(
    *, username: str | None, ip_address: str | None, now: dt.datetime | None = None
) -> dt.datetime | None:
    """When the lock on this account or address ends (None: when an administrator unlocks it)."""
    criteria = Q(pk__in=[])
    if username:
        criteria |= Q(username=username)
    if ip_address:
        criteria |= Q(ip_address=ip_address)
    _, last = _failures(_counted(now or timezone.now()).filter(criteria))
    return _ends_at(last or timezone.now())


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The GOV.UK page for a refused sign-in: why, until when, and whom to ask (HTTP 429)."""
    username = (credentials or {}).get("username") or request.POST.get("username") or None
    ends_at = lockout_ends_at(
        username=username, ip_address=getattr(request, "axes_ip_address", None)
    )
    length = cool_off()
    local_end = timezone.localtime(ends_at) if ends_at else None
    context = {
        "page_title": "You cannot sign in at the moment",
        "ends_at": local_end,
        "ends_on_other_day": local_end is not None and local_end.date() != timezone.localdate(),
        "cool_off_minutes": int(length.total_seconds() // 60) if length else None,
        "failure_limit": failure_limit(),
    }
    return render(request, LOCKOUT_TEMPLATE, context, status=LOCKED_STATUS)


LOCKED_BY_THIS_FAILURE = "wrong password: this failure locked sign-in"
REFUSED_WHILE_LOCKED = "refused: sign-in is locked (the password was not checked)"


def failure_reason(request: HttpRequest) -> str:
    """What the audit log says about a failed sign-in: why, when a lock was involved."""
    if not getattr(request, "axes_locked_out", False):
        return ""
    counted = getattr(request, "axes_failures_since_start", None) is not None
    return LOCKED_BY_THIS_FAILURE if counted else REFUSED_WHILE_LOCKED


def record_lockout(
    sender: object,
    request: HttpRequest,
    username: str | None = None,
    ip_address: str | None = None,
    **_: object,
) -> None:
    """Audit a new lock (axes' ``user_locked_out``). Axes sends the signal again for each
    attempt refused while locked; those are recorded by the sign-in page as failed sign-ins."""
    failures_now = getattr(request, "axes_failures_since_start", None)
    if failures_now is None:
        return
    now = timezone.now()
    attempts = _counted(now)
    scopes = []
    if username and _failures(attempts.filter(username=username))[0] >= failure_limit():
        scopes.append(ACCOUNT)
    if ip_address and _failures(attempts.filter(ip_address=ip_address))[0] >= failure_limit():
        scopes.append(ADDRESS)
    length = cool_off()
    audit_record(
        actor=None,
        actor_username=(username or "")[:150],
        action=AuditAction.SIGN_IN_FAILED,
        event="accounts.locked_out",
        subject=User.objects.filter(username=username).first() if username else None,
        changes={
            "locked": scopes,
            "failures": int(failures_now),
            "cool_off_minutes": int(length.total_seconds() // 60) if length else None,
        },
        flagged=True,
        ip_address=ip_address,
    )


def can_unlock_sign_in(actor: Actor) -> bool:
    """Administrators (who manage users) and the operator of a ``provide`` command."""
    return bool(actor.has_perm("accounts.change_user"))


@transaction.atomic
def sign_in_unlock(*, actor: Actor, username: str) -> int:
    """Clear the failed sign-ins counted against ``username``, from every address, so the
    account can sign in again at once; audited. Returns how many records were cleared."""
    if not can_unlock_sign_in(actor):
        raise PermissionDenied(UNLOCK_FORBIDDEN)
    cleared = int(AxesProxyHandler.reset_attempts(username=username))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        event="accounts.sign_in_unlocked",
        subject=User.objects.filter(username=username).first(),
        changes={"username": username, "records_cleared": cleared},
    )
    return cleared


@transaction.atomic
def sign_in_unlock_address(*, actor: Actor, ip_address: str) -> int:
    """Clear the failed sign-ins counted against an IP address, for every account; audited."""
    if not can_unlock_sign_in(actor):
        raise PermissionDenied(UNLOCK_FORBIDDEN)
    try:
        validate_ipv46_address(ip_address)
    except ValidationError:
        raise ValueError(BAD_ADDRESS) from None
    cleared = int(AxesProxyHandler.reset_attempts(ip_address=ip_address))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        event="accounts.sign_in_address_unlocked",
        changes={"ip_address": ip_address, "records_cleared": cleared},
    )
    return cleared


def client_address(request: HttpRequest) -> str | None:
    """The address failures are counted against (``AXES_CLIENT_IP_CALLABLE``): the one that
    connected, or, behind ``PROVIDE_PROXY_COUNT`` reverse proxies that each add the address they
    were reached from to ``X-Forwarded-For``, the one the outermost proxy saw. Entries further
    left were written by the client and are ignored."""
    connected: str | None = request.META.get("REMOTE_ADDR")
    proxies = int(settings.PROVIDE_PROXY_COUNT)
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        candidate: str = forwarded[-proxies]
        try:
            validate_ipv46_address(candidate)
        except ValidationError:
            return connected
        return candidate
    return connected


def is_exempt_from_lockout(request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
    """The single sign-on callback is neither counted nor refused (``AXES_WHITELIST_CALLABLE``)."""
    return request.path_info == reverse("oidc_authentication_callback")
