"""The active triage policy version, created from the documented default the first time."""

from __future__ import annotations

from django.db import transaction

from provide.core.triage import DEFAULT_POLICY, policy_to_mappings
from provide.triage.models import TriagePolicy

DEFAULT_NOTES = (
    "High risk always eligible; medium and standard with vulnerabilities, health needs "
    "or escalation (seed 002). Weights: docs/models/triage.md."
)


@transaction.atomic
def triage_policy_ensure_default() -> TriagePolicy:
    """The first policy version (SPEC §4, ``core.triage.DEFAULT_POLICY``), created once."""
    policy = TriagePolicy.objects.order_by("version").first()
    if policy is not None:
        return policy
    stored = policy_to_mappings(DEFAULT_POLICY)
    return TriagePolicy.objects.create(
        version=DEFAULT_POLICY.version,
        name=DEFAULT_POLICY.name,
        look_back_hours=DEFAULT_POLICY.look_back_hours,
        weights=stored["weights"],
        eligibility=stored["eligibility"],
        thresholds=stored["thresholds"],
        is_active=True,
        notes=DEFAULT_NOTES,
    )


def triage_policy_active() -> TriagePolicy:
    """The newest active version (the default is created on first use)."""
    policy = TriagePolicy.objects.filter(is_active=True).order_by("-version").first()
    return policy if policy is not None else triage_policy_ensure_default()
