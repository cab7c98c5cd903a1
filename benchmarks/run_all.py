"""Run every benchmark once with its documented quick settings (``make benchmarks``).

Each benchmark prints its own figures; the latest full results are kept in
docs/benchmarks.md with the machine and date. Benchmarks that need PostgreSQL read
``PROVIDE_BENCH_DATABASE_URL`` and are skipped, with a message, when it is unset.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

QUICK = [
    ["startup.py", "--runs", "3"],
    ["demo_data.py", "--runs", "1"],
    ["evaluation.py"],
    ["toptw.py", "--time-limit", "10", "--subset", "quick", "--jobs", "2"],
    ["planner_realistic.py", "--seeds", "5", "--time-limit", "5"],
]


def main() -> int:
    failed = []
    runs = list(QUICK)
    database = os.environ.get("PROVIDE_BENCH_DATABASE_URL")
    if database:
        runs.append(["triage_board.py", "--database-url", database, "--load"])
        runs.append(["import_investigations.py", "--database-url", database])
    else:
        print(
            "PROVIDE_BENCH_DATABASE_URL unset: skipping triage_board.py and import_investigations.py"
        )
    for script, *args in runs:
        print(f"\n=== {script} {' '.join(args)}", flush=True)
        code = subprocess.call([sys.executable, str(HERE / script), *args])
        if code:
            failed.append(script)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
