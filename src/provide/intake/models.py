"""Investigations, risk assessments and custody episodes from police systems."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from provide.shared.records import PublicRecord


class RiskGrade(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    STANDARD = "standard", "Standard"


class AbuseType(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    SEXUAL = "sexual", "Sexual"
    COERCIVE_CONTROL = "coercive_control", "Coercive control"
    ECONOMIC = "economic", "Economic"
    EMOTIONAL = "emotional", "Emotional or psychological"
    STALKING_HARASSMENT = "stalking_harassment", "Stalking or harassment"
    HONOUR_BASED = "honour_based", "Honour-based"
    THREATS = "threats", "Threats"


class Investigation(PublicRecord):
    class Kind(models.TextChoices):
        CRIME = "crime", "Crime"
        NON_CRIME = "non-crime", "Non-crime incident"

    class Relationship(models.TextChoices):
        PARTNER = "partner", "Partner"
        EX_PARTNER = "ex_partner", "Ex-partner"
        FAMILY = "family", "Family member"
        OTHER = "other", "Other"

    class Source(models.TextChoices):
        IMPORT = "import", "Imported"
        TYPED = "typed", "Typed in"
        DEMO = "demo", "Synthetic demo"
        LIVE = "live", "Live incident raised in Provide"

    class LocationSource(models.TextChoices):
        """Where the case's latitude and longitude came from, best first."""

        COORDINATES = "coordinates", "Coordinates in the extract"
        GRID_REFERENCE = "grid_reference", "Grid reference in the extract"
        POSTCODE = "postcode", "Centre of the victim's postcode"
        NONE = "none", "No location"

    investigation_ref = models.CharField(max_length=40, unique=True)
    incident_ref = models.CharField(max_length=40, blank=True)
    recorded_at = models.DateTimeField(db_index=True)
    first_police_visit_at = models.DateTimeField(null=True, blank=True)
    bcu = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    crime_or_incident = models.CharField(max_length=10, choices=Kind.choices, blank=True)
    offence = models.CharField(max_length=200, blank=True)
    abuse_types = models.JSONField(default=list, blank=True)
    relationship = models.CharField(max_length=12, choices=Relationship.choices, blank=True)
    victim = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="investigations_as_victim"
    )
    suspect = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investigations_as_suspect",
    )
    risk_grade = models.CharField(max_length=10, choices=RiskGrade.choices, blank=True)
    children_present = models.BooleanField(null=True, blank=True)
    victim_pregnant = models.BooleanField(null=True, blank=True)
    injuries = models.BooleanField(null=True, blank=True)
    weapons = models.BooleanField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    location_source = models.CharField(
        max_length=14, choices=LocationSource.choices, default=LocationSource.NONE
    )
    outcome_code = models.CharField(max_length=4, blank=True, help_text="Home Office outcome type.")
    outcome_on = models.DateField(null=True, blank=True)
    suspect_in_custody = models.BooleanField(
        null=True,
        blank=True,
        help_text="As the police extract last said (the custody feed is fresher).",
    )
    suspect_expected_release_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.TYPED)

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(fields=["bcu", "recorded_at"]),
            models.Index(fields=["victim", "recorded_at"]),
        ]
        permissions = [
            ("import_investigations", "Can import police investigation extracts"),
            ("import_custody", "Can import custody feeds"),
        ]

    def __str__(self) -> str:
        return self.investigation_ref

    @property
    def has_location(self) -> bool:
        """True when the planner can place the case: the victim's coordinates, else the case's."""
        victim = self.victim
        lat = victim.latitude if victim.latitude is not None else self.latitude
        lon = victim.longitude if victim.longitude is not None else self.longitude
        return lat is not None and lon is not None


class RiskAssessment(PublicRecord):
    """One dated assessment. Assessments are never overwritten: a regrade is a new record."""

    class Tool(models.TextChoices):
        DARA = "DARA", "DARA"
        DASH = "DASH", "Police DASH (27 questions)"
        RIC = "RIC", "SafeLives Dash RIC (24 questions)"

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="risk_assessments"
    )
    victim = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    tool = models.CharField(max_length=4, choices=Tool.choices)
    tool_version = models.CharField(max_length=20, blank=True)
    answers = models.JSONField(
        default=list, blank=True, help_text='"yes" / "no" / "dont_know" per question.'
    )
    yes_count = models.PositiveSmallIntegerField(null=True, blank=True)
    grade = models.CharField(max_length=10, choices=RiskGrade.choices)
    rationale = models.TextField(blank=True)
    regrade_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="regrades"
    )
    regrade_reason = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_by_name = models.CharField(max_length=120, blank=True)
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["-assessed_at"]

    def __str__(self) -> str:
        return f"{self.tool} {self.get_grade_display()} ({self.assessed_at:%Y-%m-%d})"

    @property
    def visible_high_risk(self) -> bool:
        return self.yes_count is not None and self.yes_count >= 14


class CustodyEpisode(PublicRecord):
    class Status(models.TextChoices):
        IN_CUSTODY = "in_custody", "In custody"
        BAILED = "bailed", "Bailed"
        RELEASED_RUI = "released_rui", "Released under investigation"
        CHARGED_REMANDED = "charged_remanded", "Charged and remanded"
        RELEASED_NFA = "released_nfa", "Released, no further action"
        RELEASED = "released", "Released"

    custody_ref = models.CharField(max_length=40, unique=True)
    suspect = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="custody_episodes"
    )
    investigation = models.ForeignKey(
        Investigation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="custody_episodes",
    )
    arrested_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_CUSTODY)
    expected_release_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-arrested_at"]

    def __str__(self) -> str:
        return self.custody_ref


class IntakeImport(PublicRecord):
    """One file given to an importer: kept for the preview step and as the import history."""

    class Kind(models.TextChoices):
        INVESTIGATIONS = "investigations", "Police investigations"
        CUSTODY = "custody", "Custody events"

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Checked, not imported"
        IMPORTED = "imported", "Imported"
        REJECTED = "rejected", "Rejected"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    file_name = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    stored_path = models.CharField(
        max_length=400, blank=True, help_text="Under var/; removed after import."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"
