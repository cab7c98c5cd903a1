"""Benchmark: render the triage board for one BCU-day with four years of force data loaded.

Target (issue 4): the board renders server-side in 300 ms or less (median) on PostgreSQL with
the force's four-year volume (124,137 investigations, McManus et al. 2024).

    .venv/bin/python benchmarks/triage_board.py --database-url postgresql://.../provide_h4_bench \\
        [--load] [--top-up 124137] [--dates 20] [--runs 5] [--bcu West]

``--load`` migrates and loads ``provide demo-data --days 1460`` first (about 110,000
investigations; a few minutes). ``--top-up N`` then copies existing investigations (new
references, same times and people) until there are N, so the history is as dense as the real
force's. Each timed run is a full GET of ``/triage/?date=...`` through Django's test client as
the demo triage sergeant (session, permissions, navigation, selectors, template), over
``--dates`` board dates spread across the four years. Prints the median, 90th percentile and
maximum, the queries per board, and the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
FORCE_VOLUME = 124_137
"""Lancashire's DA investigations 2019/20-2022/23 (seed 004, DOMAIN §9.3)."""


def _load(database_url: str) -> None:
    environment = {**os.environ, "DATABASE_URL": database_url}
    provide = [sys.executable, "-m", "provide"]
    subprocess.run([*provide, "migrate", "-v0"], env=environment, check=True, cwd=REPOSITORY)
    subprocess.run(
        [
            *provide,
            "demo-data",
            "--days",
            "1460",
            "--seed",
            "1",
            "--if-empty",
            "--sign-in-file",
            str(REPOSITORY / "var" / "bench-sign-in.txt"),
        ],
        env=environment,
        check=True,
        cwd=REPOSITORY,
    )


def _top_up(target: int) -> int:
    from provide.intake.models import Investigation

    have = Investigation.objects.count()
    missing = target - have
    if missing <= 0:
        return 0
    fields = [
        f.name for f in Investigation._meta.concrete_fields if f.name not in ("id", "public_id")
    ]
    step = max(1, have // missing)
    sources = Investigation.objects.order_by("id").values(
        *[
            f"{name}_id" if name in ("bcu", "district", "victim", "suspect") else name
            for name in fields
        ]
    )[: missing * step : step]
    copies = []
    for n, row in enumerate(sources):
        row = dict(row)
        row["investigation_ref"] = f"{row['investigation_ref']}-T{n}"
        copies.append(Investigation(public_id=uuid.uuid4(), **row))
    Investigation.objects.bulk_create(copies[:missing], batch_size=2000)
    return len(copies[:missing])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", required=True, help="a PostgreSQL URL (SQLite works, for trying)"
    )
    parser.add_argument(
        "--load", action="store_true", help="migrate and load 1,460 days of demo data if empty"
    )
    parser.add_argument(
        "--top-up", type=int, default=0, help="copy investigations until there are this many"
    )
    parser.add_argument("--dates", type=int, default=20, help="board dates to sample (default 20)")
    parser.add_argument("--runs", type=int, default=5, help="timed renders per date (default 5)")
    parser.add_argument("--bcu", default="West")
    parser.add_argument("--username", default="triage.sergeant", help="a triage sergeant of --bcu")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "provide.config.settings")
    os.environ.setdefault("PROVIDE_INSECURE_COOKIES", "true")
    if args.load:
        _load(args.database_url)
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max, Min
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from provide.accounts.models import User
    from provide.intake.models import Investigation

    added = _top_up(args.top_up) if args.top_up else 0
    total = Investigation.objects.count()
    span = Investigation.objects.aggregate(first=Min("recorded_at"), last=Max("recorded_at"))
    first_day = timezone.localdate(span["first"]) + dt.timedelta(days=7)
    last_day = min(timezone.localdate(span["last"]), timezone.localdate())
    step = max(1, (last_day - first_day).days // max(1, args.dates - 1))
    dates = [first_day + dt.timedelta(days=i * step) for i in range(args.dates)]
    dates = [d for d in dates if d <= last_day] or [last_day]

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=args.username))
    client.get(
        f"/triage/?date={dates[0].isoformat()}&bcu={args.bcu}"
    )  # warm caches and the connection
    timings: list[float] = []
    queries: set[int] = set()
    cases: list[int] = []
    for day in dates:
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(f"/triage/?date={day.isoformat()}&bcu={args.bcu}")
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                print(f"{day}: HTTP {response.status_code}", file=sys.stderr)
                return 1
            queries.add(len(captured.captured_queries))
        cases.append(
            response.content.decode().count('class="govuk-summary-card provide-triage-case')
        )

    timings.sort()
    p90 = timings[min(len(timings) - 1, int(0.9 * len(timings)))]
    backend = connection.vendor
    print(
        f"triage board, {args.bcu} BCU: {len(dates)} dates x {args.runs} runs on {backend}, "
        f"{total:,} investigations ({added:,} topped up)"
    )
    print(
        f"  cases per board: median {statistics.median(cases):.0f}, max {max(cases)} (Monday boards cover the weekend)"
    )
    print(
        f"  render: median {statistics.median(timings):.1f} ms, p90 {p90:.1f} ms, max {max(timings):.1f} ms; "
        f"target median <= 300 ms"
    )
    print(f"  queries per board: {sorted(queries)}")
    memory = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            memory = f", {int(info.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    print(
        f"  machine: {platform.machine()}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}, "
        f"{timezone.localdate().isoformat()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
