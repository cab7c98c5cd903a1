"""Time the pure-Python synthetic-data generator (no database).

Run: ``.venv/bin/python benchmarks/demo_data_core.py [--runs 3]``

Generates 1 year and 4 years for Lancashire's three BCUs and prints the median wall time of
``--runs`` runs with the sizes produced. The demo loader's budget is well under 60 s for one
year including the database load, so core generation should stay around 10 s or less.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date

from provide.core.synthetic import SyntheticDataset, generate_dataset

CASES: tuple[tuple[str, date, int], ...] = (
    ("1 year x 3 BCUs", date(2022, 4, 1), 365),
    ("4 years x 3 BCUs", date(2019, 4, 1), 1461),
)


def _time_once(start_on: date, days: int) -> tuple[float, SyntheticDataset]:
    began = time.perf_counter()
    dataset = generate_dataset(start_on=start_on, days=days, seed=2024)
    return time.perf_counter() - began, dataset


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"python {platform.python_version()}, nproc {os.cpu_count()}, runs {args.runs}")
    for label, start_on, days in CASES:
        timings: list[float] = []
        dataset: SyntheticDataset | None = None
        for _ in range(args.runs):
            seconds, dataset = _time_once(start_on, days)
            timings.append(seconds)
        assert dataset is not None
        median = statistics.median(timings)
        rate = len(dataset.investigations) / median
        print(
            f"{label:18s} median {median:6.2f} s (min {min(timings):.2f}, max {max(timings):.2f})"
            f"  investigations {len(dataset.investigations):,}  people {len(dataset.people):,}"
            f"  tracker {len(dataset.tracker_rows):,}  custody {len(dataset.custody_events):,}"
            f"  shifts {len(dataset.shifts):,}  ({rate:,.0f} investigations/s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
