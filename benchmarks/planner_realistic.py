"""Planner on realistic shift problems: proven optimum or bound gap within the time limit.

Three families of seeded instances (``tests/core/planning/realistic.py``), 4 teams (or
as ``--teams`` says), visits within ~12 km of base, priorities 1-10, custody / appointment /
two-slot windows:

* ``programme`` — the programme's 8-hour shifts (07:00-15:00 and 14:00-22:00, 30-minute
  break), 45-90 minute visits: a team makes 4-6 visits (DOMAIN.md: 4-5 a shift);
* ``incidents`` — ``programme`` with three of the visits turned into live incidents
  (mandatory, any time in the shift), as when the sergeant re-plans;
* ``long`` — 12-hour shifts (08:00-20:00 and 10:00-22:00) with 30-90 minute visits, a
  harder stress case (7-9 visits a team);
* ``safe_contact`` — the programme's shifts with each victim's windows made as the product
  makes them: her safe-contact text read into start windows (a visit starts and ends inside
  one), ~15 % met at a health appointment while it lasts, some custody releases (issue 17).

Every plan is re-checked by the independent validator. Prints one markdown row per
(family, teams, visits) and, with ``--json``, writes every run.

``--peers`` also runs OR-Tools routing (GLS) and VROOM (``benchmarks/peers.py``) on the same
instances with the same time limit, one thread each, re-timed by Provide's route check, and
reports their total priority against Provide's (priority of the visits made, summed over the
seeds).

``--live`` times a live re-plan on each solved ``safe_contact`` instance, as
``planning.services.plan_insert_live`` makes it: 120 minutes after the first shift starts,
the visits already reached stay done, each team starts from its last visit (or base) when it
is free, one new mandatory live incident is given its arrival target by
``planning.mapping.live_incident_next``, and the problem is solved again with a 2 s limit.
It reports whether the plan is valid, makes the incident, and came back within 2 s (wall
clock: a benchmark figure, never a test).

    .venv/bin/python benchmarks/planner_realistic.py --seeds 10 --time-limit 5
    .venv/bin/python benchmarks/planner_realistic.py --families safe_contact --seeds 10 \
        --time-limit 5 --visits 25 40 60 --peers --live
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.peers import PEERS, score_routes  # noqa: E402
from tests.core.planning.realistic import (  # noqa: E402
    BASE,
    incidents_problem,
    programme_problem,
    realistic_problem,
    safe_contact_problem,
)

from provide.core.planning import (  # noqa: E402
    Location,
    PlanningProblem,
    PlanResult,
    TimeWindow,
    VisitRequest,
    solve_plan,
    validate_plan,
)
from provide.core.planning.compiled import compile_problem  # noqa: E402

FAMILIES: dict[str, Callable[..., PlanningProblem]] = {
    "programme": programme_problem,
    "incidents": incidents_problem,
    "long": realistic_problem,
    "safe_contact": safe_contact_problem,
}
LIVE_AFTER_MINUTES = 120
LIVE_LIMIT_SECONDS = 2.0


def made_priority(problem: PlanningProblem, result: PlanResult) -> float:
    """Total priority of the visits on the plan's routes (what the peers are scored on)."""
    priority = {v.id: v.priority for v in problem.visits}
    return sum(
        priority[stop.visit_id]
        for route in result.routes
        for stop in route.stops
        if stop.visit_id is not None
    )


