"""Load postcode centroids from the ONS Postcode Directory (ONSPD): ``provide import-postcodes``.

The directory is about 2.7 million rows. The file is read row by row (a CSV reader over the
file, or over the CSV inside the ONSPD zip) and written :data:`BATCH` rows at a time with an
upsert, so memory stays bounded whatever the file's size. The whole load is one transaction:
a file with any bad row writes nothing, and loading the same file again changes nothing but
``loaded_at``.

Columns used (headers in any case): ``pcds`` (or ``pcd2`` / ``pcd``), ``lat``, ``long`` and,
optionally, ``doterm`` (``YYYYMM``, the month the postcode was terminated). Rows the ONS
publishes without coordinates (``lat`` 99.999999) are skipped and counted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from provide.areas.models import PostcodeCentroid
from provide.areas.postcodes import normalise_postcode
from provide.audit.models import AuditAction
from provide.audit.services import audit_record

BATCH = 5_000
"""Rows written per upsert: the most the import holds in memory at once."""
MAX_PROBLEMS = 100
"""Problems listed in the report; the count covers all of them."""
NO_COORDINATES = "no coordinates"
TERMINATED = "terminated"
POSTCODE_COLUMNS = ("pcds", "pcd2", "pcd")
NOT_ONSPD = "the file has no {missing} column: is it the ONS Postcode Directory (ONSPD) CSV?"
NO_CSV_IN_ZIP = "the zip holds no ONSPD CSV file (Data/ONSPD_*_UK.csv)"


class PostcodeFileError(Exception):
    """The file cannot be read as an ONSPD file at all."""


@dataclass
class PostcodeImportResult:
    source: str
    rows: int = 0
    loaded: int = 0
    new: int = 0
    terminated: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0
    batches: int = 0
    dry_run: bool = False
    written: bool = False
    seconds: float = 0.0

    def add_problem(self, row: int, column: str, reason: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"row {row}, column {column}: {reason}")

    def json_summary(self) -> dict[str, Any]:
        return {"rows": self.rows, "loaded": self.loaded, "new": self.new,
                "terminated": self.terminated, "skipped": sum(self.skipped.values()),
                "skipped_by_reason": dict(sorted(self.skipped.items())),
                "problems": self.problem_count, "written": self.written,
                "dry_run": self.dry_run}  # fmt: skip

    def summary_line(self) -> str:
        skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items()))
        counts = (f"{self.loaded} postcodes loaded ({self.new} new, {self.terminated} terminated), "
                  f"{sum(self.skipped.values())} skipped{f' ({skipped})' if skipped else ''}")  # fmt: skip
        if self.problem_count:
            return (f"{self.source}: REJECTED, nothing written - {self.problem_count} problem(s) "
                    f"in {self.rows} rows")  # fmt: skip
        if self.dry_run:
            return f"{self.source}: dry run, nothing written - would be {counts} ({self.rows} rows)"
        return f"{self.source}: {counts} ({self.rows} rows, {self.seconds:.1f} s)"


@dataclass(frozen=True)
class _Columns:
    postcode: int
    postcode_name: str
    lat: int
    lon: int
    doterm: int | None


@contextmanager
def _open_text(path: Path) -> Iterator[TextIO]:
    """The CSV's text, streamed: the file itself, or the ONSPD CSV inside a zip."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            member = _onspd_member(archive)
            with archive.open(member) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        return
    with path.open(encoding="utf-8-sig", newline="") as text:
        yield text


def _onspd_member(archive: zipfile.ZipFile) -> str:
    """The single-file ONSPD CSV in the zip (``Data/ONSPD_*.csv``), not the per-area ones."""
    csvs = [n for n in archive.namelist() if n.lower().endswith(".csv")]
    whole = [
        n
        for n in csvs
        if "/multi_csv/" not in n.lower() and Path(n).name.upper().startswith("ONSPD")
    ]
    candidates = whole or (csvs if len(csvs) == 1 else [])
    if not candidates:
        raise PostcodeFileError(NO_CSV_IN_ZIP)
    return max(candidates, key=lambda n: archive.getinfo(n).file_size)


def _columns(header: list[str]) -> _Columns:
    names = [cell.strip().lower() for cell in header]
    postcode = next((name for name in POSTCODE_COLUMNS if name in names), None)
    for wanted, found in (("pcds", postcode), ("lat", "lat" in names), ("long", "long" in names)):
        if not found:
            raise PostcodeFileError(NOT_ONSPD.format(missing=wanted))
    assert postcode is not None
    return _Columns(
        postcode=names.index(postcode),
        postcode_name=postcode,
        lat=names.index("lat"),
        lon=names.index("long"),
        doterm=names.index("doterm") if "doterm" in names else None,
    )


