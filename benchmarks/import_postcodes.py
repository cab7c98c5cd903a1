"""Benchmark: time and peak memory of ``provide import-postcodes`` on an ONSPD-sized file.

Generates a synthetic file in the shape of the ONS Postcode Directory CSV (the columns
``pcd, pcd2, pcds, dointr, doterm, oscty, ..., oseast1m, osnrth1m, osgrdind, ..., lat, long``;
about one row in 40 terminated, one in 500 without coordinates) with ``--rows`` rows (default
2,700,000, the size of the real directory). The postcodes are invented; a README.txt beside the
file says so. The file is loaded by ``postcodes_import`` in a fresh child process with a fresh
SQLite database; the child reports its peak resident memory (``ru_maxrss``), the same figure
just before the load (Django and the migrated database: the baseline), and wall seconds. As a
peer measured in the same run, a second child only reads the file with ``csv.reader``.

    nice -n 10 .venv/bin/python benchmarks/import_postcodes.py
    .venv/bin/python benchmarks/import_postcodes.py --rows 300000     # a quicker look
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import string
import subprocess
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
COLUMNS = ("pcd", "pcd2", "pcds", "dointr", "doterm", "oscty", "ced", "oslaua", "osward",
           "parish", "usertype", "oseast1m", "osnrth1m", "osgrdind", "oshlthau", "nhser",
           "ctry", "rgn", "pcon", "lsoa21", "msoa21", "ru11ind", "oac11", "lat", "long")  # fmt: skip
README = """SYNTHETIC DATA - NOT THE ONS POSTCODE DIRECTORY

Written by benchmarks/import_postcodes.py: {rows} invented postcodes in the ONSPD's shape.
"""


def _postcode(n: int) -> str:
    letters = string.ascii_uppercase
    area = letters[n // 669_240 % 26] + letters[(n // 669_240 // 26 + 3) % 26]
    rest = n % 669_240
    district, rest = 1 + rest // 6_760, rest % 6_760
    return f"{area}{district} {rest // 676}{letters[rest // 26 % 26]}{letters[rest % 26]}"


def generate(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(COLUMNS) + "\r\n")
        for n in range(rows):
            pcds = _postcode(n)
            out, inward = pcds.split()
            doterm = "201906" if n % 40 == 7 else ""
            if n % 500 == 3:
                east, north, grid, lat, lon = "", "", "9", "99.999999", "0.000000"
            else:
                east, north, grid = str(330000 + n % 60000), str(436000 + n % 90000), "1"
                lat, lon = f"{53.5 + (n % 90000) / 100000:.6f}", f"{-3.1 + (n % 60000) / 40000:.6f}"
            cells = (f"{out:<4}{inward}", f"{out:<5}{inward}", pcds, "198001", doterm, "E10000017",
                     "E58000001", "E07000117", "E05005150", "E04005305", "0", east, north, grid,
                     "E18000002", "E40000010", "E92000001", "E12000002", "E14001133",
                     "E01024969", "E02005198", "C1", "4B3", lat, lon)  # fmt: skip
            handle.write(",".join(cells) + "\r\n")
    (path.parent / "README.txt").write_text(README.format(rows=rows), encoding="utf-8")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_load(path: Path, database: Path) -> dict[str, object]:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ["DJANGO_SETTINGS_MODULE"] = "provide.config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from provide.areas.postcode_import import postcodes_import

    call_command("migrate", verbosity=0)
    baseline = _peak_mb()
    started = time.perf_counter()
    result = postcodes_import(path=path)
    return {"seconds": round(time.perf_counter() - started, 1), "peak_mb": round(_peak_mb()),
            "baseline_mb": round(baseline), **result.json_summary()}  # fmt: skip


def child_read(path: Path) -> dict[str, object]:
    import csv

    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = sum(1 for _ in csv.reader(handle)) - 1
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "peak_mb": round(_peak_mb()),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_700_000)
    parser.add_argument("--work", type=Path, default=REPOSITORY / "var" / "bench-import-postcodes")
    parser.add_argument("--child", choices=["load", "read"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "load":
        print(json.dumps(child_load(args.file, args.work / "bench.sqlite3")))
        return
    if args.child == "read":
        print(json.dumps(child_read(args.file)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    path = args.work / f"onspd_synthetic_{args.rows}.csv"
    if not path.exists():
        generate(path, args.rows)
    database = args.work / "bench.sqlite3"
    database.unlink(missing_ok=True)
    report: dict[str, object] = {"rows": args.rows, "file_mb": round(path.stat().st_size / 2**20),
                                 "nproc": os.cpu_count()}  # fmt: skip
    for kind in ("read", "load"):
        command = [
            sys.executable,
            __file__,
            "--child",
            kind,
            "--file",
            str(path),
            "--work",
            str(args.work),
        ]
        done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPOSITORY)
        report[kind] = json.loads(done.stdout.strip().splitlines()[-1])
    database.unlink(missing_ok=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
