"""Benchmark: peak memory of checking and importing a 100 MB extract, as CSV and as XLSX.

Generates a synthetic police investigation extract (FORMATS.md A) with
``provide.core.synthetic`` - every person, address and reference is made up (references start
with SYN, a README.txt beside the files says so) - and writes it twice, each file about
``--mb`` megabytes: a CSV, and an XLSX written with openpyxl's write-only mode (an XLSX holds
more rows per megabyte, so it is cut from a longer run of the same generator). Each file is
then given to ``investigations_import`` in a fresh child process with a fresh SQLite database
(the force, its BCUs and districts set up, as an administrator would):

* **check**: ``dry_run=True``, what the web preview runs - the file read and checked, every
  row linked and written inside a transaction that is rolled back;
* **import**: the import itself.

Each child reports its peak resident memory (``ru_maxrss``, and the kernel's ``VmHWM`` as a
check), the same figure just before the import (Django, the apps and the migrated database:
the baseline), wall and CPU seconds, and the counts. Linux carries ``ru_maxrss`` across
``exec``, so the files are generated in a process of their own and the process that starts
the children stays small. Run it at low priority; at 100 MB it takes the best part of an hour
on 2 cores::

    nice -n 10 .venv/bin/python benchmarks/import_memory.py
    .venv/bin/python benchmarks/import_memory.py --mb 5          # a quick look

The files are kept in ``--work`` (default ``var/bench-import-memory``) and reused when they
are already the right size; the databases are deleted after each run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
START = dt.date(2019, 4, 1)
DAYS = 1461
"""Four years from START: every generated time is in the past."""
SEED = 7
README = """SYNTHETIC DATA - NOT REAL PEOPLE OR CASES

Written by benchmarks/import_memory.py from the Provide synthetic-data generator (seed {seed}).
Every person, address and case is made up; every reference starts with SYN.
{files}
"""


def _dataset(rows: int) -> Any:
    from provide.core.synthetic import generate_exact

    per_day = max(1.0, rows / (3 * DAYS))
    return generate_exact(investigations=rows, start_on=START, seed=SEED,
                          investigations_per_day_per_bcu=per_day, min_days=DAYS)  # fmt: skip


def _rows(dataset: Any) -> Any:
    from provide.core.synthetic.extract import investigation_rows

    return investigation_rows(dataset)


def _write_csv(path: Path, rows: Any, limit_bytes: int) -> int:
    """Rows until the file is within a row of ``limit_bytes``, never over it."""
    from provide.core.synthetic.extract import INVESTIGATION_COLUMNS

    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(INVESTIGATION_COLUMNS)
        for row in rows:
            if handle.tell() >= limit_bytes - 4096:
                break
            writer.writerow(row)
            count += 1
    return count


def _write_xlsx(path: Path, rows: Any, count: int) -> int:
    from openpyxl import Workbook

    from provide.core.synthetic.extract import INVESTIGATION_COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("investigations")
    sheet.append(list(INVESTIGATION_COLUMNS))
    written = 0
    for row in rows:
        if written >= count:
            break
        sheet.append(row)
        written += 1
    workbook.save(path)
    return written


def _bytes_per_row(work: Path) -> tuple[float, float]:
    """Calibrate: bytes a row takes in each format, from a 3,000-row sample."""
    sample = list(_rows(_dataset(3_000)))
    csv_path, xlsx_path = work / "sample.csv", work / "sample.xlsx"
    _write_csv(csv_path, iter(sample), 1 << 40)
    _write_xlsx(xlsx_path, iter(sample), len(sample))
    sizes = csv_path.stat().st_size / len(sample), xlsx_path.stat().st_size / len(sample)
    csv_path.unlink()
    xlsx_path.unlink()
    return sizes


def _paths(work: Path, megabytes: float) -> tuple[Path, Path]:
    return (
        work / f"investigations-{megabytes:g}mb.csv",
        work / f"investigations-{megabytes:g}mb.xlsx",
    )


def generate(work: Path, megabytes: float) -> None:
    """Write the two files of about ``megabytes`` each (run in a process of its own)."""
    work.mkdir(parents=True, exist_ok=True)
    target = int(megabytes * 1024 * 1024)
    csv_path, xlsx_path = _paths(work, megabytes)
    csv_row, xlsx_row = _bytes_per_row(work)
    csv_rows, xlsx_rows = math.ceil(target / csv_row), math.ceil(target / xlsx_row)
    started = time.perf_counter()
    dataset = _dataset(math.ceil(max(csv_rows, xlsx_rows) * 1.03))
    print(
        f"generated {len(dataset.investigations):,} synthetic investigations in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    written_csv = _write_csv(csv_path, _rows(dataset), target)
    written_xlsx = _write_xlsx(xlsx_path, _rows(dataset), xlsx_rows)
    (work / "README.txt").write_text(
        README.format(
            seed=SEED,
            files=(
                f"{csv_path.name}: {written_csv:,} rows\n{xlsx_path.name}: {written_xlsx:,} rows"
            ),
        ),
        encoding="utf-8",
    )


def child(path: Path, mode: str, database: Path) -> None:
    """One measured run (in its own process): set up, import, print one JSON line."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ["DJANGO_SETTINGS_MODULE"] = "provide.config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from provide.areas.models import Area
    from provide.core.synthetic.geography import lancashire_bcus
    from provide.intake.services import investigations_import

    call_command("migrate", verbosity=0)
    force = Area.objects.create(name="Lancashire", kind=Area.Kind.FORCE)
    for bcu in lancashire_bcus():
        area = Area.objects.create(name=bcu.name, kind=Area.Kind.BCU, parent=force)
        for district in bcu.districts:
            Area.objects.create(name=district.name, kind=Area.Kind.DISTRICT, parent=area)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    wall, cpu = time.perf_counter(), time.process_time()
    result = investigations_import(actor=None, path=path, dry_run=mode == "check")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "file": path.name,
                "mode": mode,
                "megabytes": round(path.stat().st_size / 1024 / 1024, 1),
                "rows": result.rows,
                "peak_mb": round(peak / 1024),
                "vmhwm_mb": _vmhwm_mb(),
                "baseline_mb": round(baseline / 1024),
                "import_mb": round((peak - baseline) / 1024),
                "wall_s": round(wall, 1),
                "cpu_s": round(cpu, 1),
                **result.counts(),
                "problems": result.problem_lines()[:3],
                "limit_mb": settings.PROVIDE_IMPORT_MAX_MB,
            }
        )
    )


