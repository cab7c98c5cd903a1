"""``provide plan-file``: read a planning problem from JSON, solve it, print or write the plan.

Run as functions (no database). Each problem is a handful of visits, which the planner
settles well within the short time limits given here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from provide.cli import plan_file
from provide.core.planning.problem import BreakRule, Location, TimeWindow
from provide.core.planning.solution import (
    LeftOutVisit,
    PlanResult,
    PlanStatus,
    RouteStop,
    SolverStatistics,
    TeamRoute,
)
from provide.core.planning.travel import estimate_minutes

PROBLEM: dict[str, Any] = {
    "name": "test shift",
    "teams": [
        {
            "id": "A",
            "start": {"lat": 53.48, "lon": -2.24},
            "shift": {"start": "08:00", "end": "16:00"},
            "break": {"earliest_start": "12:00", "latest_start": "13:00", "duration_minutes": 30},
        }
    ],
    "visits": [
        {
            "id": "case-1",
            "location": {"lat": 53.50, "lon": -2.20},
            "duration_minutes": 45,
            "priority": 8,
            "time_windows": [{"start": "09:00", "end": "11:00"}],
        },
        {
            "id": "case-2",
            "location": {"lat": 53.46, "lon": -2.30},
            "duration_minutes": 30,
            "priority": 3,
            "required_skills": ["language:pl"],
        },
        {
            "id": "case-3",
            "location": [53.47, -2.25],
            "duration_minutes": 30,
            "priority": 5,
            "time_windows": [["08:00", "08:02"]],
            "reason_context": "the suspect's expected release",
        },
    ],
}
STATISTICS = SolverStatistics(
    method="search",
    seconds=0.1,
    iterations=10,
    seed=0,
    time_limit_seconds=1,
    stopped_by_clock=False,
)


def copy(data: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(data))  # type: ignore[no-any-return]


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize(
    ("value", "minutes"), [("08:30", 510), ("00:00", 0), ("25:15", 1515), (510, 510), ("45", 45)]
)
def test_minute_reads_clock_strings_and_whole_minutes(value: Any, minutes: int) -> None:
    assert plan_file.minute(value) == minutes


def test_minute_refuses_what_is_not_a_time() -> None:
    with pytest.raises(ValueError):
        plan_file.minute("half past eight")


@pytest.mark.parametrize(("minutes", "text"), [(0, "00:00"), (510, "08:30"), (1515, "25:15")])
def test_clock_formats_minutes_and_lets_hours_pass_24(minutes: int, text: str) -> None:
    assert plan_file.clock(minutes) == text


def test_problem_from_dict_reads_teams_and_visits_in_either_shape() -> None:
    problem = plan_file.problem_from_dict(PROBLEM)
    team = problem.teams[0]
    assert problem.name == "test shift"
    assert team.start == team.end == Location(53.48, -2.24), "the end defaults to the start"
    assert team.shift == TimeWindow(480, 960)
    assert team.break_rule == BreakRule(720, 780, 30)
    assert team.skills == frozenset()
    first, second, third = problem.visits
    assert first.time_windows == (TimeWindow(540, 660),) and first.priority == 8.0
    assert second.required_skills == frozenset({"language:pl"}) and second.time_windows == ()
    assert third.location == Location(53.47, -2.25), "a [lat, lon] pair is read like an object"
    assert third.time_windows == (TimeWindow(480, 482),)
    assert third.reason_context == "the suspect's expected release"
    assert not any(v.mandatory for v in problem.visits)


def test_problem_from_dict_reads_an_end_skills_and_no_break() -> None:
    data = copy(PROBLEM)
    data["teams"][0].update(end=[53.40, -2.10], skills=["language:pl"], shift=[420, 900])
    del data["teams"][0]["break"]
    data["visits"][0]["mandatory"] = True
    problem = plan_file.problem_from_dict(data)
    team = problem.teams[0]
    assert team.end == Location(53.40, -2.10) and team.start == Location(53.48, -2.24)
    assert team.skills == frozenset({"language:pl"}) and team.break_rule is None
    assert team.shift == TimeWindow(420, 900)
    assert problem.visits[0].mandatory is True


def test_problem_from_dict_estimates_travel_with_the_given_road_factor_and_speed() -> None:
    data = copy(PROBLEM)
    data["travel"] = {"road_factor": 2.0, "speed_kmh": 20}
    problem = plan_file.problem_from_dict(data)
    a, b = Location(53.48, -2.24), Location(53.50, -2.20)
    assert problem.travel_matrix is None and problem.travel_function is not None
    assert problem.travel_function(a, b) == estimate_minutes(a, b, road_factor=2.0, speed_kmh=20)
    default = plan_file.problem_from_dict(PROBLEM)
    assert default.travel_function is not None
    assert default.travel_function(a, b) == estimate_minutes(a, b, road_factor=1.3, speed_kmh=40)
    assert problem.travel_function(a, b) > default.travel_function(a, b)


def test_problem_from_dict_takes_an_injected_matrix() -> None:
    data = copy(PROBLEM)
    data["travel"] = {"matrix": {"locations": [[1, 2], [3, 4]], "minutes": [[0, 7], [9, 0]]}}
    problem = plan_file.problem_from_dict(data)
    assert problem.travel_function is None and problem.travel_matrix is not None
    assert problem.travel_matrix.locations == (Location(1.0, 2.0), Location(3.0, 4.0))
    assert problem.travel_matrix.minutes == ((0, 7), (9, 0))
    assert problem.name == "test shift" and len(problem.visits) == 3


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda d: d.pop("teams"), KeyError),
        (lambda d: d["visits"][0].pop("priority"), KeyError),
        (lambda d: d["visits"][0].update(duration_minutes="long"), ValueError),
        (lambda d: d["teams"][0].update(start=None), TypeError),
    ],
)
def test_problem_from_dict_raises_on_missing_or_malformed_fields(
    change: Any, error: type[Exception]
) -> None:
    data = copy(PROBLEM)
    change(data)
    with pytest.raises(error):
        plan_file.problem_from_dict(data)


def test_render_plan_shows_each_route_its_waits_and_breaks_then_what_was_left_out() -> None:
    result = PlanResult(
        status=PlanStatus.MANDATORY_LEFT_OUT,
        objective=8.5,
        travel_minutes=25,
        routes=(
            TeamRoute(
                team_id="A",
                departure_minute=480,
                stops=(
                    RouteStop("visit", "case-1", 495, 540, 585, 15),
                    RouteStop("break", None, 585, 585, 615, 0),
                    RouteStop("visit", "case-2", 620, 620, 650, 5),
                ),
                return_minute=655,
                travel_minutes=25,
                priority=8.5,
            ),
            TeamRoute("B", 480, (), 480, 0, 0),
        ),
        left_out=(
            LeftOutVisit("case-3", "no team free before the release", mandatory=True),
            LeftOutVisit("case-4", "no time left"),
        ),
        statistics=STATISTICS,
        bound=12.0,
    )
    assert plan_file.render_plan(result).splitlines() == [
        "Plan status: mandatory_left_out; total priority 8.5 (upper bound 12); travel 25 min",
        "",
        "Team A: leave base 08:00",
        "  09:00-09:45  visit case-1  (drive 15 min, wait 45 min)",
        "  09:45-10:15  break",
        "  10:20-10:50  visit case-2  (drive 5 min)",
        "  back at base 10:55; travel 25 min",
        "",
        "Team B: leave base 08:00",
        "  back at base 08:00; travel 0 min",
        "",
        "Left out:",
        "  case-3 [MANDATORY]: no team free before the release",
        "  case-4: no time left",
    ]


def test_render_plan_without_a_bound_or_left_out_visits_says_neither() -> None:
    result = PlanResult(PlanStatus.OPTIMAL, 0, 0, (), (), STATISTICS)
    assert plan_file.render_plan(result) == "Plan status: optimal; total priority 0; travel 0 min"


def test_plan_file_prints_a_readable_plan(tmp_path: Path, capsys: Any) -> None:
    assert plan_file.main([str(write(tmp_path, PROBLEM)), "--time-limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "Team A: leave base" in out
    assert "visit case-1" in out and "break" in out
    assert "case-2: needs skill 'language:pl' that no team on shift has" in out
    assert "case-3: no team free before the suspect's expected release" in out


def test_plan_file_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    assert plan_file.main([str(write(tmp_path, PROBLEM)), "--json", str(out), "--seed", "3"]) == 0
    result = json.loads(out.read_text())
    assert result["objective"] == 8
    assert result["routes"][0]["stops"][0]["visit_id"] == "case-1"
    assert {item["visit_id"] for item in result["left_out"]} == {"case-2", "case-3"}
    assert result["statistics"]["seed"] == 3


def test_plan_file_accepts_an_injected_matrix(tmp_path: Path, capsys: Any) -> None:
    data = copy(PROBLEM)
    points = [[53.48, -2.24], [53.50, -2.20], [53.46, -2.30], [53.47, -2.25]]
    data["travel"] = {
        "matrix": {
            "locations": points,
            "minutes": [[0, 5, 5, 5], [5, 0, 5, 5], [5, 5, 0, 5], [5, 5, 5, 0]],
        }
    }
    assert plan_file.main([str(write(tmp_path, data)), "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["travel_minutes"] == 10


def test_plan_file_reports_unreadable_input(tmp_path: Path, capsys: Any) -> None:
    assert plan_file.main([str(write(tmp_path, {"teams": []}))]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_plan_file_reports_a_missing_file_and_json_that_does_not_parse(
    tmp_path: Path, capsys: Any
) -> None:
    assert plan_file.main([str(tmp_path / "absent.json")]) == 2
    assert "absent.json" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert plan_file.main([str(broken)]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_plan_file_exit_status_flags_a_missed_mandatory_visit(tmp_path: Path) -> None:
    data = copy(PROBLEM)
    data["visits"][2]["mandatory"] = True
    assert plan_file.main([str(write(tmp_path, data)), "--time-limit", "1"]) == 1
