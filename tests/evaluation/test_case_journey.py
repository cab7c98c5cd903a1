"""The dashboard's "where cases stand now" reads the case lifecycle and hides small counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from provide.evaluation.selectors import case_journey_for

pytestmark = pytest.mark.django_db


def test_case_journey_counts_states_and_suppresses_small_counts(personas: dict[str, Any], west_case: Any) -> None:
    steps = {step.state: step for step in case_journey_for(user=personas["idva_manager"], bcu_name="West")}
    assert steps["new"].count == 1 and steps["new"].shown == "fewer than 5"
    assert steps["closed"].count == 0 and steps["closed"].shown == "0"
    assert all(step.count == 0 for step in case_journey_for(user=personas["analyst"], bcu_name="East"))
    with pytest.raises(PermissionDenied):
        case_journey_for(user=personas["response_officer"], bcu_name=None)


def test_the_dashboard_shows_the_case_journey(personas: dict[str, Any], west_case: Any) -> None:
    client = Client()
    client.force_login(personas["idva_manager"])
    body = client.get("/evaluation/").content.decode()
    assert "Where cases stand now" in body and "New: awaiting triage" in body and "fewer than 5" in body
