"""What every intake import shares: the result and its report, the size limit, permission
checks, row checks beyond parsing, and the rejects file."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied

from provide.core.tabular import (
    CellProblem,
    ColumnSpec,
    ReadResult,
    Record,
    Sheet,
    TabularError,
    load_mapping,
    parse_text,
    read_records,
    read_table,
    resolve_columns,
    safe_row,
)

NOT_ALLOWED = "Your role cannot import this kind of file"
FUTURE_SLACK = dt.timedelta(minutes=15)
"""How far past "now" a recorded time may be before it counts as in the future (clock skew)."""


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
        """The four numbers of the ``--json`` output."""
        return {"created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "rejected": self.rejected}  # fmt: skip

    def problem_lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]

    def summary_line(self) -> str:
        """One line for the end of a command's output."""
        counts = (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                  f"{self.rejected} rejected")  # fmt: skip
        if self.file_rejected:
            return (f"{self.source}: REJECTED, nothing written - {len(self.problems)} problem(s) "
                    f"in {self.rejected} of {self.rows} rows (use --partial to import the good rows)")
        if self.dry_run:
            return f"{self.source}: dry run, nothing written - would be {counts} ({self.rows} rows)"
        return f"{self.source}: {counts} ({self.rows} rows, {self.seconds:.1f} s)"

    def as_dict(self) -> dict[str, Any]:
        """Everything, for the API and the stored import history."""
        return {**self.counts(), "rows": self.rows, "kind": self.kind, "source": self.source,
                "dry_run": self.dry_run, "partial": self.partial, "written": self.written,
                "file_rejected": self.file_rejected, "problems": self.problem_lines(),
                "extra_columns": self.extra_columns, "notes": self.notes,
                "sha256": self.sha256}  # fmt: skip


def check_permission(actor: Any, permission: str) -> None:
    """``actor`` None is the operator's command line (shell access is the authority)."""
    if actor is None:
        return
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm(permission)):
        raise PermissionDenied(NOT_ALLOWED)


def max_bytes() -> int:
    return int(getattr(settings, "PROVIDE_IMPORT_MAX_MB", 100)) * 1024 * 1024


def check_size(path: Path, label: str) -> None:
    """Refuse a file over ``PROVIDE_IMPORT_MAX_MB`` before reading a byte of it."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise TabularError([f"{label}: cannot read file ({error.strerror})"]) from None
    if size > max_bytes():
        raise TabularError([f"{label}: the file is {size / 1024 / 1024:.1f} MB; the limit is "
                            f"{max_bytes() // 1024 // 1024} MB (setting PROVIDE_IMPORT_MAX_MB)"])
    if size == 0:
        raise TabularError([f"{label}: the file is empty"])


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class ParsedFile:
    """A file read against a schema, with the header each canonical column came from."""

    sheet: Sheet
    read: ReadResult
    header_of: dict[str, str]
    problems: list[CellProblem]

    def add(self, row: int, column: str, reason: str) -> None:
        self.problems.append(CellProblem(row, self.header_of.get(column, column), reason))


def read_file(
    path: Path, columns: Sequence[ColumnSpec], *, mapping_path: Path | None, sheet_name: str | None,
    label: str,
) -> ParsedFile:
    """Size check, read, map and parse. Raises TabularError for whole-file problems."""
    check_size(path, label)
    mapping = load_mapping(mapping_path) if mapping_path else None
    sheet = read_table(path, sheet=sheet_name)
    sheet = Sheet(headers=sheet.headers, rows=sheet.rows, source=label)
    if not sheet.rows:
        raise TabularError([f"{label}: the file has a header row but no data rows"])
    found, _ = resolve_columns(sheet.headers, columns, mapping=mapping, source=label)
    read = read_records(sheet, columns, mapping=mapping)
    header_of = {name: sheet.headers[index] for name, index in found.items()}
    return ParsedFile(sheet=sheet, read=read, header_of=header_of, problems=list(read.problems))


def report_duplicates(parsed: ParsedFile, key: Callable[[tuple[Any, ...]], Any], column: str,
                      describe: Callable[[Any], str]) -> None:  # fmt: skip
    """Every row whose key occurs more than once in the file is a problem (all of them:
    the file does not say which copy is right)."""
    rows_by_key: dict[Any, list[int]] = defaultdict(list)
    for number, cells in parsed.sheet.rows:
        value = key(cells)
        if value is not None:
            rows_by_key[value].append(number)
    for value, numbers in rows_by_key.items():
        if len(numbers) < 2:
            continue
        listed = ", ".join(str(n) for n in numbers)
        for number in numbers:
            parsed.add(number, column, f"{describe(value)} appears more than once (rows {listed})")


def cell_text(parsed: ParsedFile, column: str) -> Callable[[tuple[Any, ...]], str | None]:
    """A function reading one canonical column of a raw row as text (None when blank)."""
    header = parsed.header_of.get(column)
    if header is None:
        return lambda cells: None
    index = parsed.sheet.headers.index(header)

    def read(cells: tuple[Any, ...]) -> str | None:
        try:
            return parse_text(cells[index])
        except ValueError:
            return None

    return read


def check_not_future(parsed: ParsedFile, record: Record, columns: Iterable[str], now: dt.datetime) -> None:
    """Times and dates that have not happened yet are errors (a typo in the year, usually)."""
    today = now.date()
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
    bad = {problem.row for problem in parsed.problems}
    return [record for record in parsed.read.records if record.row not in bad]


def rejected_row_count(parsed: ParsedFile) -> int:
    return len({problem.row for problem in parsed.problems if problem.row is not None})


def write_rejects(parsed: ParsedFile, target: Path) -> Path:
    """The rejected rows as CSV (original header plus ``problems``), formula-safe."""
    by_row: dict[int, list[str]] = defaultdict(list)
    for problem in parsed.problems:
        if problem.row is not None:
            column = f"column {problem.column}: " if problem.column else ""
            by_row[problem.row].append(f"{column}{problem.reason}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(safe_row([*parsed.sheet.headers, "row", "problems"]))
        for number, cells in parsed.sheet.rows:
            if number in by_row:
                texts = ["" if cell is None else str(cell) for cell in cells]
                writer.writerow(safe_row([*texts, str(number), "; ".join(by_row[number])]))
    return target


def default_rejects_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects.csv")


def json_line(result: ImportResult) -> str:
    return json.dumps(result.counts())
