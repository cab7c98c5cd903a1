"""The visits section of the person page, read through the visits selector."""

from __future__ import annotations

from typing import Any

import pytest

from provide.visits.person_page import PERSON_SECTIONS

pytestmark = pytest.mark.django_db
(SECTION,) = PERSON_SECTIONS


def test_the_joint_team_sees_the_victims_visits(make_user: Any, west_case: dict[str, Any]) -> None:
    context = SECTION.context(make_user("joint_team_officer"), west_case["victim"])
    assert context is not None and list(context["visits"]) == [west_case["visit"]]
    assert (SECTION.key, SECTION.order) == ("visits", 20)


def test_an_officer_of_another_bcu_sees_no_visit(make_user: Any, west_case: dict[str, Any]) -> None:
    east_officer = make_user("joint_team_officer", bcu="east", username="east.officer")
    context = SECTION.context(east_officer, west_case["victim"])
    assert context is not None and list(context["visits"]) == []
