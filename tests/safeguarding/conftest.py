"""Builders for safeguarding tests: investigations with DASH answers, dated DA events."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest

from provide.intake.models import Investigation, RiskAssessment
from provide.people.models import Person

_refs = itertools.count(100)


@pytest.fixture
def da_event(areas: dict[str, Any]) -> Callable[..., Investigation]:
    """An investigation for ``victim`` at ``at``, optionally with a DASH of ``yes`` answers."""

    def make(
        victim: Person,
        at: dt.datetime,
        *,
        yes: int | None = None,
        suspect: Person | None = None,
        bcu: str = "west",
    ) -> Investigation:
        investigation = Investigation.objects.create(
            investigation_ref=f"WB/2026/{next(_refs):06d}",
            recorded_at=at,
            bcu=areas[bcu],
            victim=victim,
            suspect=suspect,
            risk_grade="high" if (yes or 0) >= 14 else "medium",
            relationship="ex_partner",
        )
        if yes is not None:
            RiskAssessment.objects.create(
                investigation=investigation,
                victim=victim,
                tool="DASH",
                yes_count=yes,
                grade=investigation.risk_grade,
                assessed_at=at,
            )
        return investigation

    return make


@pytest.fixture
def victim(areas: dict[str, Any]) -> Callable[..., Person]:
    def make(given: str, family: str) -> Person:
        return Person.objects.create(given_name=given, family_name=family, synthetic=True)

    return make
