"""The intake models' own behaviour: the visible-high-risk rule and how records name themselves."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.intake.models import CustodyEpisode, IntakeImport, Investigation, RiskAssessment

pytestmark = pytest.mark.django_db
ASSESSED = dt.datetime(2026, 3, 9, 14, 30, tzinfo=dt.UTC)


def assessment(investigation: Investigation, **fields: Any) -> RiskAssessment:
    values: dict[str, Any] = {
        "investigation": investigation,
        "victim": investigation.victim,
        "tool": RiskAssessment.Tool.DASH,
        "grade": "medium",
        "assessed_at": ASSESSED,
        **fields,
    }
    return RiskAssessment.objects.create(**values)


@pytest.mark.parametrize(
    ("yes_count", "visible"), [(None, False), (0, False), (13, False), (14, True), (24, True)]
)
def test_fourteen_or_more_yes_answers_is_visible_high_risk(
    west_case: dict[str, Any], yes_count: int | None, visible: bool
) -> None:
    record = assessment(west_case["investigation"], yes_count=yes_count)
    record.refresh_from_db()
    assert record.visible_high_risk is visible


def test_visible_high_risk_follows_the_count_not_the_grade(west_case: dict[str, Any]) -> None:
    """A judgement grade of high with few ticks is not *visible* high risk, and a count of 14
    is, whatever grade the officer recorded."""
    judged_high = assessment(west_case["investigation"], grade="high", yes_count=3)
    graded_standard = assessment(west_case["investigation"], grade="standard", yes_count=14)
    assert judged_high.visible_high_risk is False
    assert graded_standard.visible_high_risk is True


def test_records_name_themselves_by_reference_tool_grade_and_date(
    west_case: dict[str, Any], personas: dict[str, Any]
) -> None:
    investigation = west_case["investigation"]
    assert str(investigation) == "WB/2026/000001"
    assert (
        str(assessment(investigation, tool=RiskAssessment.Tool.RIC, grade="high"))
        == "RIC High (2026-03-09)"
    )
    episode = CustodyEpisode.objects.create(
        custody_ref="C-77", suspect=investigation.suspect, arrested_at=ASSESSED
    )
    assert str(episode) == "C-77"
    upload = IntakeImport.objects.create(
        kind=IntakeImport.Kind.CUSTODY,
        file_name="custody-feed.csv",
        file_sha256="0" * 64,
        uploaded_by=personas["administrator"],
    )
    assert str(upload) == "Custody events: custody-feed.csv"


def test_newest_records_come_first(west_case: dict[str, Any]) -> None:
    investigation = west_case["investigation"]
    older = assessment(investigation, assessed_at=ASSESSED - dt.timedelta(days=2))
    newer = assessment(investigation, assessed_at=ASSESSED)
    assert list(investigation.risk_assessments.all()) == [newer, older]
    later = Investigation.objects.create(
        investigation_ref="WB/2026/000002",
        recorded_at=investigation.recorded_at + dt.timedelta(hours=1),
        bcu=investigation.bcu,
        victim=investigation.victim,
    )
    assert list(Investigation.objects.all()) == [later, investigation]


def test_a_case_has_a_location_from_the_victim_or_else_its_own(west_case: dict[str, Any]) -> None:
    investigation: Investigation = west_case["investigation"]
    victim = investigation.victim
    assert investigation.has_location is False, "neither the victim nor the case is placed"
    investigation.latitude, investigation.longitude = 53.81, -3.05
    assert investigation.has_location is True
    investigation.latitude = investigation.longitude = None
    victim.latitude, victim.longitude = 53.82, -3.04
    assert investigation.has_location is True
    victim.longitude = None
    assert investigation.has_location is False, "half a position places nobody"
