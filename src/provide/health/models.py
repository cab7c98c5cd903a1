"""The health side: the IDVA's tracker record, NHS identity and appointments.

Nothing here is ever shown to police roles. Police groups hold no permission on these models,
the selectors in :mod:`provide.health.selectors` refuse them, and the API's health endpoints
check the role again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from provide.shared.records import PublicRecord


class Service(models.TextChoices):
    RISK_ASSESSMENT = "risk_assessment", "Immediate risk assessment"
    SAFETY_PLANNING = "safety_planning", "Safety planning"
    EMOTIONAL_SUPPORT = "emotional_support", "Emotional support"
    SIGNPOSTING = "signposting", "Information and signposting"
    CJS_ADVOCACY = "cjs_advocacy", "Criminal-justice advocacy"
    SOCIAL_WELFARE = "social_welfare", "Social-welfare help"


class SupportRecord(PublicRecord):
    """One tracker row: one joint-team attendance, as the IDVA records it."""

    class RecordStatus(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETE = "complete", "Complete"

    tracker_id = models.CharField(max_length=40, unique=True)
    visit = models.OneToOneField(
        "visits.Visit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_record",
    )
    investigation = models.ForeignKey(
        "intake.Investigation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    investigation_ref = models.CharField(max_length=40, blank=True)
    victim = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_records",
    )
    bcu = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(max_length=14, blank=True)
    police_visit_at = models.DateTimeField(null=True, blank=True)
    idva_visit_at = models.DateTimeField(null=True, blank=True)
    idva_support_offered = models.BooleanField(null=True, blank=True)
    idva_support_accepted = models.BooleanField(null=True, blank=True)
    prosecution_support_offered = models.BooleanField(null=True, blank=True)
    prosecution_support_accepted = models.BooleanField(null=True, blank=True)
    engaged_investigation = models.BooleanField(null=True, blank=True)
    engaged_safeguarding = models.BooleanField(null=True, blank=True)
    previously_engaged_investigation = models.BooleanField(null=True, blank=True)
    previously_engaged_safeguarding = models.BooleanField(null=True, blank=True)
    services = models.JSONField(default=list, blank=True)
    referrals = models.JSONField(default=list, blank=True)
    idva = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idva_name = models.CharField(max_length=120, blank=True)
    notes = models.TextField(blank=True, help_text="IDVA-only notes. Never shown to police.")
    record_status = models.CharField(
        max_length=10, choices=RecordStatus.choices, default=RecordStatus.COMPLETE
    )

    class Meta:
        ordering = ["-idva_visit_at"]
        permissions = [
            ("import_tracker", "Can import the IDVA tracker spreadsheet"),
            ("export_tracker", "Can export the IDVA tracker spreadsheet"),
        ]

    def __str__(self) -> str:
        return self.tracker_id


class HealthIdentity(PublicRecord):
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="health_identity"
    )
    nhs_number = models.CharField(max_length=10, unique=True)

    class Meta:
        verbose_name_plural = "health identities"


class HealthAppointment(PublicRecord):
    """An NHS appointment used as a discreet-contact window (from FHIR Appointment)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="health_appointments"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place_type = models.CharField(max_length=20, blank=True)
    location_name = models.CharField(max_length=120, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    fhir_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["starts_at"]


class TrackerUpload(PublicRecord):
    """A tracker file uploaded in the web, held between validation and confirmation.

    The file's bytes are cleared once it is imported or discarded.
    """

    class Status(models.TextChoices):
        CHECKED = "checked", "Checked, waiting for confirmation"
        IMPORTED = "imported", "Imported"
        DISCARDED = "discarded", "Discarded"

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    content = models.BinaryField(blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
