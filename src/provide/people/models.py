"""People: victims, suspects and others, with safe-contact details and vulnerabilities."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from provide.shared.records import PublicRecord


def new_pseudonym() -> str:
    """A stable pseudonymous key for analytics: random, never derived from identity."""
    return "PSN-" + secrets.token_hex(8).upper()


class Vulnerability(models.TextChoices):
    DISABILITY = "disability", "Disability"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SUBSTANCE_USE = "substance_use", "Substance use"
    PREGNANCY = "pregnancy", "Pregnancy"
    IMMIGRATION = "immigration", "Immigration status"
    LANGUAGE = "language", "Language"
    OLDER_PERSON = "older_person", "Older person"
    OTHER = "other", "Other"


class ContactMethod(models.TextChoices):
    CALL = "call", "Phone call to the safe number"
    TEXT = "text", "Text message to the safe number"
    EMAIL = "email", "Email"
    IN_PERSON = "in_person", "In person only"
    THROUGH_IDVA = "idva", "Through the IDVA"


class Person(PublicRecord):
    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"
        UNKNOWN = "unknown", "Not known"

    force_person_ref = models.CharField(
        max_length=40, blank=True, db_index=True, help_text="The force's own person id."
    )
    pseudonym = models.CharField(max_length=24, unique=True, default=new_pseudonym, editable=False)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    gender = models.CharField(max_length=60, blank=True)
    address = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    district = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(
        max_length=40, blank=True, help_text="Preferred language, if not English."
    )
    interpreter_needed = models.BooleanField(default=False)
    vulnerabilities = models.JSONField(default=list, blank=True)
    children_in_household = models.PositiveSmallIntegerField(null=True, blank=True)
    # Safe contact: a known failure mode (SPEC §11). Every contact plan must respect these.
    safe_phone = models.CharField(max_length=30, blank=True)
    safe_contact_times = models.CharField(
        max_length=120, blank=True, help_text="The safe-contact times as written."
    )
    # The times read into weekly ranges (provide.core.contact; provide.people.contact owns the
    # rule): the planner keeps every visit inside them.
    safe_contact_schedule = models.JSONField(default=list, blank=True)
    safe_contact_review_needed = models.BooleanField(
        default=False, help_text="The written times could not all be read: a person must check."
    )
    safe_contact_method = models.CharField(max_length=12, choices=ContactMethod.choices, blank=True)
    safe_contact_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    safe_contact_recorded_at = models.DateTimeField(null=True, blank=True)
    no_messages = models.BooleanField(default=False, help_text="Do not leave messages.")
    suspect_may_answer = models.BooleanField(default=False)
    no_letters = models.BooleanField(default=False)
    no_sms = models.BooleanField(default=False)
    synthetic = models.BooleanField(
        default=False, help_text="Generated demo data, not a real person."
    )
    # Linking: a duplicate merged into another record keeps its row (and its force id, so
    # later extracts still find it) and points at the record that now holds its history.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    merged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        permissions = [
            ("view_pseudonymised", "Can see pseudonymised data only"),
            ("merge_person", "Can merge and un-merge person records"),
            ("change_safe_contact", "Can change a person's safe-contact details"),
        ]

    def __str__(self) -> str:
        name = f"{self.given_name} {self.family_name}".strip()
        return name or self.force_person_ref or self.pseudonym

    @property
    def has_safe_contact_restrictions(self) -> bool:
        return self.no_messages or self.suspect_may_answer or self.no_letters or self.no_sms


class PersonMatch(PublicRecord):
    """A possible duplicate waiting for a person to decide: the review queue of linking."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for review"
        MERGED = "merged", "Same person (merged)"
        DISTINCT = "distinct", "Different people"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "candidate"], name="person_match_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ~ {self.candidate} ({self.score:.2f})"


class PersonMerge(PublicRecord):
    """One merge of a duplicate into a surviving record, with what moved (for un-merge)."""

    duplicate = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="merges_as_duplicate"
    )
    survivor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="merges_as_survivor"
    )
    moved = models.JSONField(
        default=dict,
        blank=True,
        help_text='Records re-pointed at the survivor: {"app.model.field": [ids]}.',
    )
    reason = models.TextField(blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.duplicate} merged into {self.survivor}"


class VictimAvailability(PublicRecord):
    """A time the victim said she is available to be seen (recorded by the IDVA or an officer):
    the planner may visit her then, on top of her safe-contact ranges (never in an unsafe one)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="availability")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="availability_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} available {self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M}"