def _terminated_on(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    if len(text) != 6 or not text.isdigit() or not 1 <= int(text[4:]) <= 12:
        raise ValueError(f"{text!r} is not a month (YYYYMM)")
    return dt.date(int(text[:4]), int(text[4:]), 1)


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number") from None


def _in_uk(number: float, column: str, low: float, high: float) -> float:
    if not low <= number <= high:
        raise ValueError(f"{number:g} is not a UK {column}")
    return number


def _centroid(cells: list[str], columns: _Columns, row: int, result: PostcodeImportResult,
              *, skip_terminated: bool, now: dt.datetime) -> PostcodeCentroid | None:  # fmt: skip
    """The row as a centroid; None when it is skipped or has a problem (recorded on ``result``)."""

    def cell(index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""

    postcode = normalise_postcode(cell(columns.postcode))
    if postcode is None:
        result.add_problem(row, columns.postcode_name,
                           f"{cell(columns.postcode).strip()!r} is not a full UK postcode")  # fmt: skip
        return None
    try:
        lat = _number(cell(columns.lat))
        if lat >= 99:
            result.skipped[NO_COORDINATES] += 1  # the ONS's 99.999999: no grid reference
            return None
        lat = _in_uk(lat, "latitude", 49.0, 61.5)
        lon = _in_uk(_number(cell(columns.lon)), "longitude", -9.0, 2.5)
    except ValueError as error:
        result.add_problem(row, "lat/long", str(error))
        return None
    try:
        terminated_on = _terminated_on(cell(columns.doterm))
    except ValueError as error:
        result.add_problem(row, "doterm", str(error))
        return None
    if terminated_on is not None:
        if skip_terminated:
            result.skipped[TERMINATED] += 1
            return None
        result.terminated += 1
    return PostcodeCentroid(postcode=postcode, latitude=lat, longitude=lon,
                            terminated_on=terminated_on, loaded_at=now)  # fmt: skip


def _write(batch: dict[str, PostcodeCentroid], result: PostcodeImportResult) -> None:
    PostcodeCentroid.objects.bulk_create(
        list(batch.values()),
        update_conflicts=True,
        unique_fields=["postcode"],
        update_fields=["latitude", "longitude", "terminated_on", "loaded_at"],
    )
    result.loaded += len(batch)
    result.batches += 1
    batch.clear()


def postcodes_import(*, path: Path, dry_run: bool = False, skip_terminated: bool = False,
                     batch_size: int = BATCH, source_name: str | None = None,
                     actor_username: str = "", now: dt.datetime | None = None,
                     ) -> PostcodeImportResult:  # fmt: skip
    """Load the postcode centroids of an ONSPD file (CSV or the ONSPD zip); see the module
    docstring. ``dry_run`` loads inside the transaction and rolls it back, so its counts are
    exactly what a load would do. Raises :class:`PostcodeFileError` for a file that is not an
    ONSPD file; bad rows are reported on the result and nothing is written."""
    started = time.perf_counter()
    now = now or timezone.now()
    result = PostcodeImportResult(source=source_name or path.name, dry_run=dry_run)
    with transaction.atomic():
        before = PostcodeCentroid.objects.count()
        batch: dict[str, PostcodeCentroid] = {}
        with _open_text(path) as text:
            reader = csv.reader(text)
            try:
                columns = _columns(next(reader, []))
                for row, cells in enumerate(reader, start=2):
                    if not any(c.strip() for c in cells):
                        continue
                    result.rows += 1
                    centroid = _centroid(cells, columns, row, result,
                                         skip_terminated=skip_terminated, now=now)  # fmt: skip
                    if centroid is None or result.problem_count:
                        continue  # after a problem, read on for the report but write no more
                    batch[centroid.postcode] = centroid  # a postcode twice: the later row wins
                    if len(batch) >= batch_size:
                        _write(batch, result)
            except (csv.Error, UnicodeDecodeError) as error:
                raise PostcodeFileError(
                    f"row {reader.line_num}: cannot be read ({error})"
                ) from None
        if batch and not result.problem_count:
            _write(batch, result)
        if result.problem_count:
            result.loaded = 0
            transaction.set_rollback(True)
            return result
        result.new = PostcodeCentroid.objects.count() - before
        audit_record(actor=None, action=AuditAction.IMPORT, event="areas.postcodes_imported",
                     actor_username=actor_username, changes={"file": result.source, **result.json_summary()})  # fmt: skip
        if dry_run:
            transaction.set_rollback(True)
    result.written = not dry_run
    result.seconds = time.perf_counter() - started
    return result
