"""Benchmark: how long ``provide`` takes to start, per command.

Target (issue 14): ``provide --help`` and every command that needs neither the evaluation
stack (pandas, SciPy, statsmodels, matplotlib, WeasyPrint) nor OR-Tools start in under 2 s.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--cold] [--pythonpath OTHER/src]

Each command runs as a fresh process (``python -m provide ...``) against a throw-away SQLite
database migrated once at the start; the figure is the wall time of the whole process, median
and maximum over ``--runs``. By default Python keeps compiled bytecode (in a temporary
``PYTHONPYCACHEPREFIX``, so the tree stays clean) and each command runs once unmeasured first:
a normal installation after its first run. ``--cold`` forbids bytecode, so every run compiles
every module it imports, as on a machine with ``PYTHONDONTWRITEBYTECODE=1``.
``--pythonpath`` measures another checkout's ``src`` (for a before/after comparison).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("check",),
    ("showmigrations",),
    ("triage", "--help"),
    ("plan", "--help"),
    ("import-investigations", "--help"),
    ("cases", "--help"),
    ("demo-data", "--help"),
    ("synth-extract", "--help"),
    ("evaluate", "--help"),
    ("plan-file", "--help"),
)
"""What is timed. ``check`` runs every system check, which loads every app's URLs and views."""


def _environment(work: Path, *, cold: bool, pythonpath: str | None) -> dict[str, str]:
    environment = {
        **os.environ,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{work / 'startup.sqlite3'}",
    }
    environment.pop("PYTHONPYCACHEPREFIX", None)
    if cold:
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        environment["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    if pythonpath:
        environment["PYTHONPATH"] = pythonpath
    return environment


def _run(command: tuple[str, ...], environment: dict[str, str]) -> float | None:
    """Wall time of one run in seconds, or ``None`` if the command failed (e.g. an older
    checkout without it)."""
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "-m", "provide", *command],
        env=environment,
        cwd=REPOSITORY,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - started if finished.returncode == 0 else None


def _figures(
    command: tuple[str, ...], environment: dict[str, str], *, runs: int, warm_up: bool
) -> str:
    if warm_up and _run(command, environment) is None:
        return "failed"
    times = [_run(command, environment) for _ in range(runs)]
    if None in times:
        return "failed"
    done = [t for t in times if t is not None]
    return f"{statistics.median(done):>7.2f}s {max(done):>7.2f}s"


def _machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (default 5)")
    parser.add_argument(
        "--cold", action="store_true", help="no compiled bytecode: every run compiles"
    )
    parser.add_argument(
        "--pythonpath", help="put this first on PYTHONPATH (another checkout's src)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="provide-startup-") as folder:
        environment = _environment(Path(folder), cold=args.cold, pythonpath=args.pythonpath)
        subprocess.run(
            [sys.executable, "-m", "provide", "migrate", "-v0"],
            env=environment,
            cwd=REPOSITORY,
            check=True,
        )
        mode = (
            "cold (no bytecode)" if args.cold else "warm (bytecode kept, one unmeasured run first)"
        )
        print(
            f"provide start-up, {mode}, {args.runs} runs each, {dt.datetime.now(dt.UTC).date().isoformat()}"
        )
        print(f"  machine: {_machine()}")
        print(f"  {'command':<38} {'median':>8} {'max':>8}")
        for command in COMMANDS:
            figures = _figures(command, environment, runs=args.runs, warm_up=not args.cold)
            print(f"  {'provide ' + ' '.join(command):<38} {figures}", flush=True)
        print(f"  after: {_machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