def live_problem(problem: PlanningProblem, result: PlanResult, seed: int) -> PlanningProblem:
    """The re-plan ``plan_insert_live`` would solve ``LIVE_AFTER_MINUTES`` into the shift.

    As ``planning.services._prepare`` does: a visit already reached (arrival at or before
    ``as_of``) is done and leaves the problem; each team starts from its last such visit (else
    its base), no earlier than ``as_of`` or that visit's departure; every other visit is a
    candidate again with its windows; the live incident (a new case near base, mandatory, no
    window of its own) gets its arrival target from ``mapping.live_incident_next``."""
    from provide.planning.mapping import live_incident_next

    as_of = min(t.shift.start_minute for t in problem.teams) + LIVE_AFTER_MINUTES
    location = {v.id: v.location for v in problem.visits}
    routes = {route.team_id: route for route in result.routes}
    done: set[str] = set()
    teams = []
    for team in problem.teams:
        route = routes.get(team.id)
        reached = [
            s
            for s in (route.stops if route is not None else ())
            if s.visit_id is not None and s.arrival_minute <= as_of
        ]
        done.update(s.visit_id for s in reached if s.visit_id is not None)
        begin = max(team.shift.start_minute, as_of)
        start = team.start
        if reached and reached[-1].visit_id is not None:
            start = location[reached[-1].visit_id]
            begin = max(begin, reached[-1].departure_minute)
        end = team.shift.end_minute
        teams.append(replace(team, start=start, shift=TimeWindow(begin, max(begin, end))))
    rng = random.Random(seed + 4242)
    incident = VisitRequest(
        id="live-incident",
        location=Location(BASE.lat + rng.uniform(-0.08, 0.08), BASE.lon + rng.uniform(-0.12, 0.12)),
        duration_minutes=60,
        priority=10,
        mandatory=True,
    )
    visits = [v for v in problem.visits if v.id not in done]
    visits.append(live_incident_next(incident, teams))
    return PlanningProblem(teams=tuple(teams), visits=tuple(visits), name=f"{problem.name}-live")


def run_live(problem: PlanningProblem, result: PlanResult, seed: int) -> dict[str, Any]:
    again = live_problem(problem, result, seed)
    began = time.monotonic()
    plan = solve_plan(again, time_limit_seconds=LIVE_LIMIT_SECONDS, seed=0)
    seconds = time.monotonic() - began
    problems = validate_plan(again, plan)
    made = any(s.visit_id == "live-incident" for r in plan.routes for s in r.stops)
    return {
        "seconds": round(seconds, 3),
        "valid": not problems,
        "incident_made": made,
        "replan_visits": len(again.visits),
        "gap": plan.gap,
        "proven_optimal": plan.proven_optimal,
        "problem": problems[0] if problems else None,
    }


