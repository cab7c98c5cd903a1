"""Onward referrals, the daily MARAC and its actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from provide.records import PublicRecord


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
    bcu = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

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
    visit = models.ForeignKey("visits.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target = models.CharField(max_length=20, choices=ReferralService.Target.choices)
    service = models.ForeignKey(
        ReferralService, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    consent = models.CharField(max_length=12, choices=Consent.choices, default=Consent.NOT_SOUGHT)
    lawful_basis = models.TextField(blank=True, help_text="Required when sharing without consent.")
    due_on = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_target_display()} referral for {self.victim}"


class MaracCase(PublicRecord):
    class Criterion(models.TextChoices):
        VISIBLE_HIGH_RISK = "visible_high_risk", "Visible high risk (14 or more)"
        PROFESSIONAL_JUDGEMENT = "professional_judgement", "Professional judgement"
        ESCALATION = "escalation", "Potential escalation"
        REPEAT = "repeat", "Repeat within 12 months"

    victim = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="marac_cases")
    criterion = models.CharField(max_length=24, choices=Criterion.choices)
    evidence = models.TextField(blank=True)
    meeting_on = models.DateField(db_index=True)
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_repeat = models.BooleanField(default=False)
    minutes = models.TextField(blank=True)

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

    class Meta:
        ordering = ["due_on", "id"]
