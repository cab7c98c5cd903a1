"""Users. A user's role is the group they belong to (see :mod:`provide.accounts.roles`)."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models


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

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