def setup_django() -> None:
    """``--live`` takes the live incident's target from the product's mapping module."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "provide.config.test_settings")
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    import django

    django.setup()


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{platform.machine()}, nproc {os.cpu_count()}, {memory:.0f} GiB, load {load}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--visits", type=int, nargs="+", default=[25, 40, 60])
    parser.add_argument("--teams", type=int, nargs="+", default=[4])
    parser.add_argument("--families", nargs="+", default=list(FAMILIES), choices=list(FAMILIES))
    parser.add_argument("--peers", action="store_true", help="also run OR-Tools and VROOM")
    parser.add_argument("--live", action="store_true", help="time a live re-plan (safe_contact)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.live:
        setup_django()
    print(f"# planner on realistic instances — {machine()}, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"time limit {args.time_limit} s, {args.seeds} seeds\n")
    peer_head = "".join(f" {name} priority (vs Provide) |" for name in PEERS) if args.peers else ""
    print(
        "| family | teams | visits | proven optimal | bound within 1 % | mean / max gap "
        f"| total priority |{peer_head} max s |"
    )
    print(
        "|---|---:|---:|---:|---:|---:|---:|"
        + "---:|" * (len(PEERS) if args.peers else 0)
        + "---:|"
    )
    runs: list[dict[str, Any]] = []
    live_rows: list[dict[str, Any]] = []
    for family in args.families:
        for teams in args.teams:
            for n in args.visits:
                rows = []
                peer_totals = dict.fromkeys(PEERS, 0.0)
                peer_wins = dict.fromkeys(PEERS, 0)
                for seed in range(args.seeds):
                    problem = FAMILIES[family](seed=seed, n_visits=n, n_teams=teams)
                    began = time.monotonic()
                    result = solve_plan(problem, time_limit_seconds=args.time_limit, seed=0)
                    seconds = time.monotonic() - began
                    problems = validate_plan(problem, result)
                    if problems:
                        raise SystemExit(f"{family} {n} seed {seed}: invalid plan: {problems[0]}")
                    gap = result.gap if result.gap is not None else 1.0
                    priority = made_priority(problem, result)
                    rows.append((result.proven_optimal, gap, priority, seconds))
                    run: dict[str, Any] = {
                        "family": family,
                        "teams": teams,
                        "visits": n,
                        "seed": seed,
                        "objective": result.objective,
                        "priority": priority,
                        "bound": result.bound,
                        "proven_optimal": result.proven_optimal,
                        "gap": result.gap,
                        "seconds": round(seconds, 3),
                        "method": result.statistics.method,
                    }
                    if args.peers:
                        cp = compile_problem(problem)
                        for name, peer in PEERS.items():
                            began = time.monotonic()
                            routes = peer(cp, args.time_limit)
                            peer_seconds = time.monotonic() - began
                            score, feasible = score_routes(cp, routes)
                            if not feasible:
                                print(f"  {name} {family} {n} seed {seed}: an infeasible route")
                            peer_totals[name] += score
                            peer_wins[name] += priority >= score
                            run[name] = {
                                "priority": score,
                                "feasible": feasible,
                                "seconds": round(peer_seconds, 3),
                            }
                    if args.live and family == "safe_contact":
                        live = run_live(problem, result, seed)
                        live_rows.append({"teams": teams, "visits": n, "seed": seed, **live})
                        run["live"] = live
                    runs.append(run)
                total = sum(r[2] for r in rows)
                peer_cells = (
                    "".join(
                        f" {peer_totals[name]:g} ({(peer_totals[name] / total - 1) * 100:+.1f} %; "
                        f"Provide ≥ on {peer_wins[name]}/{len(rows)}) |"
                        for name in PEERS
                    )
                    if args.peers
                    else ""
                )
                print(
                    f"| {family} | {teams} | {n} | {sum(r[0] for r in rows)}/{len(rows)} "
                    f"| {sum(r[1] <= 0.01 for r in rows)}/{len(rows)} "
                    f"| {statistics.mean(r[1] for r in rows) * 100:.2f} % / "
                    f"{max(r[1] for r in rows) * 100:.2f} % "
                    f"| {total:g} |{peer_cells} {max(r[3] for r in rows):.2f} |",
                    flush=True,
                )
                over = [(seed, r) for seed, r in enumerate(rows) if r[1] > 0.01]
                if over:
                    print(
                        "  beyond 1 %: "
                        + ", ".join(f"seed {seed} {r[1] * 100:.2f} %" for seed, r in over)
                    )
    if live_rows:
        print(f"\n## live re-plan at +{LIVE_AFTER_MINUTES} min, {LIVE_LIMIT_SECONDS:g} s limit\n")
        print("| teams | visits | valid | incident made | within 2 s | median s | max s |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for key in sorted({(r["teams"], r["visits"]) for r in live_rows}):
            group = [r for r in live_rows if (r["teams"], r["visits"]) == key]
            print(
                f"| {key[0]} | {key[1]} | {sum(r['valid'] for r in group)}/{len(group)} "
                f"| {sum(r['incident_made'] for r in group)}/{len(group)} "
                f"| {sum(r['seconds'] <= LIVE_LIMIT_SECONDS for r in group)}/{len(group)} "
                f"| {statistics.median(r['seconds'] for r in group):.2f} "
                f"| {max(r['seconds'] for r in group):.2f} |"
            )
    print(f"\nafter: {machine()}")
    if args.json is not None:
        args.json.write_text(json.dumps(runs, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
