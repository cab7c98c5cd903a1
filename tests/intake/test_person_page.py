"""The investigations section of the person page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.intake.models import Investigation
from provide.intake.person_page import PERSON_SECTIONS

pytestmark = pytest.mark.django_db
(SECTION,) = PERSON_SECTIONS


def test_the_victims_investigations_newest_first_at_most_twenty(
    make_user: Any, areas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    victim, first = west_case["victim"], west_case["investigation"]
    for n in range(1, 21):
        Investigation.objects.create(
            investigation_ref=f"WB/2025/{n:06d}",
            bcu=areas["west"],
            victim=victim,
            recorded_at=first.recorded_at - dt.timedelta(days=n),
            risk_grade="standard",
        )
    context = SECTION.context(make_user("triage_sergeant"), victim)
    assert context is not None and context["caption"] == "Investigations as victim"
    refs = [i.investigation_ref for i in context["investigations"]]
    assert len(refs) == 20 and refs[0] == first.investigation_ref and refs[-1] == "WB/2025/000019"


def test_a_suspect_has_no_investigations_as_victim(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    context = SECTION.context(make_user("triage_sergeant"), west_case["investigation"].suspect)
    assert context is not None and list(context["investigations"]) == []
