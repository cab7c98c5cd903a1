"""What a board card and the board's filter show, worked out before the template."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.triage.models import TriageDecision
from provide.triage.presenters import (
    SHOW_ALL,
    SHOW_DECIDED,
    SHOW_UNDECIDED,
    BoardView,
    CaseCard,
    board_view,
    case_card,
    show_from,
    when,
)
from provide.triage.selectors import TriageBoard, board_build
from provide.triage.services import triage_decision_record
from tests.triage.conftest import BOARD_DATE, CUTOFF

pytestmark = pytest.mark.django_db
URLS = {SHOW_UNDECIDED: "/board", SHOW_DECIDED: "/board?show=decided", SHOW_ALL: "/board?show=all"}


def board(areas: dict[str, Any]) -> TriageBoard:
    return board_build(bcu=areas["west"], on_date=BOARD_DATE)


def card_for(built: TriageBoard, reference: str, **kwargs: Any) -> CaseCard:
    row = next(
        r
        for r in [*built.rows, *built.carried_over_rows]
        if r.investigation.investigation_ref == reference
    )
    return case_card(row, **kwargs)


def view(built: TriageBoard, show: str, pinned: frozenset[str] = frozenset()) -> BoardView:
    return board_view(built, show, lambda rows: [case_card(r) for r in rows], URLS, pinned)


def test_when_is_local_time_and_blank_for_none() -> None:
    assert when(dt.datetime(2023, 6, 13, 6, 0, tzinfo=dt.UTC)) == "Tue 13 Jun 07:00"
    assert when(dt.datetime(2023, 1, 10, 7, 0, tzinfo=dt.UTC)) == "Tue 10 Jan 07:00"
    assert when(None) == ""


@pytest.mark.parametrize(
    ("value", "show"),
    [
        (None, SHOW_UNDECIDED),
        ("decided", SHOW_DECIDED),
        ("all", SHOW_ALL),
        ("everything", SHOW_UNDECIDED),
        ("", SHOW_UNDECIDED),
    ],
)
def test_show_from_defaults_to_undecided(value: str | None, show: str) -> None:
    assert show_from(value) == show


def test_a_high_risk_card_with_the_suspect_in_custody(
    areas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    built = board(areas)
    card = card_for(built, "WB/23/HIGH", query="show=all")
    texts = [tag.text for tag in card.tags]
    assert texts[0] == "High" and texts[1] == f"{card.total} points"
    assert "Suspect in custody" in texts and "Eligible" in texts
    details = dict(card.details)
    assert details["Recorded"] == f"{when(triage_day['high'].recorded_at)} · Blackpool"
    assert details["24-hour clock"].startswith(
        f"First police visit {when(triage_day['high'].first_police_visit_at)}"
    )
    assert "Custody" in details and "Decision" not in details
    assert card.decide_url.endswith("?show=all") and not card.decided
    assert [radio.value for radio in card.radios] == list(TriageDecision.Decision.values)
    assert not any(radio.checked for radio in card.radios) and not card.has_errors


def test_an_ineligible_card_asks_for_a_reason_to_accept(
    areas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    card = card_for(board(areas), "WB/23/PLAIN")
    assert "Not eligible" in [tag.text for tag in card.tags]
    assert card.reason_hint.startswith("Needed if you accept this case (you override the policy)")


def test_a_decided_card_shows_the_decision_and_who_made_it(
    personas: dict[str, Any], areas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    sergeant = personas["triage_sergeant"]
    triage_decision_record(
        user=sergeant,
        investigation_id=triage_day["high"].public_id,
        decision="joint_visit_post",
        as_of=CUTOFF,
    )
    card = card_for(board(areas), "WB/23/HIGH", recorded=True)
    assert card.decided and "Joint visit (post-incident)" in [tag.text for tag in card.tags]
    decision = dict(card.details)["Decision"]
    assert decision.startswith("Joint visit (post-incident): ") and str(sergeant) in decision
    assert card.recorded_message.startswith(
        "Decision recorded: Joint visit (post-incident) (policy version "
    )


def test_the_default_view_shows_undecided_cases_and_folds_the_decided(
    personas: dict[str, Any], areas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    triage_decision_record(
        user=personas["triage_sergeant"],
        investigation_id=triage_day["high"].public_id,
        decision="joint_visit_post",
        as_of=CUTOFF,
    )
    built = board(areas)
    undecided = view(built, SHOW_UNDECIDED)
    assert [s.id for s in undecided.sections][:2] == ["eligible", "ineligible"]
    shown = {card.reference for s in undecided.sections for card in s.cards}
    assert "WB/23/HIGH" not in shown and "WB/23/PLAIN" in shown
    assert undecided.folded == undecided.decided == 1
    assert [(link.show, link.count, link.current) for link in undecided.links] == [
        (SHOW_UNDECIDED, undecided.undecided, True),
        (SHOW_DECIDED, 1, False),
        (SHOW_ALL, undecided.undecided + 1, False),
    ]
    decided = view(built, SHOW_DECIDED)
    assert [s.id for s in decided.sections] == ["decided"] and decided.folded == 0
    assert [card.reference for card in decided.sections[0].cards] == ["WB/23/HIGH"]
    everything = view(built, SHOW_ALL)
    assert {s.id for s in everything.sections} >= {"eligible", "ineligible", "decided"}


def test_a_pinned_case_with_form_errors_is_shown_whatever_the_filter(
    personas: dict[str, Any], areas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    triage_decision_record(
        user=personas["triage_sergeant"],
        investigation_id=triage_day["high"].public_id,
        decision="joint_visit_post",
        as_of=CUTOFF,
    )
    built = board(areas)
    pinned = frozenset({str(triage_day["high"].public_id)})
    shown = {
        card.reference for s in view(built, SHOW_UNDECIDED, pinned).sections for card in s.cards
    }
    assert "WB/23/HIGH" in shown
