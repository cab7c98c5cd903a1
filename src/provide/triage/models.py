"""The versioned triage policy and the sergeant's decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from provide.shared.records import PublicRecord


class TriagePolicy(PublicRecord):
    """Weights, thresholds, look-back and eligibility rules: data, not code. Never edited in
    place: a change is a new version, and every decision records the version it used."""

    version = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=100)
    look_back_hours = models.PositiveSmallIntegerField(default=24)
    weights = models.JSONField(default=dict)
    eligibility = models.JSONField(default=dict)
    thresholds = models.JSONField(
        default=dict,
        blank=True,
        help_text="Target and warning hours, caps, weekend cover, board cut-off (core.triage.Thresholds).",
    )
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "triage policies"

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"


class TriageDecision(PublicRecord):
    class Decision(models.TextChoices):
        JOINT_VISIT_LIVE = "joint_visit_live", "Joint visit (live)"
        JOINT_VISIT_POST = "joint_visit_post", "Joint visit (post-incident)"
        CONSULTATION = "consultation", "Consultation only"
        NOT_ELIGIBLE = "not_eligible", "Not eligible"
        SUPPORTED_ELSEWHERE = "supported_elsewhere", "Already supported elsewhere"

    class Status(models.TextChoices):
        """Whether this decision is the case's current one. Not where the victim stands: that is
        the case's state (``provide.cases``), the one owner every list reads."""

        OPEN = "open", "Current decision"
        PLANNED = "planned", "Current decision (planned before case tracking)"
        VISITED = "visited", "Current decision (visited before case tracking)"
        CLOSED = "closed", "Superseded, or not for the joint team"

    investigation = models.ForeignKey(
        "intake.Investigation", on_delete=models.PROTECT, related_name="triage_decisions"
    )
    policy = models.ForeignKey(TriagePolicy, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reasons = models.TextField(blank=True)
    priority_score = models.FloatField(default=0)
    score_explanation = models.JSONField(default=list, blank=True)
    eligibility_overridden = models.BooleanField(default=False)
    eligible_by_policy = models.BooleanField(
        null=True, blank=True, help_text="What the policy said before any override."
    )
    eligibility_reason = models.TextField(blank=True, help_text="The policy's eligibility reasons.")
    scored_at = models.DateTimeField(
        null=True, blank=True, help_text="The moment the score describes (clock and custody)."
    )
    due_by = models.DateTimeField(null=True, blank=True, help_text="First police visit + 24 h.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.investigation} — {self.get_decision_display()}"
