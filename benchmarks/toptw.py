"""Benchmark Provide's visit planner against two peers on the public TOPTW instances.

Solvers, all run in the same process pool at the same time limit per (instance, m) pair and
all single-threaded, so the comparison is fair on a small machine:

* ``provide``: :func:`provide.core.planning.solve_plan` (search, plus CP-SAT with one worker
  for instances with <= 60 customers);
* ``ortools``: OR-Tools routing, one optional-node disjunction per customer with penalty
  ``score * (m * Tmax + 1)`` (dropping a customer always costs more than any travel),
  a time dimension with waiting allowed, first solution by the default strategy, then guided
  local search until the time limit;
* ``vroom``: VROOM through ``pyvroom``, jobs with ``priority = score`` (all scores are in
  VROOM's 0..100 range), ``exploration_level=5``, one thread, ``timeout`` = the time limit.

Every returned plan is re-timed with Provide's independent route check before it is scored;
an infeasible peer route scores 0 for that pair and is flagged.

Usage::

    .venv/bin/python benchmarks/toptw.py --time-limit 10 --subset quick --jobs 2

``--subset``: ``quick`` (one instance per family: c101 c201 r101 r201 rc101 rc201 pr01),
``families`` (three per family), ``full`` (all 66), or a comma list of names. ``--m`` picks
the numbers of teams (default 1,2,3,4). Results go to
``benchmarks/results/toptw-<subset>-<limit>s.{json,md}``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from provide.core.planning.compiled import CompiledProblem, compile_problem  # noqa: E402
from provide.core.planning.search import schedule_route  # noqa: E402
from provide.core.planning.solve import solve_plan  # noqa: E402
from provide.core.planning.toptw import toptw_problem  # noqa: E402
from provide.core.planning.validate import validate_plan  # noqa: E402

DEFAULT_DATA = Path("/work/shared/benchmarks/toptw")
SOLVERS = ("provide", "ortools", "vroom")
QUICK = ["c101", "c201", "r101", "r201", "rc101", "rc201", "pr01"]
FAMILIES = [
    "c101",
    "c105",
    "c109",
    "c201",
    "c205",
    "c208",
    "r101",
    "r105",
    "r110",
    "r201",
    "r205",
    "r210",
    "rc101",
    "rc104",
    "rc108",
    "rc201",
    "rc204",
    "rc208",
    "pr01",
    "pr05",
    "pr10",
]


def instance_path(data: Path, name: str) -> Path:
    folder = "cordeau" if name.startswith("pr") else "solomon"
    return data / folder / f"{name}.txt"


def all_instances(data: Path) -> list[str]:
    names = [p.stem for p in sorted((data / "solomon").glob("*.txt"))]
    return names + [p.stem for p in sorted((data / "cordeau").glob("*.txt"))]


def read_bks(data: Path) -> dict[tuple[str, int], tuple[float, str]]:
    with (data / "bks.csv").open() as handle:
        return {
            (row["instance"], int(row["m"])): (float(row["bks_score"]), row["source"])
            for row in csv.DictReader(handle)
        }


def _score_routes(cp: CompiledProblem, routes: list[list[int]]) -> tuple[float, bool]:
    """Score customer lists (node ids) per vehicle; (score, all routes feasible)."""
    used: set[int] = set()
    score = 0.0
    ok = True
    for k, customers in enumerate(routes):
        if schedule_route(cp, k, [cp.start_node[k], *customers, cp.end_node[k]]) is None:
            ok = False
            continue
        for node in customers:
            if node in used:
                ok = False
            used.add(node)
            score += cp.profit[node]
    return (score if ok else 0.0), ok


def run_ortools(cp: CompiledProblem, m: int, limit: float) -> list[list[int]]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n = cp.n_visits
    depot_loc = cp.loc[cp.start_node[0]]
    locs = [depot_loc] + [cp.loc[j] for j in range(n)]
    service = [0] + [cp.service[j] for j in range(n)]
    horizon = cp.windows[cp.end_node[0]][0][1]
    manager = pywrapcp.RoutingIndexManager(n + 1, m, 0)
    routing = pywrapcp.RoutingModel(manager)
    T = cp.travel

    def transit(a: int, b: int) -> int:
        i, j = manager.IndexToNode(a), manager.IndexToNode(b)
        return T[locs[i]][locs[j]] + service[i]

    def distance(a: int, b: int) -> int:
        return T[locs[manager.IndexToNode(a)]][locs[manager.IndexToNode(b)]]

    time_cb = routing.RegisterTransitCallback(transit)
    cost_cb = routing.RegisterTransitCallback(distance)
    routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)
    routing.AddDimension(time_cb, horizon, horizon, True, "time")
    dim = routing.GetDimensionOrDie("time")
    penalty_unit = m * horizon + 1
    for j in range(n):
        index = manager.NodeToIndex(j + 1)
        ((open_, close),) = cp.windows[j]
        dim.CumulVar(index).SetRange(open_, close)
        routing.AddDisjunction([index], round(cp.profit[j]) * penalty_unit)
    for k in range(m):
        dim.CumulVar(routing.End(k)).SetMax(horizon)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(limit * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return [[] for _ in range(m)]
    routes = []
    for k in range(m):
        index = routing.Start(k)
        customers = []
        index = solution.Value(routing.NextVar(index))
        while not routing.IsEnd(index):
            customers.append(manager.IndexToNode(index) - 1)
            index = solution.Value(routing.NextVar(index))
        routes.append(customers)
    return routes


def run_vroom(cp: CompiledProblem, m: int, limit: float) -> list[list[int]]:
    import vroom

    n = cp.n_visits
    depot_loc = cp.loc[cp.start_node[0]]
    locs = [depot_loc] + [cp.loc[j] for j in range(n)]
    T = cp.travel
    horizon = cp.windows[cp.end_node[0]][0][1]
    problem = vroom.Input()
    problem.set_durations_matrix("car", [[T[a][b] for b in locs] for a in locs])
    for k in range(m):
        problem.add_vehicle(
            vroom.Vehicle(k + 1, start=0, end=0, time_window=vroom.TimeWindow(0, horizon))
        )
    for j in range(n):
        ((open_, close),) = cp.windows[j]
        problem.add_job(
            vroom.Job(
                j + 1,
                location=j + 1,
                default_service=cp.service[j],
                priority=round(cp.profit[j]),
                time_windows=[vroom.TimeWindow(open_, close)],
            )
        )
    solution = problem.solve(exploration_level=5, nb_threads=1, timeout=dt.timedelta(seconds=limit))
    frame = solution.routes
    routes: list[list[int]] = [[] for _ in range(m)]
    for row in frame.itertuples():
        if row.type == "job":
            routes[int(row.vehicle_id) - 1].append(int(row.id) - 1)
    return routes


def run_task(task: tuple[str, str, int, str, float]) -> dict[str, Any]:
    data, name, m, solver, limit = task
    text = instance_path(Path(data), name).read_text()
    problem = toptw_problem(text, m=m, name=name)
    cp = compile_problem(problem)
    began = time.monotonic()
    note = ""
    if solver == "provide":
        plan = solve_plan(problem, time_limit_seconds=limit, seed=0, cpsat_workers=1)
        seconds = time.monotonic() - began
        violations = validate_plan(problem, plan)
        score = plan.objective if not violations else 0.0
        feasible = not violations
        note = plan.statistics.method + (" proven" if plan.proven_optimal else "")
    else:
        runner = run_ortools if solver == "ortools" else run_vroom
        routes = runner(cp, m, limit)
        seconds = time.monotonic() - began
        score, feasible = _score_routes(cp, routes)
    return {
        "instance": name,
        "m": m,
        "solver": solver,
        "score": score,
        "seconds": round(seconds, 2),
        "feasible": feasible,
        "note": note,
    }


def summarise(
    rows: list[dict[str, Any]], bks: dict[tuple[str, int], tuple[float, str]], solvers: list[str]
) -> dict[str, Any]:
    pairs = sorted({(r["instance"], r["m"]) for r in rows})
    by = {(r["instance"], r["m"], r["solver"]): r for r in rows}
    summary: dict[str, Any] = {}
    for solver in solvers:
        got = [by[(i, m, solver)] for i, m in pairs if (i, m, solver) in by]
        optimal_gaps = []
        other_ratio = []
        for r in got:
            ref, source = bks[(r["instance"], r["m"])]
            if source == "RS2009-optimal":
                optimal_gaps.append(100.0 * (ref - r["score"]) / ref)
            else:
                other_ratio.append(100.0 * (r["score"] - ref) / ref)
        summary[solver] = {
            "pairs": len(got),
            "total_score": sum(r["score"] for r in got),
            "total_seconds": round(sum(r["seconds"] for r in got), 1),
            "max_seconds": max((r["seconds"] for r in got), default=0.0),
            "infeasible": sum(1 for r in got if not r["feasible"]),
            "rs2009_optimal_pairs": len(optimal_gaps),
            "rs2009_mean_gap_pct": round(sum(optimal_gaps) / len(optimal_gaps), 3)
            if optimal_gaps
            else None,
            "other_pairs": len(other_ratio),
            "other_mean_vs_ref_pct": round(sum(other_ratio) / len(other_ratio), 3)
            if other_ratio
            else None,
            "best_or_tied_pairs": sum(
                1
                for i, m in pairs
                if (i, m, solver) in by
                and by[(i, m, solver)]["score"]
                >= max(by[(i, m, s)]["score"] for s in solvers if (i, m, s) in by)
            ),
        }
    return summary


def markdown(
    rows: list[dict[str, Any]],
    bks: dict[tuple[str, int], tuple[float, str]],
    solvers: list[str],
    summary: dict[str, Any],
    meta: dict[str, Any],
) -> str:
    by = {(r["instance"], r["m"], r["solver"]): r for r in rows}
    pairs = sorted(
        {(r["instance"], r["m"]) for r in rows}, key=lambda p: (p[0].startswith("pr"), p[0], p[1])
    )
    lines = [
        f"# TOPTW benchmark ({meta['subset']}, {meta['time_limit']} s per pair)",
        "",
        f"Run {meta['date']} on {meta['machine']}; jobs={meta['jobs']}.",
        "",
        "| instance | m | bks | source | "
        + " | ".join(f"{s} score | {s} gap % | {s} s" for s in solvers)
        + " |",
        "|---|---:|---:|---|" + "---:|---:|---:|" * len(solvers),
    ]
    for name, m in pairs:
        ref, source = bks[(name, m)]
        cells = []
        for s in solvers:
            r = by.get((name, m, s))
            if r is None:
                cells.append("| | ")
                continue
            gap = 100.0 * (ref - r["score"]) / ref
            flag = "" if r["feasible"] else " (infeasible)"
            cells.append(f"{r['score']:g}{flag} | {gap:.2f} | {r['seconds']:.1f}")
        lines.append(f"| {name} | {m} | {ref:g} | {source} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Totals",
        "",
        "| solver | pairs | total score | best or tied | "
        "mean gap % on RS2009-optimal (n) | mean % vs reference, other pairs (n) | "
        "total s | max s | infeasible |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in solvers:
        v = summary[s]
        lines.append(
            f"| {s} | {v['pairs']} | {v['total_score']:g} | {v['best_or_tied_pairs']} | "
            f"{v['rs2009_mean_gap_pct']} ({v['rs2009_optimal_pairs']}) | "
            f"{v['other_mean_vs_ref_pct']} ({v['other_pairs']}) | {v['total_seconds']} | "
            f"{v['max_seconds']} | {v['infeasible']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--subset", default="quick")
    parser.add_argument("--m", default="1,2,3,4")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--solvers", default=",".join(SOLVERS))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if args.subset == "quick":
        names = QUICK
    elif args.subset == "families":
        names = FAMILIES
    elif args.subset == "full":
        names = all_instances(args.data)
    else:
        names = [n.strip() for n in args.subset.split(",") if n.strip()]
    ms = [int(x) for x in args.m.split(",")]
    solvers = [s.strip() for s in args.solvers.split(",")]
    bks = read_bks(args.data)
    tasks = [
        (str(args.data), name, m, s, args.time_limit) for name in names for m in ms for s in solvers
    ]
    rows: list[dict[str, Any]] = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for row in pool.map(run_task, tasks):
            ref = bks[(row["instance"], row["m"])][0]
            print(
                f"{row['instance']:>6} m={row['m']} {row['solver']:>8} "
                f"score={row['score']:>7g} bks={ref:>6g} "
                f"gap={100 * (ref - row['score']) / ref:6.2f}% {row['seconds']:5.1f}s "
                f"{'' if row['feasible'] else 'INFEASIBLE'} {row['note']}",
                flush=True,
            )
            rows.append(row)
    summary = summarise(rows, bks, solvers)
    meta = {
        "subset": args.subset,
        "instances": names,
        "m": ms,
        "time_limit": args.time_limit,
        "jobs": args.jobs,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, nproc={os.cpu_count()}, "
        f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
        f"Python {platform.python_version()}",
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"toptw-{args.subset if args.subset in ('quick', 'families', 'full') else 'custom'}-{args.time_limit:g}s"
    (args.out / f"{stem}.json").write_text(
        json.dumps({"meta": meta, "summary": summary, "rows": rows}, indent=1)
    )
    (args.out / f"{stem}.md").write_text(markdown(rows, bks, solvers, summary, meta))
    print(markdown(rows, bks, solvers, summary, meta).split("## Totals")[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
