"""The append-only audit log: who did what to which record, when and why.

Each event is a link in a hash chain (``chain_index``, ``previous_hash``, ``hash``: see
:mod:`provide.audit.chain`), and database triggers refuse to change or delete a row
(:mod:`provide.audit.triggers`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    VIEW = "view", "View"
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    DELETE = "delete", "Delete"
    EXPORT = "export", "Export"
    BREAK_GLASS = "break_glass", "Break-glass view"
    SIGN_IN = "sign_in", "Sign in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_OUT = "sign_out", "Sign out"
    IMPORT = "import", "Import"


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices, db_index=True)
    event = models.CharField(
        max_length=80, help_text='Dotted "<app>.<verb>" name, e.g. "people.person_viewed".'
    )
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    person_id = models.UUIDField(
        null=True, blank=True, db_index=True, help_text="The person whose record was touched."
    )
    person_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)
    flagged = models.BooleanField(
        default=False, help_text="Break-glass access or another event a reviewer must see."
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    chain_index = models.PositiveBigIntegerField(
        unique=True,
        editable=False,
        help_text="Position in the hash chain: 1, 2, 3 ... with no gaps.",
    )
    previous_hash = models.CharField(
        max_length=64,
        editable=False,
        help_text="The hash of the event before this one (64 zeros for the first).",
    )
    hash = models.CharField(
        max_length=64,
        editable=False,
        help_text="SHA-256 of this event's fields and the previous hash, in hex.",
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["actor", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.event}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        if not self.hash:
            raise AppendOnlyError(
                "audit events are written by provide.audit.services, which chains them"
            )
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")
