"""Onward referrals, the daily MARAC and its actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from provide.shared.records import PublicRecord


class ReferralService(PublicRecord):
    """A service referrals go to (a refuge, the local MARAC, a housing team ...)."""

    class Target(models.TextChoices):
        MARAC = "marac", "MARAC"
        SAFEGUARDING_UNIT = "safeguarding_unit", "Safeguarding unit"
        REFUGE = "refuge", "Refuge or hostel"
        HOUSING = "housing", "Housing"
        MENTAL_HEALTH = "mental_health", "Mental health"
        DRUG_ALCOHOL = "drug_alcohol", "Drug and alcohol"
        ALARM = "alarm", "Alarm / target hardening"
        CHILDRENS_SERVICES = "childrens_services", "Children's services"
        GP = "gp", "GP (IRISi)"
        DVDS = "dvds", "Clare's Law (DVDS)"
        PROTECTION_ORDER = "protection_order", "Protection order"
        OTHER = "other", "Other"

    name = models.CharField(max_length=120, unique=True)
    target = models.CharField(max_length=20, choices=Target.choices)
    bcu = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["target", "name"]

    def __str__(self) -> str:
        return self.name


class Referral(PublicRecord):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        DONE = "done", "Done"

    class Consent(models.TextChoices):
        GIVEN = "given", "Consent given"
        REFUSED = "refused", "Consent refused"
        NOT_SOUGHT = "not_sought", "Not sought"

    victim = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    investigation = models.ForeignKey(
        "intake.Investigation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visit = models.ForeignKey(
        "visits.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target = models.CharField(max_length=20, choices=ReferralService.Target.choices)
    service = models.ForeignKey(
        ReferralService, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    consent = models.CharField(max_length=12, choices=Consent.choices, default=Consent.NOT_SOUGHT)
    victim_aware = models.BooleanField(
        null=True, blank=True, help_text="Is the victim aware of the referral?"
    )
    lawful_basis = models.TextField(blank=True, help_text="Required when sharing without consent.")
    reasons = models.TextField(
        blank=True, help_text="Why the referral is made (for MARAC: the criterion's reasons)."
    )
    victim_wants = models.TextField(
        blank=True, help_text="What the victim wants from the referral."
    )
    victim_fears = models.TextField(blank=True, help_text="Who the victim fears or trusts.")
    idva_shared_summary = models.TextField(
        blank=True,
        help_text="Health-side information the IDVA has agreed to share. Empty unless a health role wrote it.",
    )
    due_on = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            # One referral per service per visit: ticking a target twice (or retrying the save,
            # or making the referral by hand from the visit page too) never makes two.
            models.UniqueConstraint(
                fields=["visit", "target"],
                condition=models.Q(visit__isnull=False),
                name="one_referral_per_visit_and_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_target_display()} referral for {self.victim}"


class MaracCase(PublicRecord):
    class Criterion(models.TextChoices):
        VISIBLE_HIGH_RISK = "visible_high_risk", "Visible high risk (14 or more)"
        PROFESSIONAL_JUDGEMENT = "professional_judgement", "Professional judgement"
        ESCALATION = "escalation", "Potential escalation"
        REPEAT = "repeat", "Repeat within 12 months"

    victim = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="marac_cases"
    )
    criterion = models.CharField(max_length=24, choices=Criterion.choices)
    evidence = models.TextField(blank=True)
    meeting_on = models.DateField(db_index=True)
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_repeat = models.BooleanField(default=False)
    minutes = models.TextField(blank=True)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-meeting_on"]

    def __str__(self) -> str:
        return f"MARAC {self.meeting_on} — {self.victim}"


class MaracAction(PublicRecord):
    case = models.ForeignKey(MaracCase, on_delete=models.CASCADE, related_name="actions")
    agency = models.CharField(max_length=80)
    action = models.TextField()
    owner = models.CharField(max_length=120, blank=True)
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.agency}: {self.action[:60]}"


class MaracPolicy(PublicRecord):
    """The local MARAC thresholds, editable in the admin. The newest row applies."""

    escalation_events = models.PositiveSmallIntegerField(
        default=3,
        help_text="DA events within the window that meet the escalation criterion (SafeLives: 3).",
    )
    escalation_window_days = models.PositiveSmallIntegerField(default=365)
    lookback_days = models.PositiveSmallIntegerField(
        default=7, help_text="The daily list considers victims with a DA event in this many days."
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "MARAC policies"

    def __str__(self) -> str:
        return f"{self.escalation_events} events in {self.escalation_window_days} days"


class ProtectiveMeasure(PublicRecord):
    """A DVPN, DVPO or Clare's Law (DVDS) request, with its clock."""

    class Kind(models.TextChoices):
        DVPN = "dvpn", "DVPN (48 hours)"
        DVPO = "dvpo", "DVPO (14 to 28 days)"
        DVDS_ASK = "dvds_ask", "Clare's Law: right to ask"
        DVDS_KNOW = "dvds_know", "Clare's Law: right to know"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    victim = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="protective_measures"
    )
    investigation = models.ForeignKey(
        "intake.Investigation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follows = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followed_by",
        help_text="The DVPN a DVPO follows.",
    )
    issued_at = models.DateTimeField(help_text="Served (DVPN), made (DVPO) or requested (DVDS).")
    expires_at = models.DateTimeField(help_text="Expiry (DVPN / DVPO) or decision deadline (DVDS).")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["expires_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.victim}"


class HandoverTask(PublicRecord):
    """One piece of work handed to a division's (BCU's) safeguarding team."""

    class Status(models.TextChoices):
        OPEN = "open", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    class Source(models.TextChoices):
        BY_HAND = "by_hand", "Handed over by hand"
        VISIT_REFERRALS = "visit_referrals", "Referrals ticked on a visit"

    team = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The BCU whose safeguarding team takes the task.",
    )
    victim = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="handover_tasks"
    )
    investigation = models.ForeignKey(
        "intake.Investigation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visit = models.ForeignKey(
        "visits.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.BY_HAND)
    referrals = models.ManyToManyField(
        Referral,
        blank=True,
        related_name="handover_tasks",
        help_text="The referrals the task lists (those ticked on its visit).",
    )

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["team", "status"])]
        constraints = [
            # One hand-over per visit for the referrals ticked on it; edits update that task.
            models.UniqueConstraint(
                fields=["visit"],
                condition=models.Q(source="visit_referrals", visit__isnull=False),
                name="one_referral_handover_per_visit",
            ),
        ]

    def __str__(self) -> str:
        return self.title
