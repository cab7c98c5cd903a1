"""Intake writes: imports of police extracts and custody feeds, and risk assessments."""

from provide.intake.services.custody import custody_import
from provide.intake.services.importing import ImportResult
from provide.intake.services.investigations import investigations_import

__all__ = ["ImportResult", "custody_import", "investigations_import"]
