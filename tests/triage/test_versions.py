"""The active triage policy version, created from the documented default the first time."""

from __future__ import annotations

import pytest

from provide.core.triage import DEFAULT_POLICY
from provide.triage.mapping import policy_from
from provide.triage.models import TriagePolicy
from provide.triage.versions import triage_policy_active, triage_policy_ensure_default

pytestmark = pytest.mark.django_db


def test_the_default_is_created_once_and_reads_back_as_the_core_default() -> None:
    first = triage_policy_ensure_default()
    assert triage_policy_ensure_default() == first and TriagePolicy.objects.count() == 1
    assert first.is_active and policy_from(first) == DEFAULT_POLICY


def test_the_active_policy_is_the_newest_active_version() -> None:
    default = triage_policy_active()
    newer = TriagePolicy.objects.create(
        version=default.version + 1,
        name="Winter",
        look_back_hours=24,
        weights=default.weights,
        thresholds=default.thresholds,
        eligibility=default.eligibility,
        is_active=True,
    )
    TriagePolicy.objects.create(
        version=default.version + 2,
        name="Draft",
        look_back_hours=24,
        weights=default.weights,
        thresholds=default.thresholds,
        eligibility=default.eligibility,
        is_active=False,
    )
    assert triage_policy_active() == newer
