"""The board as plain data for the API and ``provide triage --json``: ids, never names."""

from __future__ import annotations

import json
from typing import Any

import pytest

from provide.triage.export import board_to_dict, decision_to_dict
from provide.triage.selectors import board_build
from provide.triage.services import triage_decision_record
from tests.triage.conftest import BOARD_DATE, CUTOFF

pytestmark = pytest.mark.django_db


def test_the_board_as_json_names_no_victim(
    areas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    document = board_to_dict(board_build(bcu=areas["west"], on_date=BOARD_DATE))
    text = json.dumps(document)
    for key in ("high", "need", "plain", "repeat", "regraded"):
        victim = triage_day[key].victim
        assert (
            f"{victim.given_name} {victim.family_name}" not in text
            and victim.given_name not in text
        )
        assert str(victim.public_id) in text


def test_the_window_counts_and_cases_match_the_board(
    areas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    board = board_build(bcu=areas["west"], on_date=BOARD_DATE)
    document = board_to_dict(board)
    assert (document["bcu"], document["date"]) == ("West", "2023-01-10")
    assert (
        document["window"]["cutoff"] == CUTOFF.isoformat()
        and document["window"]["look_back_hours"] == 24
    )
    assert document["counts"]["cases"] == len(document["cases"]) == len(board.rows) == 5
    assert [case["rank"] for case in document["cases"]] == list(range(1, 6))
    assert {case["investigation_ref"] for case in document["cases"]} == {
        "WB/23/HIGH",
        "WB/23/NEED",
        "WB/23/PLAIN",
        "WB/23/REPEAT",
        "WB/23/REGRADE",
    }


def test_a_case_carries_its_clock_custody_and_score(
    areas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    cases = {
        c["investigation_ref"]: c
        for c in board_to_dict(board_build(bcu=areas["west"], on_date=BOARD_DATE))["cases"]
    }
    high = cases["WB/23/HIGH"]
    assert high["risk_grade"] == "high" and high["investigation_id"] == str(
        triage_day["high"].public_id
    )
    assert high["clock"]["hours_since_first_visit"] == 20.0 and high["clock"]["hours_left"] == 4.0
    assert high["custody"]["custody_ref"] == "C-1" and high["custody"]["hours_to_release"] == 5.0
    assert high["custody"]["summary"].endswith("in 5 h")
    assert high["score"] == sum(factor["points"] for factor in high["factors"])
    assert (
        cases["WB/23/PLAIN"]["custody"] is None and cases["WB/23/REGRADE"]["risk_grade"] == "high"
    )
    assert high["decision"] is None


def test_a_decision_is_exported_with_who_made_it_and_under_which_policy(
    personas: dict[str, Any], areas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    sergeant = personas["triage_sergeant"]
    decision = triage_decision_record(
        user=sergeant,
        investigation_id=triage_day["plain"].public_id,
        decision="joint_visit_post",
        reason="Victim asked for support",
        as_of=CUTOFF,
    )
    data = decision_to_dict(decision)
    assert data is not None
    assert (data["decision"], data["decision_label"], data["decided_by"]) == (
        "joint_visit_post",
        "Joint visit (post-incident)",
        sergeant.get_username(),
    )
    assert data["eligibility_overridden"] and not data["eligible_by_policy"]
    assert data["investigation_id"] == str(triage_day["plain"].public_id)
    assert data["policy_version"] == decision.policy.version
    assert decision_to_dict(None) is None
    cases = {
        c["investigation_ref"]: c
        for c in board_to_dict(board_build(bcu=areas["west"], on_date=BOARD_DATE))["cases"]
    }
    assert cases["WB/23/PLAIN"]["decision"]["id"] == data["id"]
