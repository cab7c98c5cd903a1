"""Users. A user's role is the group they belong to (see :mod:`provide.accounts.roles`)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from provide.accounts.roles import ALL_ROLES
from provide.shared.records import PublicRecord


class User(AbstractUser):
    class Agency(models.TextChoices):
        POLICE = "police", "Police"
        HEALTH = "health", "NHS trust"
        PARTNER = "partner", "Partner agency"
        UNIVERSITY = "university", "University"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.CharField(max_length=12, choices=Agency.choices, blank=True)
    bcu = models.ForeignKey(
        "areas.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "bcu"},
        help_text="The BCU whose cases this user works; blank for force-wide roles.",
    )
    oidc_subject = models.CharField(
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="The single sign-on provider's fixed identifier for this person (its 'sub' claim).",
    )

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class HealthRoleGrantRequest(PublicRecord):
    """A request to give a user a health role (the IDVA's record is behind it).

    An administrator asks, an IDVA manager decides: the role is given only on approval
    (:mod:`provide.accounts.grants`), and nobody decides a request they made or one about
    themselves (also checked by the database).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an IDVA manager"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="health_role_requests"
    )
    role = models.CharField(
        max_length=40, choices=[(role.slug, role.name) for role in ALL_ROLES if role.is_health]
    )
    reason = models.TextField(help_text="Why this person needs the role.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("decide_healthrolegrantrequest", "Can approve or refuse a health role request")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="one_pending_health_role_request_per_user",
            ),
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("user")),
                name="health_role_not_requested_for_oneself",
            ),
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("requested_by")),
                name="health_role_decided_by_another_person",
            ),
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("user")),
                name="health_role_not_decided_for_oneself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} for {self.user} ({self.get_status_display()})"
