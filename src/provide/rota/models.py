"""Who can work when: staff skills (languages, gender) and leave or absence.

The shifts themselves are :class:`provide.planning.models.Shift`; the rota creates and staffs
them through :mod:`provide.rota.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from provide.shared.records import PublicRecord


class StaffProfile(PublicRecord):
    """What a joint-team officer or IDVA brings to a visit: languages spoken, and gender (for a
    victim who asks to be seen by a woman, say)."""

    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        NON_BINARY = "non_binary", "Non-binary"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    languages = models.JSONField(
        default=list, blank=True, help_text='Languages spoken besides English, e.g. ["Punjabi"].'
    )
    gender = models.CharField(max_length=12, choices=Gender.choices, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["user__username"]
        permissions = [("manage_rota", "Can plan shifts, staff them, and record skills and leave")]

    def __str__(self) -> str:
        return f"Skills of {self.user}"


class Absence(PublicRecord):
    """A day or days a person cannot be rostered (both ends included)."""

    class Kind(models.TextChoices):
        LEAVE = "leave", "Leave"
        SICKNESS = "sickness", "Sickness"
        TRAINING = "training", "Training"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="absences"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_on", "user__username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="absence_ends_on_or_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display().lower()} {self.starts_on}–{self.ends_on}"
