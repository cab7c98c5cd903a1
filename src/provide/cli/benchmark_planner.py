"""``provide benchmark-planner --instances DIR --time-limit S --json OUT [--m 1,2,3,4]``.

Runs Provide's planner alone on every TOPTW instance file (``*.txt``) in ``DIR`` (and its
sub-folders) for each number of teams ``m``, and writes a JSON list of
``{"instance", "m", "score", "bks", "gap", "seconds"}``. ``bks`` is read from a ``bks.csv``
(columns ``instance,m,bks_score,source``) in ``DIR`` or its parent; ``bks`` and ``gap``
(``(bks - score) / bks``, a fraction) are null where unknown.

For the comparison with peer solvers, see ``benchmarks/toptw.py`` in the repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

from provide.core import planning  # solve_plan loads NumPy and OR-Tools on first use
from provide.core.planning.toptw import toptw_problem


def find_bks(directory: Path) -> dict[tuple[str, int], float]:
    """Best-known scores from ``bks.csv`` in ``directory`` or its parent (empty if none)."""
    for folder in (directory, directory.parent):
        path = folder / "bks.csv"
        if path.is_file():
            with path.open(encoding="utf-8") as handle:
                return {
                    (row["instance"], int(row["m"])): float(row["bks_score"])
                    for row in csv.DictReader(handle)
                }
    return {}


def run_instance(
    path: Path, m: int, time_limit: float, seed: int, bks: dict[tuple[str, int], float]
) -> dict[str, Any]:
    """Solve one instance with ``m`` teams and return its result row."""
    problem = toptw_problem(path.read_text(encoding="utf-8"), m=m, name=path.stem)
    began = time.monotonic()
    result = planning.solve_plan(problem, time_limit_seconds=time_limit, seed=seed)
    seconds = time.monotonic() - began
    reference = bks.get((path.stem, m))
    return {
        "instance": path.stem,
        "m": m,
        "score": result.objective,
        "bks": reference,
        "gap": None if not reference else round((reference - result.objective) / reference, 6),
        "seconds": round(seconds, 3),
    }


def main(argv: list[str]) -> int:
    """Run ``provide benchmark-planner``; see the module docstring."""
    parser = argparse.ArgumentParser(prog="provide benchmark-planner")
    parser.add_argument("--instances", type=Path, required=True, help="folder of *.txt instances")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per run")
    parser.add_argument("--json", dest="json_out", type=Path, required=True)
    parser.add_argument("--m", default="1,2,3,4", help="numbers of teams, comma-separated")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    files = sorted(args.instances.rglob("*.txt"))
    if not files:
        print(f"provide benchmark-planner: no *.txt files in {args.instances}", file=sys.stderr)
        return 2
    bks = find_bks(args.instances)
    rows = []
    for path in files:
        for m in (int(x) for x in args.m.split(",")):
            row = run_instance(path, m, args.time_limit, args.seed, bks)
            print(
                f"{row['instance']} m={m} score={row['score']:g} bks={row['bks']} "
                f"seconds={row['seconds']}",
                file=sys.stderr,
            )
            rows.append(row)
    args.json_out.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0
