"""The health section of the person page: health roles only."""

from __future__ import annotations

from typing import Any

import pytest

from provide.health.person_page import PERSON_SECTIONS

pytestmark = pytest.mark.django_db
(SECTION,) = PERSON_SECTIONS


@pytest.mark.parametrize(
    "slug",
    [
        "response_officer",
        "triage_sergeant",
        "joint_team_officer",
        "safeguarding_officer",
        "analyst",
        "administrator",
    ],
)
def test_no_health_section_for_other_roles(
    slug: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    assert SECTION.context(make_user(slug), west_case["victim"]) is None


def test_the_idva_sees_the_victims_support_records(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    context = SECTION.context(make_user("health_idva"), west_case["victim"])
    assert context is not None
    assert [r.tracker_id for r in context["support_records"]] == ["T-1"]
    assert (SECTION.key, SECTION.template) == ("health", "health/_person_support_records.html")
