"""Areas: force → BCU (division) → district, each with the date the programme went live."""

from __future__ import annotations

from django.db import models

from provide.shared.records import PublicRecord


class Area(PublicRecord):
    class Kind(models.TextChoices):
        FORCE = "force", "Force"
        BCU = "bcu", "BCU"
        DISTRICT = "district", "District"

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    go_live_on = models.DateField(
        null=True, blank=True, help_text="The day the joint team started in this area."
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="area_unique_name_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Station(PublicRecord):
    """A police station a joint team starts and ends its shift at."""

    name = models.CharField(max_length=100, unique=True)
    bcu = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="stations")
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PostcodeCentroid(models.Model):
    """The centre of one postcode, from the ONS Postcode Directory (``provide import-postcodes``).

    A case whose extract row gives neither coordinates nor a grid reference is placed at its
    victim's postcode centroid. ``terminated_on`` is the first day of the month the postcode
    stopped being used (ONSPD ``doterm``); a terminated postcode still names a place, so old
    addresses keep their location.
    """

    postcode = models.CharField(max_length=8, unique=True, help_text='"FY1 1AA" form.')
    latitude = models.FloatField()
    longitude = models.FloatField()
    terminated_on = models.DateField(null=True, blank=True)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode
