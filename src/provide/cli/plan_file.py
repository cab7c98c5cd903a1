"""``provide plan-file INPUT.json [--time-limit S] [--seed N] [--json OUT]``: plan one shift.

Reads a planning problem from a JSON file, solves it with
:func:`provide.core.planning.solve_plan` (no database involved), and prints a readable plan,
or writes the result as JSON to ``OUT`` (``-`` for standard output).

Input schema (times are whole minutes from an origin of your choice, e.g. midnight, or
``"HH:MM"`` strings)::

    {
      "name": "Tuesday late shift",                      (optional)
      "teams": [
        {
          "id": "A",
          "start": {"lat": 53.48, "lon": -2.24},
          "end": {"lat": 53.48, "lon": -2.24},           (optional, default: start)
          "shift": {"start": "08:00", "end": "20:00"},
          "break": {"earliest_start": "12:00", "latest_start": "14:00",
                    "duration_minutes": 30},              (optional)
          "skills": ["language:pl"]                       (optional)
        }
      ],
      "visits": [
        {
          "id": "case-17",
          "location": {"lat": 53.50, "lon": -2.20},
          "duration_minutes": 45,
          "priority": 8,
          "time_windows": [{"start": "09:00", "end": "12:00"}],   (optional; none = any time)
          "mandatory": false,                             (optional)
          "required_skills": [],                          (optional)
          "reason_context": "the suspect's expected release"      (optional)
        }
      ],
      "travel": {"road_factor": 1.3, "speed_kmh": 40}     (optional; the built-in estimate)
             or {"osrm_url": "http://osrm:5000"}          (ask an OSRM server)
             or {"matrix": {"locations": [[lat, lon], ...], "minutes": [[...], ...]}}
    }

Exit status: 0 if the plan makes every mandatory visit, 1 if a mandatory visit is left out,
2 on unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from pathlib import Path
from typing import Any

from provide.core import planning  # solve_plan loads NumPy and OR-Tools on first use
from provide.core.planning.compiled import problem_locations
from provide.core.planning.problem import (
    BreakRule,
    Location,
    PlanningProblem,
    Team,
    TimeWindow,
    TravelMatrix,
    VisitRequest,
)
from provide.core.planning.solution import PlanResult, PlanStatus, plan_result_to_dict
from provide.core.planning.travel import estimate_minutes, osrm_matrix


def minute(value: Any) -> int:
    """Read a time: an integer number of minutes or an ``"HH:MM"`` string."""
    if isinstance(value, str) and ":" in value:
        hours, minutes = value.split(":", 1)
        return int(hours) * 60 + int(minutes)
    return int(value)


def clock(value: int) -> str:
    """Format minutes as ``HH:MM`` (hours may pass 24)."""
    return f"{value // 60:02d}:{value % 60:02d}"


def _location(data: Any) -> Location:
    if isinstance(data, dict):
        return Location(float(data["lat"]), float(data["lon"]))
    return Location(float(data[0]), float(data[1]))


def _window(data: Any) -> TimeWindow:
    if isinstance(data, dict):
        return TimeWindow(minute(data["start"]), minute(data["end"]))
    return TimeWindow(minute(data[0]), minute(data[1]))


def problem_from_dict(data: dict[str, Any]) -> PlanningProblem:
    """Build a :class:`PlanningProblem` from the JSON schema in the module docstring.

    Raises
    ------
    KeyError, ValueError, TypeError
        On missing or malformed fields.
    """
    teams = []
    for item in data["teams"]:
        start = _location(item["start"])
        rest = item.get("break")
        teams.append(
            Team(
                id=str(item["id"]),
                start=start,
                end=_location(item["end"]) if "end" in item else start,
                shift=_window(item["shift"]),
                break_rule=BreakRule(
                    minute(rest["earliest_start"]),
                    minute(rest["latest_start"]),
                    int(rest["duration_minutes"]),
                )
                if rest
                else None,
                skills=frozenset(item.get("skills", ())),
            )
        )
    visits = tuple(
        VisitRequest(
            id=str(item["id"]),
            location=_location(item["location"]),
            duration_minutes=int(item["duration_minutes"]),
            priority=float(item["priority"]),
            time_windows=tuple(_window(w) for w in item.get("time_windows", ())),
            mandatory=bool(item.get("mandatory", False)),
            required_skills=frozenset(item.get("required_skills", ())),
            reason_context=item.get("reason_context"),
        )
        for item in data["visits"]
    )
    problem = PlanningProblem(teams=tuple(teams), visits=visits, name=str(data.get("name", "")))
    travel = data.get("travel") or {}
    if "matrix" in travel:
        matrix = TravelMatrix(
            locations=tuple(_location(p) for p in travel["matrix"]["locations"]),
            minutes=tuple(tuple(int(v) for v in row) for row in travel["matrix"]["minutes"]),
        )
        return PlanningProblem(
            problem.teams, problem.visits, travel_matrix=matrix, name=problem.name
        )
    if "osrm_url" in travel:
        matrix = osrm_matrix(problem_locations(problem), osrm_url=str(travel["osrm_url"]))
        return PlanningProblem(
            problem.teams, problem.visits, travel_matrix=matrix, name=problem.name
        )
    estimate = partial(
        estimate_minutes,
        road_factor=float(travel.get("road_factor", 1.3)),
        speed_kmh=float(travel.get("speed_kmh", 40.0)),
    )
    return PlanningProblem(
        problem.teams, problem.visits, travel_function=estimate, name=problem.name
    )


def render_plan(result: PlanResult) -> str:
    """A readable plan: one block per team, then the visits left out with reasons."""
    lines = [
        f"Plan status: {result.status.value}; total priority {result.objective:g}"
        + (f" (upper bound {result.bound:g})" if result.bound is not None else "")
        + f"; travel {result.travel_minutes} min"
    ]
    for route in result.routes:
        lines.append("")
        lines.append(f"Team {route.team_id}: leave base {clock(route.departure_minute)}")
        for stop in route.stops:
            if stop.kind == "break":
                lines.append(f"  {clock(stop.start_minute)}-{clock(stop.departure_minute)}  break")
                continue
            wait = stop.start_minute - stop.arrival_minute
            lines.append(
                f"  {clock(stop.start_minute)}-{clock(stop.departure_minute)}  visit {stop.visit_id}"
                f"  (drive {stop.travel_minutes_from_previous} min"
                + (f", wait {wait} min" if wait else "")
                + ")"
            )
        lines.append(
            f"  back at base {clock(route.return_minute)}; travel {route.travel_minutes} min"
        )
    if result.left_out:
        lines.append("")
        lines.append("Left out:")
        for item in result.left_out:
            flag = " [MANDATORY]" if item.mandatory else ""
            lines.append(f"  {item.visit_id}{flag}: {item.reason}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run ``provide plan-file``; see the module docstring."""
    parser = argparse.ArgumentParser(
        prog="provide plan-file", description="Plan one shift from a JSON file."
    )
    parser.add_argument("input", type=Path, help="planning problem (JSON)")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--json", dest="json_out", help="write the result as JSON here ('-' = stdout)"
    )
    args = parser.parse_args(argv)
    try:
        problem = problem_from_dict(json.loads(args.input.read_text(encoding="utf-8")))
    except (OSError, KeyError, ValueError, TypeError) as error:
        print(f"provide plan-file: cannot read {args.input}: {error!r}", file=sys.stderr)
        return 2
    result = planning.solve_plan(problem, time_limit_seconds=args.time_limit, seed=args.seed)
    if args.json_out:
        text = json.dumps(plan_result_to_dict(result), indent=2)
        if args.json_out == "-":
            print(text)
        else:
            Path(args.json_out).write_text(text + "\n", encoding="utf-8")
    else:
        print(render_plan(result))
    return 1 if result.status is PlanStatus.MANDATORY_LEFT_OUT else 0
