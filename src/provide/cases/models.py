"""A case's state (the cache of its history) and its history: one row per event.

The state machine is :mod:`provide.core.cases`; only :mod:`provide.cases.services` writes
these tables, and every list reads them through :mod:`provide.cases.selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from provide.core.cases import STATE_LABELS, CaseState
from provide.shared.records import PublicRecord


class Case(PublicRecord):
    """One investigation's journey through the programme."""

    STATE_CHOICES = [(state.value, STATE_LABELS[state]) for state in CaseState]

    investigation = models.OneToOneField(
        "intake.Investigation", on_delete=models.PROTECT, related_name="case"
    )
    state = models.CharField(max_length=12, choices=STATE_CHOICES, default="new", db_index=True)
    high_risk = models.BooleanField(default=False)
    decision = models.CharField(max_length=20, blank=True)
    rules = models.JSONField(
        default=dict,
        blank=True,
        help_text="Attempt rules of the policy version that accepted the case.",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    clock_started_at = models.DateTimeField(null=True, blank=True)
    clock_due_at = models.DateTimeField(null=True, blank=True)
    clock_stopped_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_result = models.CharField(max_length=12, blank=True)
    next_attempt_due_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.CharField(max_length=200, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_due_at"])]

    def __str__(self) -> str:
        return f"Case {self.investigation} ({self.state})"

    @property
    def victim_id(self) -> int:
        """The victim, through the investigation (a merge of people moves it; nothing to copy)."""
        return self.investigation.victim_id

    @property
    def victim(self) -> object:
        return self.investigation.victim


class CaseEvent(PublicRecord):
    """One thing that happened to a case: who, when, why, and the state before and after.

    Append-only: a correction is a new event. Replaying the events rebuilds the case.
    """

    class Kind(models.TextChoices):
        OPENED = "opened", "Opened"
        DECIDED = "decided", "Triage decision"
        PLANNED = "planned", "Planned"
        UNPLANNED = "unplanned", "Taken out of a plan"
        ATTEMPTED = "attempted", "Visit recorded"
        HANDED_OVER = "handed_over", "Handed over to safeguarding"
        CLOSED = "closed", "Closed"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    happened_at = models.DateTimeField()
    payload = models.JSONField(default=dict, blank=True)
    visit_public_id = models.UUIDField(null=True, blank=True, db_index=True)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(
        max_length=150,
        blank=True,
        help_text="Who, when not a user (an import, the planner, a system).",
    )

    class Meta:
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.from_state or '-'} -> {self.to_state}"
