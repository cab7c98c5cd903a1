"""The board: which cases it holds, the facts it reads, the order, and a fixed query count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from provide.core.triage import ClockState, CustodyStatus
from provide.intake.models import CustodyEpisode
from provide.intake.presenters import custody_text
from provide.intake.selectors import custody_windows
from provide.shared.access import RecordNotFound
from provide.triage.selectors import (
    BoardUnavailable,
    board_build,
    triage_board_for,
    victim_history,
)
from provide.triage.versions import triage_policy_ensure_default
from tests.triage.conftest import BOARD_DATE, CUTOFF, Maker, before

pytestmark = pytest.mark.django_db


def _refs(board: Any) -> list[str]:
    return [row.investigation.investigation_ref for row in board.rows]


def test_board_holds_the_bcu_s_look_back_window_only(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    board = triage_board_for(user=personas["triage_sergeant"], on_date=BOARD_DATE)
    assert sorted(_refs(board)) == [
        "WB/23/HIGH",
        "WB/23/NEED",
        "WB/23/PLAIN",
        "WB/23/REGRADE",
        "WB/23/REPEAT",
    ]
    assert board.window.as_of == CUTOFF and board.policy.version == 1


def test_ranking_puts_eligible_cases_first_by_score(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    board = triage_board_for(user=personas["triage_sergeant"], on_date=BOARD_DATE)
    assert _refs(board)[-1] == "WB/23/PLAIN"  # standard, no need: the one ineligible case
    # High-risk victims first (the policy's rule, with its reason), then the rest by score.
    high = [row for row in board.eligible_rows if row.assessment.rank_note]
    others = [row for row in board.eligible_rows if not row.assessment.rank_note]
    assert board.eligible_rows == high + others and high
    assert all(row.assessment.case.risk_grade.value == "high" for row in high)
    for group in (high, others):
        scores = [row.assessment.score.total for row in group]
        assert scores == sorted(scores, reverse=True)
    assert [row.rank for row in board.rows] == [1, 2, 3, 4, 5]


def test_suspect_in_custody_at_the_board_moment_shows_the_window(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    # The suspect was released later; read back at the 07:00 cut-off they were still detained.
    board = triage_board_for(user=personas["triage_sergeant"], on_date=BOARD_DATE)
    row = board.row_for(triage_day["high"].public_id)
    assert row is not None and row.assessment.case.custody is not None
    assert row.assessment.case.custody.status is CustodyStatus.IN_CUSTODY
    assert "expected release in 5 hours" in [f.reason for f in row.assessment.score.factors][1]
    assert "in 5 h" in custody_text(row.assessment.case.custody, row.assessment.score.as_of)
    assert row.assessment.clock.state is ClockState.DUE_SOON


def test_a_new_custody_import_changes_the_next_board(
    personas: dict[str, Any], triage_day: dict[str, Any], make: Maker
) -> None:
    sergeant = personas["triage_sergeant"]
    row = triage_board_for(user=sergeant, on_date=BOARD_DATE).row_for(triage_day["need"].public_id)
    assert row is not None and row.assessment.case.custody is None
    suspect = make.person("New Arrest")
    need = triage_day["need"]
    need.suspect = suspect
    need.save()
    CustodyEpisode.objects.create(
        custody_ref="C-NEW",
        suspect=suspect,
        arrested_at=before(2),
        expected_release_at=CUTOFF + dt.timedelta(hours=20),
    )
    row = triage_board_for(user=sergeant, on_date=BOARD_DATE).row_for(need.public_id)
    assert row is not None and row.assessment.case.custody is not None
    assert "suspect_in_custody" in [f.code for f in row.assessment.score.factors]


def test_victim_history_counts_12_months_and_the_last_marac(triage_day: dict[str, Any]) -> None:
    victim_id = triage_day["repeat"].victim_id
    history = victim_history([victim_id, triage_day["plain"].victim_id], CUTOFF)
    assert history[victim_id].da_events_12_months == 3
    assert history[victim_id].last_marac_on == dt.date(2022, 11, 3)
    assert history[triage_day["plain"].victim_id].da_events_12_months == 1


def test_the_latest_regrade_sets_the_grade(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    board = triage_board_for(user=personas["triage_sergeant"], on_date=BOARD_DATE)
    row = board.row_for(triage_day["regraded"].public_id)
    assert row is not None and row.assessment.case.risk_grade is not None
    assert row.assessment.case.risk_grade.value == "high" and row.assessment.eligibility.eligible


def test_custody_windows_ignore_episodes_closed_before_the_moment(make: Maker) -> None:
    suspect = make.person("Old Arrest")
    CustodyEpisode.objects.create(
        custody_ref="C-OLD",
        suspect=suspect,
        arrested_at=before(50),
        released_at=before(30),
        status=CustodyEpisode.Status.RELEASED,
    )
    assert custody_windows([suspect.pk], CUTOFF) == {}
    CustodyEpisode.objects.create(
        custody_ref="C-REM",
        suspect=suspect,
        arrested_at=before(20),
        status=CustodyEpisode.Status.CHARGED_REMANDED,
    )
    assert custody_windows([suspect.pk], CUTOFF)[suspect.pk].status is CustodyStatus.REMANDED


def test_monday_board_reaches_over_the_weekend(personas: dict[str, Any], make: Maker) -> None:
    victim = make.person("Wendy Weekend")
    monday_cutoff = dt.datetime(2023, 1, 9, 7, tzinfo=dt.UTC)
    friday_night = make.investigation("WB/23/FRI", victim=victim, recorded=0, grade="high")
    friday_night.recorded_at = monday_cutoff - dt.timedelta(hours=58)
    friday_night.save()
    sergeant = personas["triage_sergeant"]
    assert "WB/23/FRI" in _refs(triage_board_for(user=sergeant, on_date=dt.date(2023, 1, 9)))
    assert "WB/23/FRI" not in _refs(triage_board_for(user=sergeant, on_date=dt.date(2023, 1, 8)))


def test_roles_without_the_board_are_refused(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    for slug in ("response_officer", "health_idva", "analyst", "administrator"):
        with pytest.raises(PermissionDenied):
            triage_board_for(user=personas[slug], on_date=BOARD_DATE)


def test_a_bcu_scoped_sergeant_cannot_ask_for_another_bcu(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    with pytest.raises(RecordNotFound):
        triage_board_for(user=personas["triage_sergeant"], on_date=BOARD_DATE, bcu_name="East")


def test_a_future_board_is_unavailable(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    with pytest.raises(BoardUnavailable, match="future"):
        triage_board_for(user=personas["triage_sergeant"], on_date=dt.date(2150, 1, 1))


def _history(make: Maker, areas: Any, n_cases: int) -> None:
    """``n_cases`` more cases in the window, each with a repeat victim, a suspect in custody
    and risk assessments: the data that would cause N+1 queries."""
    for i in range(n_cases):
        victim = make.person(f"Vic Tim{i}", vulnerabilities=["disability"])
        suspect = make.person(f"Sus Pect{i}")
        make.investigation(f"WB/22/H{i}", victim=victim, recorded=24 * 40)
        case = make.investigation(
            f"WB/23/N{i}", victim=victim, recorded=5 + i % 10, visit=4, suspect=suspect
        )
        CustodyEpisode.objects.create(
            custody_ref=f"C-N{i}",
            suspect=suspect,
            arrested_at=before(3),
            expected_release_at=CUTOFF + dt.timedelta(hours=9),
        )
        case.risk_assessments.create(
            victim=victim, tool="DARA", grade="medium", assessed_at=before(4)
        )


@pytest.mark.parametrize("n_cases", [3, 30])
def test_board_query_count_does_not_grow_with_the_data(
    n_cases: int,
    areas: Any,
    make: Maker,
    triage_day: dict[str, Any],
    django_assert_num_queries: Any,
) -> None:
    _history(make, areas, n_cases)
    triage_policy_ensure_default()  # created once, on first use
    # policy, investigations (+ latest grade), carried over, victims' events, MARAC, suspects' events, custody, decisions, cases
    with django_assert_num_queries(9):
        board = board_build(bcu=areas["west"], on_date=BOARD_DATE)
    assert len(board.rows) == 5 + n_cases
