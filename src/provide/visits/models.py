"""Visits: the shared joint record both police and health roles see, the police-side
record, and IDVA consultations (deployment mode 3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from provide.shared.records import PublicRecord


class Visit(PublicRecord):
    """Only the fields an information-sharing agreement lets both sides see."""

    class Mode(models.TextChoices):
        LIVE = "live", "Live"
        POST_INCIDENT = "post-incident", "Post-incident"
        CONSULTATION = "consultation", "Consultation"

    class PlaceType(models.TextChoices):
        HOME = "home", "Home"
        GP = "gp", "GP surgery"
        DENTAL = "dental", "Dental surgery"
        HOSPITAL = "hospital", "Hospital appointment"
        POLICE_STATION = "police_station", "Police station"
        OTHER_SAFE_PLACE = "other_safe_place", "Other safe place"

    class ContactResult(models.TextChoices):
        ENGAGED = "engaged", "Engaged"
        DECLINED = "declined", "Declined"
        NO_CONTACT = "no_contact", "No contact"
        UNSAFE = "unsafe", "Unsafe to proceed"

    class RecordStatus(models.TextChoices):
        PLANNED = "planned", "Planned"
        DRAFT = "draft", "Draft"
        COMPLETE = "complete", "Complete"

    mode = models.CharField(max_length=14, choices=Mode.choices)
    investigation = models.ForeignKey(
        "intake.Investigation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    victim = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="visits")
    shift = models.ForeignKey(
        "planning.Shift", null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    planned_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    place_type = models.CharField(max_length=20, choices=PlaceType.choices, blank=True)
    suspect_present = models.BooleanField(null=True, blank=True)
    contact_result = models.CharField(max_length=12, choices=ContactResult.choices, blank=True)
    support_accepted = models.BooleanField(
        null=True, blank=True, help_text="Shared fact: the victim accepted IDVA support."
    )
    referrals_made = models.JSONField(default=list, blank=True)
    lock_version = models.PositiveIntegerField(
        default=1, help_text="Optimistic lock: every save adds one; a stale form is a conflict."
    )
    record_status = models.CharField(
        max_length=10,
        choices=RecordStatus.choices,
        default=RecordStatus.COMPLETE,
        help_text="Planned, a draft being typed, or complete. Loaded history is complete.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who saved the visit last (shown on the conflict screen).",
    )

    class Meta:
        ordering = ["-arrived_at", "-planned_at"]

    def __str__(self) -> str:
        when = self.arrived_at or self.planned_at
        return (
            f"Visit to {self.victim} {when:%Y-%m-%d %H:%M}" if when else f"Visit to {self.victim}"
        )


class PoliceVisitRecord(PublicRecord):
    """The officer's side of the visit: evidence and safety actions."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="police_record")
    evidence_gathered = models.BooleanField(null=True, blank=True)
    body_worn_video = models.BooleanField(null=True, blank=True)
    statement_taken = models.BooleanField(null=True, blank=True)
    safety_actions = models.TextField(blank=True)


class Consultation(PublicRecord):
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    idva = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    investigation = models.ForeignKey(
        "intake.Investigation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField()
    topic = models.CharField(max_length=200)
    advice = models.TextField(blank=True)

    class Meta:
        ordering = ["-asked_at"]
