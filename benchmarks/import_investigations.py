"""Benchmark: import a four-year force extract (124,137 investigations) with person linking.

Targets (issue 3), on this 2-core machine: into PostgreSQL 60 s or less, into SQLite 120 s or
less; re-importing the same file 30 s or less. Each run starts from an empty, migrated
database holding only the force, its three BCUs and their districts (as an administrator
would set up), then times ``investigations_import`` twice: the first import (every row
created, every person linked or made, possible duplicates queued) and the re-import (every
row unchanged). Wall-clock and CPU seconds are both printed: on a shared machine the CPU
figure shows what the import itself costs.

    .venv/bin/python benchmarks/import_investigations.py --database-url sqlite:///var/bench_h3.sqlite3
    .venv/bin/python benchmarks/import_investigations.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/provide_h3_bench

The extract is generated once into ``--extract`` (default ``var/bench-extract-124137``) with
``provide synth-extract --years 4 --rows 124137 --per-day 28.3``. The database named in the
URL is dropped and re-created (PostgreSQL) or deleted (SQLite): never point it at real data.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

REPOSITORY = Path(__file__).resolve().parents[1]


def _fresh_database(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        path = (
            Path(parsed.path.lstrip("/"))
            if not parsed.path.startswith("//")
            else Path(parsed.path[1:])
        )
        path = path if path.is_absolute() else REPOSITORY / path
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = parsed.path.lstrip("/")
    if not name.endswith("_bench"):
        raise SystemExit("refusing to drop a PostgreSQL database whose name does not end in _bench")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def _extract(folder: Path, rows: int) -> Path:
    target = folder / "investigations.csv"
    if not target.exists():
        subprocess.run([sys.executable, "-m", "provide", "synth-extract", "--years", "4", "--rows", str(rows),
                        "--per-day", "28.3", "--out", str(folder)], check=True, cwd=REPOSITORY)  # fmt: skip
    return target


def _timed(function: object, **kwargs: object) -> tuple[object, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(**kwargs)  # type: ignore[operator]
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rows", type=int, default=124_137)
    parser.add_argument("--extract", type=Path, default=REPOSITORY / "var" / "bench-extract-124137")
    args = parser.parse_args()
    path = _extract(args.extract, args.rows)
    _fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ["DJANGO_SETTINGS_MODULE"] = "provide.config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from provide.areas.models import Area
    from provide.core.synthetic.geography import lancashire_bcus
    from provide.intake.services import investigations_import
    from provide.people.models import Person, PersonMatch

    call_command("migrate", verbosity=0)
    force = Area.objects.create(name="Lancashire", kind=Area.Kind.FORCE)
    for bcu in lancashire_bcus():
        area = Area.objects.create(name=bcu.name, kind=Area.Kind.BCU, parent=force)
        for district in bcu.districts:
            Area.objects.create(name=district.name, kind=Area.Kind.DISTRICT, parent=area)
    first, first_wall, first_cpu = _timed(investigations_import, actor=None, path=path)
    again, again_wall, again_cpu = _timed(investigations_import, actor=None, path=path)
    backend = "PostgreSQL" if "postgres" in args.database_url else "SQLite"
    load = os.getloadavg()
    figures = {
        "backend": backend,
        "rows": first.rows,  # type: ignore[attr-defined]
        "first": {**first.counts(), "wall_s": round(first_wall, 1), "cpu_s": round(first_cpu, 1)},  # type: ignore[attr-defined]
        "reimport": {
            **again.counts(),
            "wall_s": round(again_wall, 1),
            "cpu_s": round(again_cpu, 1),
        },  # type: ignore[attr-defined]
        "people": Person.objects.count(),
        "queued_for_review": PersonMatch.objects.count(),
        "load_average": [round(x, 1) for x in load],
    }
    target = 60 if backend == "PostgreSQL" else 120
    print(
        f"import-investigations, {first.rows} rows into {backend}: "  # type: ignore[attr-defined]
        f"first {first_wall:.1f} s wall / {first_cpu:.1f} s CPU (target <= {target} s); "
        f"re-import {again_wall:.1f} s wall / {again_cpu:.1f} s CPU (target <= 30 s)"
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load[0]:.1f}"
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
