"""Writes for the triage policy and decisions."""

from __future__ import annotations

from django.db import transaction

from provide.triage.models import TriagePolicy

DEFAULT_WEIGHTS = {
    "risk_high": 50, "risk_medium": 25, "risk_standard": 5,
    "suspect_in_custody": 20, "hours_since_first_visit_per_hour": 1,
    "repeat_victim": 10, "da_events_12_months_each": 3, "children_in_household": 8,
    "pregnancy": 12, "vulnerability_each": 4, "coercive_control": 8, "language_need": 4,
}
DEFAULT_ELIGIBILITY = {
    "always": ["high"],
    "with_vulnerability_or_health_need": ["medium", "standard"],
    "escalation_events_12_months": 3,
}


@transaction.atomic
def triage_policy_ensure_default() -> TriagePolicy:
    """The first policy version (SPEC §4), created once and active unless another is."""
    policy = TriagePolicy.objects.order_by("version").first()
    if policy is not None:
        return policy
    return TriagePolicy.objects.create(
        version=1, name="Operation Provide default", look_back_hours=24,
        weights=DEFAULT_WEIGHTS, eligibility=DEFAULT_ELIGIBILITY, is_active=True,
        notes="High risk always eligible; medium and standard with vulnerabilities, health "
              "needs or escalation (seed 002).",
    )
