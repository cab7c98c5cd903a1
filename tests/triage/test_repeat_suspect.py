"""A serial perpetrator on the board: the suspect's other DA investigations, against any victim,
in the 12 months to the board's moment earn the repeat-suspect points with the reason."""

from __future__ import annotations

from typing import Any

import pytest

from provide.triage.selectors import triage_board_for
from tests.triage.conftest import BOARD_DATE, Maker

pytestmark = pytest.mark.django_db
DAYS = 24


def _factors(personas: dict[str, Any], ref: str) -> dict[str, Any]:
    board = triage_board_for(user=personas["triage_sergeant"], on_date=BOARD_DATE)
    (row,) = [row for row in board.rows if row.investigation.investigation_ref == ref]
    return {factor.code: factor for factor in row.assessment.score.factors}


def test_a_suspect_named_against_other_victims_this_year_is_scored_with_the_reason(
    personas: dict[str, Any], make: Maker
) -> None:
    # Given a suspect named against two other victims in the last year
    suspect = make.person("Sol Serial")
    make.investigation(
        "WB/22/S1", victim=make.person("Ada Earlier"), recorded=DAYS * 90, suspect=suspect
    )
    make.investigation(
        "WB/22/S2", victim=make.person("Bea Earlier"), recorded=DAYS * 300, suspect=suspect
    )
    make.investigation(
        "WB/23/NOW", victim=make.person("Cat Today"), recorded=5, visit=4, suspect=suspect
    )
    # Then today's case scores the repeat suspect
    factor = _factors(personas, "WB/23/NOW")["repeat_suspect"]
    assert factor.points == 10
    assert (
        factor.reason == "The suspect is named in 2 other DA investigations in the last 12 months"
    )


def test_an_investigation_over_a_year_old_does_not_make_a_repeat_suspect(
    personas: dict[str, Any], make: Maker
) -> None:
    suspect = make.person("Tom Once")
    make.investigation(
        "WB/21/T1", victim=make.person("Dee Longago"), recorded=DAYS * 370, suspect=suspect
    )
    make.investigation(
        "WB/23/NOW", victim=make.person("Eve Today"), recorded=5, visit=4, suspect=suspect
    )
    assert "repeat_suspect" not in _factors(personas, "WB/23/NOW")


def test_a_case_with_no_known_suspect_is_not_a_repeat_suspect(
    personas: dict[str, Any], make: Maker
) -> None:
    make.investigation("WB/23/NOW", victim=make.person("Fay Today"), recorded=5, visit=4)
    assert "repeat_suspect" not in _factors(personas, "WB/23/NOW")
