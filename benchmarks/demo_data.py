"""Benchmark: generate and load a year of synthetic data for three BCUs into a fresh database.

Target (issue 2): 60 s or less on this 2-core machine. Prints the median of N runs.

    .venv/bin/python benchmarks/demo_data.py [--runs 3] [--days 365] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]


def one_run(days: int, database_url: str | None) -> float:
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite:///{folder}/bench.sqlite3"
        environment = {**os.environ, "DATABASE_URL": url, "DJANGO_SECRET_KEY": "benchmark-only"}
        provide = [sys.executable, "-m", "provide"]
        if database_url:
            subprocess.run(
                [*provide, "flush", "--no-input"], env=environment, check=True, cwd=REPOSITORY
            )
        subprocess.run([*provide, "migrate", "-v0"], env=environment, check=True, cwd=REPOSITORY)
        started = time.perf_counter()
        subprocess.run(
            [
                *provide,
                "demo-data",
                "--days",
                str(days),
                "--seed",
                "1",
                "--sign-in-file",
                f"{folder}/sign-in.txt",
            ],
            env=environment,
            check=True,
            cwd=REPOSITORY,
            stdout=subprocess.DEVNULL,
        )
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--database-url", help="a PostgreSQL URL to load into (flushed first)")
    args = parser.parse_args()
    seconds = [one_run(args.days, args.database_url) for _ in range(args.runs)]
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"demo-data: {args.days} days x 3 BCUs into {backend}: median {statistics.median(seconds):.1f} s "
        f"over {args.runs} runs ({', '.join(f'{s:.1f}' for s in seconds)}); target <= 60 s"
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
