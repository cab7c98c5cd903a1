"""provide triage: the same ranked queue, with reasons, as text or JSON."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from provide.triage.selectors import board_build
from tests.triage.conftest import BOARD_DATE

pytestmark = pytest.mark.django_db


def test_text_lists_the_ranked_cases_with_their_reasons(
    triage_day: dict[str, Any], areas: Any
) -> None:
    out = StringIO()
    call_command("triage", "--bcu", "west", "--date", "2023-01-10", stdout=out)
    text = out.getvalue()
    assert text.startswith("Triage board: West BCU, Tuesday 10 January 2023")
    board = board_build(bcu=areas["west"], on_date=BOARD_DATE)
    order = [
        line.split()[1] for line in text.splitlines() if line[:4].strip().rstrip(".").isdigit()
    ]
    assert order == [row.investigation.investigation_ref for row in board.rows]
    assert "Suspect in custody: Suspect in police custody now; expected release in 5 hours" in text
    assert "Eligibility: Standard risk with no vulnerability" in text


def test_json_matches_the_board(triage_day: dict[str, Any]) -> None:
    out = StringIO()
    call_command("triage", "--bcu", "West", "--date", "2023-01-10", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["date"] == "2023-01-10" and [c["rank"] for c in data["cases"]] == [1, 2, 3, 4, 5]
    assert data["window"]["look_back_hours"] == 24


def _high_at(time: str) -> dict[str, Any]:
    out = StringIO()
    call_command(
        "triage", "--bcu", "West", "--date", "2023-01-10", "--at", time, "--json", stdout=out
    )
    return next(
        c for c in json.loads(out.getvalue())["cases"] if c["investigation_ref"] == "WB/23/HIGH"
    )


def test_at_moves_the_moment_the_clock_and_the_custody_window(triage_day: dict[str, Any]) -> None:
    # First police visit 11:00 the day before; the suspect is released at 12:00.
    at_eleven, at_noon = _high_at("11:00"), _high_at("12:00")
    assert (
        at_eleven["clock"]["state"] == "breached"
        and at_eleven["custody"]["hours_to_release"] == 1.0
    )
    assert at_noon["custody"] is None


@pytest.mark.parametrize("args", [["--bcu", "Nowhere"], ["--bcu", "West", "--date", "2999-01-01"]])
def test_bad_arguments_say_what_is_wrong(args: list[str], areas: Any) -> None:
    with pytest.raises(CommandError):
        call_command("triage", *args)
