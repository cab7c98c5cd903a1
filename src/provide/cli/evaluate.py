"""``provide evaluate``: the evaluation straight from the files, no database.

Usage::

    provide evaluate --tracker FILE [--investigations FILE] [--bcu B] [--from D --to D]
                     --json OUT [--html OUT] [--pdf OUT] [--publish] [--mapping FILE]
                     [--go-live BCU=YYYY-MM-DD ...] [--as-of D] [--partial]
                     [--tracker-sheet NAME] [--investigations-sheet NAME]

Files are CSV (UTF-8) or XLSX with every FORMATS.md tolerance. Any unreadable value is
reported as ``FILE: row N, column C: reason``, one line each, and nothing is written
(exit status 1) unless ``--partial`` is given, in which case those rows are left out and
listed as warnings. Usage errors exit with status 2. Nothing here imports Django.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, NoReturn

from provide.core import evaluation  # pandas, SciPy, statsmodels... load on first use
from provide.core.evaluation.selection import Selection
from provide.core.tabular import (
    ColumnSpec,
    ReadResult,
    TabularError,
    load_mapping,
    parse_date,
    read_records,
    read_table,
)
from provide.core.tabular.values import LONDON

PROG = "provide evaluate"
MAX_PROBLEM_LINES = 500
"""At most this many problem lines are printed; the rest are counted."""


class UsageError(Exception):
    """A command-line mistake (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Compute the Provide evaluation measures from a tracker (and investigations) file.",
    )
    parser.add_argument(
        "--tracker", required=True, type=Path, help="IDVA tracker, CSV or XLSX (FORMATS.md B)"
    )
    parser.add_argument(
        "--investigations", type=Path, help="police DA investigation extract (FORMATS.md A)"
    )
    parser.add_argument("--bcu", help="only this BCU (case-insensitive)")
    parser.add_argument("--from", dest="date_from", help="first day of the period (inclusive)")
    parser.add_argument("--to", dest="date_to", help="last day of the period (inclusive)")
    parser.add_argument(
        "--json", required=True, type=Path, help="write the FORMATS.md JSON object here"
    )
    parser.add_argument("--html", type=Path, help="write the HTML report here")
    parser.add_argument("--pdf", type=Path, help="write the PDF report here")
    parser.add_argument(
        "--publish",
        action="store_true",
        help="publish: counts below 5 as <5, other counts rounded to the nearest 5",
    )
    parser.add_argument(
        "--mapping", type=Path, help="column mapping, JSON or CSV (file header -> column)"
    )
    parser.add_argument(
        "--go-live",
        action="append",
        default=[],
        metavar="BCU=YYYY-MM-DD",
        help="Provide start date of a BCU",
    )
    parser.add_argument(
        "--as-of", help="end of follow-up for 12-month repeats (default: last recorded_at)"
    )
    parser.add_argument(
        "--partial", action="store_true", help="leave out unreadable rows instead of stopping"
    )
    parser.add_argument("--tracker-sheet", help="worksheet of an XLSX tracker (default: first)")
    parser.add_argument(
        "--investigations-sheet", help="worksheet of an XLSX extract (default: first)"
    )
    return parser


@dataclass(frozen=True)
class _Options:
    date_from: date | None
    date_to: date | None
    go_live: dict[str, date]
    as_of: datetime | None
    mapping: dict[str, str]


def _date_option(name: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as error:
        raise UsageError(f"{name}: {error}") from None


def _options(args: argparse.Namespace) -> _Options:
    date_from = _date_option("--from", args.date_from)
    date_to = _date_option("--to", args.date_to)
    if date_from and date_to and date_from > date_to:
        raise UsageError(f"--from {date_from} is after --to {date_to}")
    go_live: dict[str, date] = {}
    for item in args.go_live:
        name, sep, day = item.partition("=")
        if not sep or not name.strip() or not day.strip():
            raise UsageError(f"--go-live {item!r}: expected BCU=YYYY-MM-DD")
        parsed = _date_option(f"--go-live {name.strip()}", day)
        assert parsed is not None
        go_live[name.strip()] = parsed
    as_of_day = _date_option("--as-of", args.as_of)
    # End of that London day, as an aware instant.
    as_of = (
        datetime.combine(as_of_day, time(23, 59, 59), tzinfo=LONDON).astimezone(UTC)
        if as_of_day
        else None
    )
    mapping: dict[str, str] = {}
    if args.mapping is not None:
        mapping = load_mapping(args.mapping)
        known = {c.name for c in (*evaluation.TRACKER_COLUMNS, *evaluation.INVESTIGATION_COLUMNS)}
        unknown = sorted({target for target in mapping.values() if target not in known})
        if unknown:
            raise TabularError(
                [f"{args.mapping}: mapping names unknown column {name!r}" for name in unknown]
            )
    return _Options(date_from, date_to, go_live, as_of, mapping)


def _read(
    path: Path, columns: Sequence[ColumnSpec], mapping: dict[str, str], sheet: str | None
) -> ReadResult:
    return read_records(read_table(path, sheet=sheet), columns, mapping=mapping)


def _print_problems(lines: Sequence[str], *, prefix: str = "") -> None:
    for line in lines[:MAX_PROBLEM_LINES]:
        print(f"{prefix}{line}", file=sys.stderr)
    if len(lines) > MAX_PROBLEM_LINES:
        print(f"{prefix}... and {len(lines) - MAX_PROBLEM_LINES} more problem(s)", file=sys.stderr)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder, then rename."""
    path = path.resolve()
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _check_outputs(paths: Sequence[Path | None]) -> None:
    for path in paths:
        if path is not None and not path.resolve().parent.is_dir():
            raise UsageError(f"cannot write {path}: folder {path.parent} does not exist")


def run(args: argparse.Namespace) -> int:
    """Run the command on parsed arguments; return the exit status."""
    options = _options(args)
    _check_outputs([args.json, args.html, args.pdf])
    results = {
        "tracker": _read(
            args.tracker, evaluation.TRACKER_COLUMNS, options.mapping, args.tracker_sheet
        )
    }
    if args.investigations is not None:
        results["investigations"] = _read(
            args.investigations,
            evaluation.INVESTIGATION_COLUMNS,
            options.mapping,
            args.investigations_sheet,
        )
    problems = [f"{r.source}: {p}" for r in results.values() for p in r.problems]
    if problems and not args.partial:
        _print_problems(problems)
        print(
            f"{PROG}: {len(problems)} unreadable value(s); nothing written "
            "(fix the file, or use --partial to leave those rows out)",
            file=sys.stderr,
        )
        return 1
    notes: list[str] = []
    if problems:
        _print_problems(problems, prefix="warning: ")
        for result in results.values():
            if result.rejected_rows:
                notes.append(
                    f"{result.source}: {len(result.rejected_rows)} unreadable row(s) left out (--partial)"
                )
    for result in results.values():
        if result.extra_columns:
            note = f"{result.source}: extra columns kept aside, not used: " + ", ".join(
                result.extra_columns
            )
            notes.append(note)
            print(f"note: {note}", file=sys.stderr)
    selection = Selection(bcu=args.bcu, date_from=options.date_from, date_to=options.date_to)
    report = evaluation.build_report(
        results["tracker"].records,
        results["investigations"].records if "investigations" in results else None,
        selection=selection,
        go_live=options.go_live,
        as_of=options.as_of,
        sources={name: str(r.source) for name, r in results.items()},
        notes=notes,
    )
    document: dict[str, Any] = evaluation.evaluation_json(report.measures)
    if args.publish:
        document = evaluation.publish(document)
    _write_atomic(args.json, (json.dumps(document, indent=2, allow_nan=False) + "\n").encode())
    written = [str(args.json)]
    if args.html is not None or args.pdf is not None:
        rich = evaluation.report_document(report)
        html = evaluation.render_html(evaluation.publish(rich) if args.publish else rich)
        if args.html is not None:
            _write_atomic(args.html, html.encode())
            written.append(str(args.html))
        if args.pdf is not None:
            _write_atomic(args.pdf, evaluation.render_pdf(html))
            written.append(str(args.pdf))
    for line in report.notes:
        if not line.startswith(tuple(f"{r.source}:" for r in results.values())):
            print(f"note: {line}", file=sys.stderr)
    m = report.measures
    print(
        f"{PROG}: {m.tracker_rows} tracker rows ({m.rows_with_valid_delay} with a valid delay)"
        f"{' [published: counts below 5 suppressed, others rounded to 5]' if args.publish else ''}; wrote {', '.join(written)}"
    )
    return 0


def main(argv: list[str]) -> int:
    """Entry point: ``provide evaluate ARGS``; returns the exit status, never raises."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        return run(args)
    except UsageError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        print(f"usage: see '{PROG} --help'", file=sys.stderr)
        return 2
    except SystemExit as exit_:  # --help
        return exit_.code if isinstance(exit_.code, int) else 0
    except TabularError as error:
        _print_problems(error.lines())
        print(f"{PROG}: nothing written", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{PROG}: error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return 1
    except Exception as error:
        if os.environ.get("PROVIDE_DEBUG"):
            raise
        print(
            f"{PROG}: internal error ({type(error).__name__}: {error}); "
            "please report it, with PROVIDE_DEBUG=1 output",
            file=sys.stderr,
        )
        return 70
