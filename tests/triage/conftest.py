"""A West BCU triage day (Tuesday 10 January 2023, board cut at 07:00 GMT) with one case of
each kind the board must tell apart, plus cases it must leave out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.areas.models import Area
from provide.intake.models import CustodyEpisode, Investigation, RiskAssessment
from provide.people.models import Person
from provide.safeguarding.models import MaracCase

BOARD_DATE = dt.date(2023, 1, 10)
CUTOFF = dt.datetime(2023, 1, 10, 7, 0, tzinfo=dt.UTC)


def before(hours: float) -> dt.datetime:
    return CUTOFF - dt.timedelta(hours=hours)


class Maker:
    def __init__(self, areas: dict[str, Area]) -> None:
        self.areas = areas
        self.count = 0

    def person(self, name: str, **fields: Any) -> Person:
        given, family = name.split()
        return Person.objects.create(given_name=given, family_name=family, synthetic=True, **fields)

    def investigation(
        self,
        ref: str,
        *,
        victim: Person,
        recorded: float,
        grade: str = "medium",
        visit: float | None = None,
        bcu: str = "west",
        **fields: Any,
    ) -> Investigation:
        self.count += 1
        return Investigation.objects.create(
            investigation_ref=ref,
            recorded_at=before(recorded),
            first_police_visit_at=before(visit) if visit is not None else None,
            bcu=self.areas[bcu],
            district=self.areas["blackpool" if bcu == "west" else "burnley"],
            victim=victim,
            risk_grade=grade,
            **fields,
        )


@pytest.fixture
def make(areas: dict[str, Area]) -> Maker:
    return Maker(areas)


@pytest.fixture
def triage_day(make: Maker) -> dict[str, Any]:
    """Five West cases on the board; one too old, one in the East, one after the cut-off."""
    suspect = make.person("Sid Custody")
    high = make.investigation(
        "WB/23/HIGH",
        victim=make.person("Hana High"),
        recorded=21,
        visit=20,
        grade="high",
        suspect=suspect,
    )
    CustodyEpisode.objects.create(
        custody_ref="C-1",
        suspect=suspect,
        arrested_at=before(10),
        expected_release_at=CUTOFF + dt.timedelta(hours=5),
        status=CustodyEpisode.Status.RELEASED,
        released_at=CUTOFF + dt.timedelta(hours=5),
    )
    need = make.investigation(
        "WB/23/NEED",
        victim=make.person("Mia Medium", vulnerabilities=["mental_health"]),
        recorded=6,
        visit=5,
    )
    plain = make.investigation(
        "WB/23/PLAIN", victim=make.person("Sam Standard"), recorded=3, visit=2, grade="standard"
    )
    repeat_victim = make.person("Rita Repeat")
    for months_ago in (2, 5):
        make.investigation(
            f"WB/22/R{months_ago}", victim=repeat_victim, recorded=24 * 30 * months_ago
        )
    MaracCase.objects.create(
        victim=repeat_victim, criterion="visible_high_risk", meeting_on=dt.date(2022, 11, 3)
    )
    repeat = make.investigation("WB/23/REPEAT", victim=repeat_victim, recorded=12, visit=11)
    regraded = make.investigation(
        "WB/23/REGRADE", victim=make.person("Gina Graded"), recorded=8, visit=7, grade="standard"
    )
    RiskAssessment.objects.create(
        investigation=regraded,
        victim=regraded.victim,
        tool="DARA",
        grade="standard",
        assessed_at=before(7),
    )
    RiskAssessment.objects.create(
        investigation=regraded,
        victim=regraded.victim,
        tool="DARA",
        grade="high",
        assessed_at=before(1),
        regrade_reason="Supervisor review",
    )
    too_old = make.investigation(
        "WB/23/OLD", victim=make.person("Olive Old"), recorded=25, visit=24, grade="high"
    )
    east = make.investigation(
        "EB/23/EAST", victim=make.person("Erin East"), recorded=4, visit=3, grade="high", bcu="east"
    )
    later = make.investigation(
        "WB/23/LATER", victim=make.person("Lola Later"), recorded=-2, visit=-3, grade="high"
    )
    return {
        "high": high,
        "need": need,
        "plain": plain,
        "repeat": repeat,
        "regraded": regraded,
        "too_old": too_old,
        "east": east,
        "later": later,
        "suspect": suspect,
    }
