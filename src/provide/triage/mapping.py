"""ORM rows to the pure triage core's facts and policy, and back."""

from __future__ import annotations

from typing import Any

from provide.core.triage import (
    CaseFacts,
    CustodyWindow,
    Grade,
    Policy,
    VictimHistory,
    eligibility_from_mapping,
    thresholds_from_mapping,
    weights_from_mapping,
)
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.triage.models import TriagePolicy

LANGUAGE_NAMES = {
    "pl": "Polish",
    "ur": "Urdu",
    "pa": "Punjabi",
    "gu": "Gujarati",
    "ro": "Romanian",
    "bn": "Bengali",
    "ar": "Arabic",
    "ku": "Kurdish",
    "lt": "Lithuanian",
}
"""Names for the ISO 639-1 codes the police extract uses; other values are shown as given."""


def grade_from(value: str | None) -> Grade | None:
    """The core grade for a stored grade (``""`` or unknown values are ungraded)."""
    try:
        return Grade(value) if value else None
    except ValueError:
        return None


def policy_from(row: TriagePolicy) -> Policy:
    """The core policy of a stored version."""
    return Policy(
        version=row.version,
        name=row.name,
        look_back_hours=row.look_back_hours,
        weights=weights_from_mapping(row.weights or {}),
        thresholds=thresholds_from_mapping(row.thresholds or {}),
        eligibility=eligibility_from_mapping(row.eligibility or {}),
    )


def language_need_from(person: Person) -> str:
    """``"an interpreter (Polish)"``, ``"support in Urdu"`` or ``""``."""
    language = LANGUAGE_NAMES.get(person.language, person.language)
    if person.interpreter_needed:
        return f"an interpreter ({language})" if language else "an interpreter"
    if language:
        return f"support in {language}"
    return "a language other than English" if "language" in (person.vulnerabilities or []) else ""


def _children(investigation: Investigation, person: Person) -> bool | None:
    counted = person.children_in_household
    if (counted or 0) > 0 or investigation.children_present:
        return True
    if counted == 0 or investigation.children_present is False:
        return False
    return None


def case_facts_from(
    investigation: Investigation,
    *,
    history: VictimHistory | None = None,
    custody: CustodyWindow | None = None,
    grade: str | None = None,
    suspect_events: int = 0,
) -> CaseFacts:
    """The facts of one investigation.

    ``grade`` is the latest risk assessment's grade (a regrade wins); without one the
    investigation's own grade is used. ``investigation.victim`` must be loaded.
    """
    victim: Any = investigation.victim
    vulnerabilities = frozenset(str(v) for v in (victim.vulnerabilities or []))
    return CaseFacts(
        case_id=str(investigation.public_id),
        reference=investigation.investigation_ref,
        recorded_at=investigation.recorded_at,
        first_police_visit_at=investigation.first_police_visit_at,
        risk_grade=grade_from(grade or investigation.risk_grade),
        custody=custody,
        history=history or VictimHistory(),
        children_in_household=_children(investigation, victim),
        pregnant=bool(investigation.victim_pregnant) or "pregnancy" in vulnerabilities,
        vulnerabilities=vulnerabilities,
        abuse_types=frozenset(str(a) for a in (investigation.abuse_types or [])),
        language_need=language_need_from(victim),
        suspect_da_events_12_months=suspect_events,
    )
