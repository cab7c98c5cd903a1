"""The upgrade that adds the repeat suspect, must-attend and ranking rules to a policy in use: a new
version (the old one is never edited) that keeps every other setting, added once."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps

from provide.triage.mapping import policy_from
from provide.triage.models import TriagePolicy

pytestmark = pytest.mark.django_db
upgrade: Any = importlib.import_module(
    "provide.triage.migrations.0004_policy_version_with_repeat_suspect_and_must_attend"
)

OLD_WEIGHTS = {"risk_high": 60, "risk_medium": 25, "risk_standard": 5, "pregnancy": 30}
OLD_THRESHOLDS = {"target_hours": 24, "warning_hours": 4}
OLD_ELIGIBILITY = {
    "always": ["high"],
    "with_vulnerability_or_health_need": ["medium"],
    "escalation_events_12_months": 3,
}


def _version_in_use_before_the_upgrade() -> TriagePolicy:
    return TriagePolicy.objects.create(
        version=3,
        name="Local",
        look_back_hours=30,
        weights=OLD_WEIGHTS,
        thresholds=OLD_THRESHOLDS,
        eligibility=OLD_ELIGIBILITY,
        is_active=True,
    )


def test_the_upgrade_adds_a_version_with_the_new_rules_and_keeps_the_old_settings() -> None:
    old = _version_in_use_before_the_upgrade()
    upgrade.forwards(apps, None)
    new = TriagePolicy.objects.get(is_active=True)
    assert new.version == 4 and new.look_back_hours == 30 and new.name == "Local"
    assert new.weights == {**OLD_WEIGHTS, "repeat_suspect": 10}
    policy = policy_from(new)
    assert policy.thresholds.rank_high_risk_first and policy.thresholds.warning_hours == 4
    assert {g.value for g in policy.eligibility.must_attend} == {"high"}
    old.refresh_from_db()
    assert (old.is_active, old.weights, old.thresholds) == (False, OLD_WEIGHTS, OLD_THRESHOLDS)
    assert "repeat suspect (10 points)" in new.notes


def test_the_upgrade_runs_once() -> None:
    _version_in_use_before_the_upgrade()
    upgrade.forwards(apps, None)
    upgrade.forwards(apps, None)
    assert list(TriagePolicy.objects.order_by("version").values_list("version", "is_active")) == [
        (3, False),
        (4, True),
    ]


def test_a_new_installation_has_nothing_to_upgrade() -> None:
    upgrade.forwards(apps, None)
    assert not TriagePolicy.objects.exists()
