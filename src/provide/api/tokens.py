"""API tokens: issued on the command line, stored hashed, expiring, revoked with the user's session.

A token is django-rest-knox's ``AuthToken``: only a hash of it is kept, so a copy of the
database gives no one a usable token, and it stops working ``REST_KNOX["TOKEN_TTL"]`` after it
was issued (``PROVIDE_API_TOKEN_HOURS``, default 12). Signing out of the web pages and being
deactivated both delete every token of the user (:mod:`provide.api.receivers`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from knox.models import AuthToken

from provide.accounts.models import User
from provide.audit.models import AuditAction
from provide.audit.services import audit_record

INACTIVE = "{username} is deactivated: reactivate them first"


@dataclass(frozen=True)
class IssuedToken:
    """A new token: ``key`` is shown once and never stored; ``expires_at`` is when it stops."""

    key: str
    expires_at: dt.datetime | None
    replaced: int


def api_token_issue(*, user: User, issued_by: str) -> IssuedToken:
    """Issue a new API token for ``user``, replacing (deleting) every earlier one.

    ``issued_by`` names who asked, for the audit log (the command line has no signed-in user).
    Raises ``PermissionDenied`` for a deactivated user.
    """
    if not user.is_active:
        raise PermissionDenied(INACTIVE.format(username=user.get_username()))
    with transaction.atomic():
        replaced, _ = AuthToken.objects.filter(user=user).delete()
        instance, key = AuthToken.objects.create(user=user)
        expires_at: dt.datetime | None = instance.expiry
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            event="api.token_issued",
            subject=user,
            actor_username=issued_by,
            changes={
                "replaced_earlier_tokens": replaced,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
    return IssuedToken(key=key, expires_at=expires_at, replaced=replaced)


def api_tokens_revoke(*, user: User, reason: str, actor: User | None = None) -> int:
    """Delete every API token of ``user``; audited when there was one. Returns how many.

    ``actor`` is who caused it (the user signing out); None is the system (a deactivation,
    whoever made it, is audited where it was made).
    """
    with transaction.atomic():
        revoked, _ = AuthToken.objects.filter(user=user).delete()
        if revoked:
            audit_record(
                actor=actor,
                action=AuditAction.DELETE,
                event="api.tokens_revoked",
                subject=user,
                actor_username="provide",
                reason=reason,
                changes={"tokens": revoked},
            )
    return int(revoked)