def _vmhwm_mb() -> int | None:
    """This process's own peak resident memory, from the kernel (Linux), in MB."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    line = next((line for line in status.splitlines() if line.startswith("VmHWM:")), None)
    return round(int(line.split()[1]) / 1024) if line else None


def _machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {memory:.1f} GiB, Python {platform.python_version()}, "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, load average {load}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--mb", type=float, default=100.0, help="size of each file in MB (default 100)"
    )
    parser.add_argument("--work", type=Path, default=REPOSITORY / "var" / "bench-import-memory")
    parser.add_argument("--only", choices=["csv", "xlsx"], help="measure one format only")
    parser.add_argument(
        "--child", nargs=3, metavar=("FILE", "MODE", "DATABASE"), help=argparse.SUPPRESS
    )
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), args.child[1], Path(args.child[2]))
        return 0
    if args.generate:
        generate(args.work, args.mb)
        return 0
    print(f"machine: {_machine()}", flush=True)
    files = _paths(args.work, args.mb)
    if not all(path.exists() for path in files):
        subprocess.run([sys.executable, __file__, "--generate", "--mb", str(args.mb), "--work", str(args.work)],
                       check=True, cwd=REPOSITORY)  # fmt: skip
    figures = []
    for path in files:
        if args.only and path.suffix != f".{args.only}":
            continue
        for mode in ("check", "import"):
            database = args.work / "bench.sqlite3"
            done = subprocess.run([sys.executable, __file__, "--child", str(path), mode, str(database)],
                                  check=True, capture_output=True, text=True, cwd=REPOSITORY)  # fmt: skip
            figure = json.loads(done.stdout.strip().splitlines()[-1])
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
            figures.append(figure)
            print(
                f"{figure['file']} ({figure['megabytes']} MB, {figure['rows']:,} rows), {mode}: peak "
                f"{figure['peak_mb']:,} MB RSS (VmHWM {figure['vmhwm_mb']} MB; {figure['import_mb']:,} MB over the "
                f"{figure['baseline_mb']} MB baseline), {figure['wall_s']} s wall / {figure['cpu_s']} s CPU; "
                f"created {figure['created']:,}, "
                f"rejected {figure['rejected']:,}{'; ' + figure['problems'][0] if figure['problems'] else ''}",
                flush=True,
            )
    print(json.dumps({"machine": _machine(), "figures": figures}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
