"""Planner on realistic shift problems: proven optimum or bound gap within the time limit.

Three families of seeded instances (``tests/core/planning/realistic.py``), 4 teams (or
as ``--teams`` says), visits within ~12 km of base, priorities 1-10, custody / appointment /
two-slot windows:

* ``programme`` — the programme's 8-hour shifts (07:00-15:00 and 14:00-22:00, 30-minute
  break), 45-90 minute visits: a team makes 4-6 visits (DOMAIN.md: 4-5 a shift);
* ``incidents`` — ``programme`` with three of the visits turned into live incidents
  (mandatory, any time in the shift), as when the sergeant re-plans;
* ``long`` — 12-hour shifts (08:00-20:00 and 10:00-22:00) with 30-90 minute visits, a
  harder stress case (7-9 visits a team).

Every plan is re-checked by the independent validator. Prints one markdown row per
(family, teams, visits) and, with ``--json``, writes every run.

    .venv/bin/python benchmarks/planner_realistic.py --seeds 10 --time-limit 5
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.core.planning.realistic import (  # noqa: E402
    incidents_problem,
    programme_problem,
    realistic_problem,
)

from provide.core.planning import solve_plan, validate_plan  # noqa: E402

FAMILIES = {
    "programme": programme_problem,
    "incidents": incidents_problem,
    "long": realistic_problem,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--visits", type=int, nargs="+", default=[25, 40, 60])
    parser.add_argument("--teams", type=int, nargs="+", default=[4])
    parser.add_argument("--families", nargs="+", default=list(FAMILIES), choices=list(FAMILIES))
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    print(f"# planner on realistic instances — {platform.machine()}, {time.strftime('%Y-%m-%d')}")
    print(f"time limit {args.time_limit} s, {args.seeds} seeds\n")
    print(
        "| family | teams | visits | proven optimal | bound within 1 % | mean / max gap "
        "| total priority | max s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    runs = []
    for family in args.families:
        for teams in args.teams:
            for n in args.visits:
                rows = []
                for seed in range(args.seeds):
                    problem = FAMILIES[family](seed=seed, n_visits=n, n_teams=teams)
                    began = time.monotonic()
                    result = solve_plan(problem, time_limit_seconds=args.time_limit, seed=0)
                    seconds = time.monotonic() - began
                    problems = validate_plan(problem, result)
                    if problems:
                        raise SystemExit(f"{family} {n} seed {seed}: invalid plan: {problems[0]}")
                    gap = result.gap if result.gap is not None else 1.0
                    rows.append((result.proven_optimal, gap, result.objective, seconds))
                    runs.append(
                        {
                            "family": family,
                            "teams": teams,
                            "visits": n,
                            "seed": seed,
                            "objective": result.objective,
                            "bound": result.bound,
                            "proven_optimal": result.proven_optimal,
                            "gap": result.gap,
                            "seconds": round(seconds, 3),
                            "method": result.statistics.method,
                        }
                    )
                print(
                    f"| {family} | {teams} | {n} | {sum(r[0] for r in rows)}/{len(rows)} "
                    f"| {sum(r[1] <= 0.01 for r in rows)}/{len(rows)} "
                    f"| {statistics.mean(r[1] for r in rows) * 100:.2f} % / "
                    f"{max(r[1] for r in rows) * 100:.2f} % "
                    f"| {sum(r[2] for r in rows):g} | {max(r[3] for r in rows):.2f} |",
                    flush=True,
                )
    if args.json is not None:
        args.json.write_text(json.dumps(runs, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
