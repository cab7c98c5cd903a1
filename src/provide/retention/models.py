"""What the retention app keeps of its own: legal holds, the runs of the anonymiser, and the
ledger of rows it has anonymised (record type and primary key only: no personal data)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from provide.shared.records import PublicRecord


class Side(models.TextChoices):
    """The two controllers: the police force and the NHS trust."""

    POLICE = "police", "Police"
    HEALTH = "health", "Health"


class LegalHold(PublicRecord):
    """Keeps one person's records on one side as they are, whatever their review date says."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=6, choices=Side.choices)
    reason = models.TextField(
        help_text="Why the records must be kept (a claim, an inquiry, a review)."
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["side", "released_at"])]

    def __str__(self) -> str:
        return f"{self.get_side_display()} hold on {self.person}"


class RetentionRun(PublicRecord):
    """One run of the anonymiser (or its dry run): what it found and what it changed, as counts."""

    dry_run = models.BooleanField()
    as_of = models.DateField(help_text="The day whose review dates the run applied.")
    actor_label = models.CharField(max_length=150, blank=True)
    summary = models.JSONField(
        default=dict, blank=True, help_text="Counts per record type; no personal data."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{'Dry run' if self.dry_run else 'Run'} for {self.as_of}"


class AnonymisedRecord(models.Model):
    """One row the anonymiser has stripped of identity, so no later run counts it again."""

    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="records")
    record_type = models.CharField(
        max_length=60, help_text='"app.model", e.g. "intake.investigation".'
    )
    object_pk = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record_type", "object_pk"], name="anonymised_once"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} {self.object_pk}"
