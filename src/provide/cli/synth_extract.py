"""``provide synth-extract``: write synthetic FORMATS.md A/B/C files for import and evaluation.

Example::

    provide synth-extract --years 4 --start 2019-04-01 --seed 7 --rows 124137 --out extract/

writes ``investigations.csv`` (A), ``tracker.csv`` (B), ``custody.csv`` (C) and a
``README.txt`` saying the data is synthetic; ``--xlsx`` adds XLSX copies. Needs no database.
"""

from __future__ import annotations

import argparse
import csv
import importlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path

from provide.core.synthetic import SyntheticDataset, generate_dataset, generate_exact
from provide.core.synthetic.extract import (
    CUSTODY_COLUMNS,
    INVESTIGATION_COLUMNS,
    TRACKER_COLUMNS,
    custody_rows,
    investigation_rows,
    tracker_rows,
)

DEFAULT_START = date(2019, 4, 1)
"""Start of the four financial years (2019/20 - 2022/23) in the Lancashire evaluation."""

README = """SYNTHETIC DATA - NOT REAL PEOPLE OR CASES

Every person, address, phone number, NHS number and case in these files was made up by the
Provide synthetic-data generator (provide synth-extract). Any resemblance to real people is
coincidence. NHS numbers are in the 999 test range; phone numbers in Ofcom's drama range
(07700 900xxx); every reference starts with SYN.

seed: {seed}
start: {start}
days generated: {days}
last investigation recorded: {last}
BCUs: {bcus}
investigations: {investigations}
tracker rows: {tracker}
custody events: {custody}

Files (columns as in FORMATS.md): investigations (A), tracker (B), custody (C).
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="provide synth-extract",
        description="Write synthetic police investigation, IDVA tracker and custody files.",
    )
    span = parser.add_mutually_exclusive_group()
    span.add_argument("--years", type=int, help="number of years to generate (default 1)")
    span.add_argument("--days", type=int, help="number of days to generate")
    parser.add_argument(
        "--start", type=date.fromisoformat, default=DEFAULT_START, help="first day, YYYY-MM-DD"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--bcu", action="append", dest="bcus", help="BCU to include (repeatable; default all)"
    )
    parser.add_argument(
        "--rows", type=int, help="generate exactly this many investigations (extends the span)"
    )
    parser.add_argument(
        "--per-day", type=float, default=25.0, help="investigations a day per BCU (default 25)"
    )
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--xlsx", action="store_true", help="also write XLSX copies")
    return parser


def add_years(start: date, years: int) -> date:
    """The same calendar day ``years`` later (28 February for 29 February)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[list[str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _write_xlsx(path: Path, title: str, header: Sequence[str], rows: Iterable[list[str]]) -> None:
    openpyxl = importlib.import_module("openpyxl")  # only needed with --xlsx
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def write_extract(dataset: SyntheticDataset, out: Path, *, xlsx: bool = False) -> dict[str, int]:
    """Write the A/B/C CSV files (and optionally XLSX) plus README.txt; return row counts."""
    out.mkdir(parents=True, exist_ok=True)
    files: tuple[tuple[str, Sequence[str], Callable[[], Iterable[list[str]]]], ...] = (
        ("investigations", INVESTIGATION_COLUMNS, lambda: investigation_rows(dataset)),
        ("tracker", TRACKER_COLUMNS, lambda: tracker_rows(dataset)),
        ("custody", CUSTODY_COLUMNS, lambda: custody_rows(dataset)),
    )
    counts: dict[str, int] = {}
    for name, header, rows in files:
        counts[name] = _write_csv(out / f"{name}.csv", header, rows())
        if xlsx:
            _write_xlsx(out / f"{name}.xlsx", name, header, rows())
    (out / "README.txt").write_text(
        README.format(
            seed=dataset.seed,
            start=dataset.start_on.isoformat(),
            days=dataset.days,
            last=max((i.recorded_at for i in dataset.investigations), default=None),
            bcus=", ".join(bcu.name for bcu in dataset.bcus),
            investigations=counts["investigations"],
            tracker=counts["tracker"],
            custody=counts["custody"],
        ),
        encoding="utf-8",
    )
    return counts


def main(argv: list[str]) -> int:
    """Run ``provide synth-extract``; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    start: date = args.start
    if args.days is not None:
        days = int(args.days)
    else:
        days = (add_years(start, args.years if args.years is not None else 1) - start).days
    if days < 1:
        parser.error("the span must be at least one day")
    bcus = tuple(args.bcus) if args.bcus else None
    try:
        if args.rows is not None:
            if args.rows < 1:
                parser.error("--rows must be at least 1")
            dataset = generate_exact(
                investigations=args.rows,
                start_on=start,
                seed=args.seed,
                bcus=bcus,
                investigations_per_day_per_bcu=args.per_day,
                min_days=days if (args.days is not None or args.years is not None) else 1,
            )
        else:
            dataset = generate_dataset(
                start_on=start,
                days=days,
                seed=args.seed,
                bcus=bcus,
                investigations_per_day_per_bcu=args.per_day,
            )
    except ValueError as error:
        parser.error(str(error))
    counts = write_extract(dataset, args.out, xlsx=args.xlsx)
    print(
        f"wrote {counts['investigations']} investigations, {counts['tracker']} tracker rows, "
        f"{counts['custody']} custody events to {args.out} (synthetic, seed {dataset.seed})"
    )
    return 0
