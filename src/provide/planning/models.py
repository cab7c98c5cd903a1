"""Joint teams, their shifts, and the plans (ordered visits) made for each shift."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from provide.shared.records import PublicRecord


class Team(PublicRecord):
    name = models.CharField(max_length=60, unique=True)
    bcu = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    base = models.ForeignKey("areas.Station", on_delete=models.PROTECT, related_name="teams")
    vehicle = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Shift(PublicRecord):
    class Pattern(models.TextChoices):
        EARLY = "early", "Early (07:00–15:00)"
        LATE = "late", "Late (14:00–22:00)"

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="shifts")
    on_date = models.DateField()
    pattern = models.CharField(max_length=6, choices=Pattern.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idva = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    officer_name = models.CharField(max_length=120, blank=True)
    idva_name = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-on_date", "starts_at", "team__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "on_date", "pattern"], name="one_shift_per_team_pattern_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.on_date} {self.get_pattern_display()}"


class Plan(PublicRecord):
    """One version of a shift's plan. Re-planning adds a version; old ones are kept."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CURRENT = "current", "Current"
        SUPERSEDED = "superseded", "Superseded"

    class Trigger(models.TextChoices):
        START_OF_SHIFT = "start", "Planned for the shift"
        REPLAN = "replan", "Re-planned"
        LIVE_INCIDENT = "live", "Re-planned for a live incident"
        MANUAL = "manual", "Changed by hand"

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    trigger = models.CharField(
        max_length=8, choices=Trigger.choices, default=Trigger.START_OF_SHIFT
    )
    made_at = models.DateTimeField(
        null=True, blank=True, help_text="The moment the plan starts from."
    )
    total_priority = models.FloatField(default=0)
    travel_minutes = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)
    solver_stats = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["shift", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "version"], name="plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.shift} v{self.version}"


class PlannedStop(PublicRecord):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="stops")
    sequence = models.PositiveSmallIntegerField()
    investigation = models.ForeignKey(
        "intake.Investigation", on_delete=models.PROTECT, related_name="+"
    )
    triage_decision = models.ForeignKey(
        "triage.TriageDecision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    planned_arrival_at = models.DateTimeField()
    planned_start_at = models.DateTimeField(null=True, blank=True)
    planned_departure_at = models.DateTimeField()
    travel_minutes_from_previous = models.PositiveIntegerField(default=0)
    pinned = models.BooleanField(default=False)
    windows = models.JSONField(
        default=list,
        blank=True,
        help_text="The windows the visit was planned within: [{start, end, source}] with source "
        "safe_contact, availability, custody or appointment "
        "(provide.planning.mapping.SourcedWindow).",
    )
    # A discreet window at a health appointment: where to meet her (not her address), and
    # which appointment (health roles look it up; police roles see only the time).
    place_latitude = models.FloatField(null=True, blank=True)
    place_longitude = models.FloatField(null=True, blank=True)
    discreet_appointment_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "sequence"]


class UnplannedCandidate(PublicRecord):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="left_out")
    investigation = models.ForeignKey(
        "intake.Investigation", on_delete=models.PROTECT, related_name="+"
    )
    triage_decision = models.ForeignKey(
        "triage.TriageDecision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["plan", "id"]


class PlanJob(PublicRecord):
    """A request to plan one BCU's shifts of one pattern on one day, run in the background.

    At most one job per BCU, day and pattern is queued or running at a time (a partial unique
    constraint): when two sergeants ask at once, the second is shown the first one's job.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Planning"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    bcu = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    on_date = models.DateField()
    pattern = models.CharField(max_length=6, choices=Shift.Pattern.choices)
    trigger = models.CharField(max_length=8, choices=Plan.Trigger.choices)
    plan_from = models.DateTimeField(help_text="The moment the plan starts from.")
    time_limit_seconds = models.FloatField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=80, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    plans = models.ManyToManyField(Plan, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["bcu", "on_date", "pattern"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_plan_job_per_bcu_day_pattern",
            )
        ]

    def __str__(self) -> str:
        return f"Plan job {self.bcu} {self.on_date} {self.pattern} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE
