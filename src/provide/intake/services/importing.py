"""What every intake import shares: the result and its report, the size limits, permission
checks, reading a file in one streamed pass, row checks beyond parsing, and the rejects file.

Memory: a file is read row by row (:func:`provide.core.tabular.open_table`); only the parsed
records are kept, never the raw rows, and duplicate references are counted as they go by (each
reported once, with a count and the first rows). The rejects file is written from a second
pass over the file. A workbook may unpack to at most :data:`XLSX_UNPACKED_PER_MB` times the
size limit, checked before it is opened.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied

from provide.core.tabular import (
    LONDON,
    Cell,
    CellProblem,
    ColumnSpec,
    ReadResult,
    Record,
    RowReader,
    TableFile,
    TabularError,
    load_mapping,
    open_table,
    parse_text,
    safe_row,
)

NOT_ALLOWED = "Your role cannot import this kind of file"
FUTURE_SLACK = dt.timedelta(minutes=15)
"""How far past "now" a recorded time may be before it counts as in the future (clock skew)."""
XLSX_UNPACKED_PER_MB = 10
"""A workbook may unpack to this many times ``PROVIDE_IMPORT_MAX_MB`` (worksheets made by
Excel or openpyxl unpack to 5-9 times their size; a zip bomb to hundreds)."""
DUPLICATE_ROWS_SHOWN = 5
"""Row numbers listed for a duplicated reference; the rest are counted."""


@dataclass(frozen=True)
class IdentityConflict:
    """A row whose person reference is held for someone with another name or date of birth.

    The person held keeps their details; the row's person is a new record waiting in the
    duplicate review queue (``people.PersonMatch``) next to them.
    """

    reference: str
    row: int | None
    role: str
    differs: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "row": self.row,
            "role": self.role,
            "differs": list(self.differs),
        }

    def __str__(self) -> str:
        where = f"row {self.row}: " if self.row is not None else ""
        return (
            f"{where}{self.role} reference {self.reference!r} is held for a person with a different "
            f"{' and '.join(self.differs)}; kept apart for review"
        )


@dataclass
class ImportResult:
    """The outcome of one import (or dry run): counts, problems and notes for the report."""

    kind: str
    source: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[CellProblem] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    identity_conflicts: list[IdentityConflict] = field(default_factory=list)
    dry_run: bool = False
    partial: bool = False
    written: bool = False
    rejects_path: str = ""
    sha256: str = ""
    seconds: float = 0.0

    @property
    def file_rejected(self) -> bool:
        """True when nothing was (or would be) imported because of problems."""
        return bool(self.problems) and not self.partial

    def counts(self) -> dict[str, int]:
        """The four counts."""
        return {"created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "rejected": self.rejected}  # fmt: skip

    def review(self) -> dict[str, Any]:
        """What is held for a person to review: the count and every reference."""
        return {"held_for_review": len(self.identity_conflicts),
                "identity_conflicts": [c.as_dict() for c in self.identity_conflicts]}  # fmt: skip

    def json_summary(self) -> dict[str, Any]:
        """The ``--json`` output: the four counts and what is held for review."""
        return {**self.counts(), **self.review()}

    def problem_lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]

    def review_lines(self) -> list[str]:
        return [str(conflict) for conflict in self.identity_conflicts]

    def summary_line(self) -> str:
        """One line for the end of a command's output."""
        counts = (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                  f"{self.rejected} rejected")  # fmt: skip
        held = len(self.identity_conflicts)
        if held:
            counts += f", {held} held for review"
        if self.file_rejected:
            return (
                f"{self.source}: REJECTED, nothing written - {len(self.problems)} problem(s) "
                f"in {self.rejected} of {self.rows} rows (use --partial to import the good rows)"
            )
        if self.dry_run:
            return f"{self.source}: dry run, nothing written - would be {counts} ({self.rows} rows)"
        return f"{self.source}: {counts} ({self.rows} rows, {self.seconds:.1f} s)"

    def as_dict(self) -> dict[str, Any]:
        """Everything, for the API and the stored import history."""
        return {**self.counts(), "rows": self.rows, "kind": self.kind, "source": self.source,
                "dry_run": self.dry_run, "partial": self.partial, "written": self.written,
                "file_rejected": self.file_rejected, "problems": self.problem_lines(),
                "extra_columns": self.extra_columns, "notes": self.notes,
                **self.review(), "sha256": self.sha256}  # fmt: skip


def check_permission(actor: Any, permission: str) -> None:
    """``actor`` None is the operator's command line (shell access is the authority)."""
    if actor is None:
        return
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm(permission)):
        raise PermissionDenied(NOT_ALLOWED)


def max_bytes() -> int:
    return int(getattr(settings, "PROVIDE_IMPORT_MAX_MB", 100)) * 1024 * 1024


def max_unpacked_bytes() -> int:
    """The most a workbook may unpack to (see :data:`XLSX_UNPACKED_PER_MB`)."""
    return max_bytes() * XLSX_UNPACKED_PER_MB


def check_size(path: Path, label: str) -> None:
    """Refuse a file over ``PROVIDE_IMPORT_MAX_MB`` before reading a byte of it."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise TabularError([f"{label}: cannot read file ({error.strerror})"]) from None
    if size > max_bytes():
        limit = max_bytes() // 1024 // 1024
        shown = f"{size / 1024 / 1024:.1f} MB"
        if (
            float(shown.split()[0]) <= limit
        ):  # just over: "100.0 MB; the limit is 100 MB" would puzzle
            shown = f"{size:,} bytes, just over {limit} MB"
        raise TabularError(
            [
                f"{label}: the file is {shown}; the limit is {limit} MB (setting PROVIDE_IMPORT_MAX_MB)"
            ]
        )
    if size == 0:
        raise TabularError([f"{label}: the file is empty"])


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class UniqueKey:
    """Rows of one file must not repeat this key (e.g. the investigation reference).

    ``columns`` are canonical columns read as raw text (so a copy whose other values are
    unreadable still counts); ``key`` makes the key from their texts (None: the row has none);
    ``describe`` words a key for the problem line.
    """

    columns: tuple[str, ...]
    key: Callable[[tuple[str | None, ...]], Hashable | None]
    describe: Callable[[Any], str]


class _Duplicates:
    """Keys seen once (with their row) and, for keys seen more often, all their rows."""

    def __init__(self) -> None:
        self._first: dict[Hashable, int] = {}
        self._repeated: dict[Hashable, list[int]] = {}

    def add(self, key: Hashable, row: int) -> None:
        first = self._first.setdefault(key, row)
        if first != row:
            self._repeated.setdefault(key, [first]).append(row)

    def repeated(self) -> Iterable[tuple[Hashable, list[int]]]:
        return self._repeated.items()


def _text(cell: Cell) -> str | None:
    try:
        return parse_text(cell)
    except ValueError:
        return None


@dataclass
class ParsedFile:
    """A file read against a schema, with the header each canonical column came from.

    ``table`` can be iterated again (the rejects file does); ``problems`` has one line per
    thing to fix, and ``rejected_with`` the rows rejected by a problem reported on another row
    (the later copies of a duplicated reference), each with that problem.
    """

    table: TableFile
    read: ReadResult
    header_of: dict[str, str]
    problems: list[CellProblem]
    rows: int = 0
    rejected_with: dict[int, CellProblem] = field(default_factory=dict)

    def add(self, row: int, column: str, reason: str) -> None:
        self.problems.append(CellProblem(row, self.header_of.get(column, column), reason))

    def bad_rows(self) -> set[int]:
        return {problem.row for problem in self.problems if problem.row is not None} | set(
            self.rejected_with
        )


def read_file(
    path: Path,
    columns: Sequence[ColumnSpec],
    *,
    mapping_path: Path | None,
    sheet_name: str | None,
    label: str,
    unique: UniqueKey | None = None,
) -> ParsedFile:
    """Size check, then one streamed pass: map, parse, count duplicates of ``unique``.

    Raises TabularError for whole-file problems: too big, empty, only a header, not a
    spreadsheet, macros, a workbook that unpacks to too much, broken quoting or encoding.
    """
    check_size(path, label)
    mapping = load_mapping(mapping_path) if mapping_path else None
    table = open_table(path, sheet=sheet_name, name=label, max_unpacked_bytes=max_unpacked_bytes())
    try:
        reader = RowReader(table.headers, columns, mapping=mapping, source=label)
        key_at = [reader.found.get(name) for name in unique.columns] if unique else []
        duplicates = _Duplicates()
        records: list[Record] = []
        problems: list[CellProblem] = []
        rows = 0
        for number, cells in table.rows:
            rows += 1
            if unique is not None:
                key = unique.key(tuple(None if i is None else _text(cells[i]) for i in key_at))
                if key is not None:
                    duplicates.add(key, number)
            record, row_problems = reader.read(number, cells)
            if record is not None:
                records.append(record)
            else:
                problems.extend(row_problems)
    finally:
        table.close()
    if not rows:
        raise TabularError([f"{label}: the file has a header row but no data rows"])
    header_of = {name: table.headers[index] for name, index in reader.found.items()}
    read = ReadResult(records=records, problems=problems, extra_columns=reader.extra_columns,
                      absent_columns=reader.absent_columns, source=label)  # fmt: skip
    parsed = ParsedFile(
        table=table, read=read, header_of=header_of, problems=list(problems), rows=rows
    )
    if unique is not None:
        _report_duplicates(parsed, duplicates, unique)
    return parsed


def _report_duplicates(parsed: ParsedFile, duplicates: _Duplicates, unique: UniqueKey) -> None:
    """One problem per repeated key, on its first row; every copy is rejected (the file does
    not say which one is right). Linear: no row is listed more than once."""
    column = unique.columns[0]
    for key, numbers in duplicates.repeated():
        shown = ", ".join(str(n) for n in numbers[:DUPLICATE_ROWS_SHOWN])
        more = (
            f" and {len(numbers) - DUPLICATE_ROWS_SHOWN:,} more"
            if len(numbers) > DUPLICATE_ROWS_SHOWN
            else ""
        )
        what = unique.describe(key)
        parsed.add(
            numbers[0], column, f"{what} appears {len(numbers):,} times (rows {shown}{more})"
        )
        problem = parsed.problems[-1]
        for number in numbers[1:]:
            parsed.rejected_with[number] = problem


def check_not_future(
    parsed: ParsedFile, record: Record, columns: Iterable[str], now: dt.datetime
) -> None:
    """Times and dates that have not happened yet are errors (a typo in the year, usually).
    A calendar date is compared with today's date in London, where the files are written."""
    today = now.astimezone(LONDON).date()
    for column in columns:
        value = record.values.get(column)
        if isinstance(value, dt.datetime) and value > now + FUTURE_SLACK:
            parsed.add(record.row, column, f"{value:%d/%m/%Y %H:%M} UTC is in the future")
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime) and value > today:
            parsed.add(record.row, column, f"{value:%d/%m/%Y} is in the future")


def check_length(parsed: ParsedFile, record: Record, limits: dict[str, int]) -> None:
    for column, limit in limits.items():
        value = record.values.get(column)
        if isinstance(value, str) and len(value) > limit:
            parsed.add(record.row, column, f"is {len(value)} characters long; at most {limit} fit")


def good_records(parsed: ParsedFile) -> list[Record]:
    """Records without any problem (a problem found after parsing also rejects its row)."""
    bad = parsed.bad_rows()
    return [record for record in parsed.read.records if record.row not in bad]


def rejected_row_count(parsed: ParsedFile) -> int:
    return len(parsed.bad_rows())


def write_rejects(parsed: ParsedFile, target: Path) -> Path:
    """The rejected rows as CSV (original header plus ``row`` and ``problems``), formula-safe,
    from a second pass over the file."""
    by_row: dict[int, list[str]] = defaultdict(list)
    located = [(p.row, p) for p in parsed.problems if p.row is not None]
    for number, problem in [*located, *parsed.rejected_with.items()]:
        column = f"column {problem.column}: " if problem.column else ""
        by_row[number].append(f"{column}{problem.reason}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(safe_row([*parsed.table.headers, "row", "problems"]))
        for number, cells in parsed.table.rows:
            if number in by_row:
                texts = ["" if cell is None else str(cell) for cell in cells]
                writer.writerow(safe_row([*texts, str(number), "; ".join(by_row[number])]))
    return target


def default_rejects_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects.csv")


def json_line(result: ImportResult) -> str:
    """The last line of a command's ``--json`` output."""
    return json.dumps(result.json_summary())
