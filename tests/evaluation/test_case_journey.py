"""The dashboard's "where cases stand now" reads the case lifecycle and hides small counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from provide.evaluation.selectors import JourneyStep, case_journey_for

pytestmark = pytest.mark.django_db


def test_case_journey_counts_states_and_publishes_small_counts_hidden(
    personas: dict[str, Any], west_case: Any
) -> None:
    published = {
        step.state: step for step in case_journey_for(user=personas["analyst"], bcu_name="West")
    }
    assert published["new"].count == 1 and published["new"].shown == "fewer than 5"
    assert published["closed"].count == 0 and published["closed"].shown == "fewer than 5"
    full = {
        step.state: step
        for step in case_journey_for(user=personas["idva_manager"], bcu_name="West")
    }
    assert (full["new"].shown, full["closed"].shown) == ("1", "0")
    assert all(
        step.count == 0 for step in case_journey_for(user=personas["analyst"], bcu_name="East")
    )
    with pytest.raises(PermissionDenied):
        case_journey_for(user=personas["response_officer"], bcu_name=None)


def test_published_journey_counts_are_rounded_so_bcus_cannot_be_differenced() -> None:
    """All BCUs 108, West 100: published 110 and 100, so East's 8 reads as anything from 6 to 14."""
    every, west = JourneyStep("new", "New", 108), JourneyStep("new", "New", 100)
    assert (every.shown, west.shown) == ("110", "100")
    assert JourneyStep("new", "New", 1288).shown == "1,290"
    assert JourneyStep("new", "New", 1288, published=False).shown == "1,288"


def test_the_dashboard_shows_the_case_journey(personas: dict[str, Any], west_case: Any) -> None:
    client = Client()
    client.force_login(personas["analyst"])
    body = client.get("/evaluation/").content.decode()
    assert (
        "Where cases stand now" in body
        and "New: awaiting triage" in body
        and "fewer than 5" in body
    )
    assert "rounded to the nearest 5" in body
