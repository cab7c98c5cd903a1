"""Read CSV and XLSX files into a :class:`Sheet`: a header row and numbered data rows.

Nothing here interprets values: CSV cells stay strings, XLSX cells keep their native types
(``datetime``, ``int``, ``float``, ``bool``, ``str``). Interpretation is in
:mod:`provide.core.tabular.values` and :mod:`provide.core.tabular.records`.

Encodings: CSV must be UTF-8, with or without a byte-order mark. Anything else (a Windows
"CSV" saved as cp1252, UTF-16 "Unicode text") is rejected with the row and byte position of
the first offending byte, and the advice to save the file as "CSV UTF-8". No guessing: a
mis-decoded name or reference is worse than a refusal.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from provide.core.tabular.problems import TabularError

Cell = str | int | float | bool | datetime | date | time | None
"""A raw cell value, as read from the file."""

_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_ADVICE = 'save it as "CSV UTF-8" (Excel: File > Save As > CSV UTF-8)'


@dataclass(frozen=True)
class Sheet:
    """A table read from a file.

    Attributes
    ----------
    headers : tuple of str
        The header cells as written (trimmed), in file order.
    rows : tuple of (int, tuple of Cell)
        Data rows, each with its spreadsheet row number (header row = 1). Completely blank
        rows are left out; the numbering still counts them.
    source : str
        File name for messages.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    source: str


def _is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _make_sheet(raw_rows: list[tuple[int, list[Cell]]], source: str) -> Sheet:
    """Find the header (first non-blank row) and trim trailing blank columns."""
    rows = [(n, cells) for n, cells in raw_rows if not all(_is_blank(c) for c in cells)]
    if not rows:
        raise TabularError([f"{source}: the file is empty (no header row)"])
    header_number, header_cells = rows[0]
    headers = ["" if c is None else str(c).replace("\ufeff", "").strip() for c in header_cells]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    data: list[tuple[int, tuple[Cell, ...]]] = []
    for number, cells in rows[1:]:
        padded = list(cells[:width]) + [None] * (width - len(cells))
        overflow = [c for c in cells[width:] if not _is_blank(c)]
        if overflow:
            raise TabularError(
                [f"{source}: row {number} has {len(headers) + len(overflow)} or more cells "
                 f"but the header (row {header_number}) has only {width}"]
            )
        data.append((number, tuple(padded)))
    blank = [i + 1 for i, h in enumerate(headers) if not h]
    if blank:
        raise TabularError(
            [f"{source}: row {header_number}, column {i}: header cell is blank" for i in blank]
        )
    return Sheet(headers=tuple(headers), rows=tuple(data), source=source)


def _decode_utf8(raw: bytes, source: str) -> str:
    if raw.startswith(_UTF16_BOMS):
        raise TabularError([f"{source}: the file is UTF-16 text, not UTF-8; {_UTF8_ADVICE}"])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        prefix = raw[: error.start].decode("utf-8-sig", errors="replace")
        # Count CSV records (not physical lines) up to the bad byte, as a spreadsheet would.
        records = sum(1 for _ in csv.reader(io.StringIO(prefix)))
        row = records if prefix and not prefix.endswith(("\n", "\r")) else records + 1
        bad = raw[error.start : error.start + 1].hex().upper()
        raise TabularError(
            [f"{source}: row {max(row, 1)}: byte 0x{bad} at byte offset {error.start} is not "
             f"valid UTF-8 (the file looks like Windows-1252/Latin-1); {_UTF8_ADVICE}"]
        ) from None


def _sniff_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def read_csv(source: str | Path | bytes, *, name: str | None = None) -> Sheet:
    """Read a CSV file (UTF-8, with or without BOM) into a :class:`Sheet`.

    Parameters
    ----------
    source : str, Path or bytes
        A path, or the file's bytes.
    name : str, optional
        Name used in messages (default: the path, or ``"<csv>"``).

    Returns
    -------
    Sheet
        All cells as ``str``. The delimiter is the most frequent of ``,``, tab and ``;`` in
        the header line (comma when none occurs).

    Raises
    ------
    TabularError
        If the file cannot be read, is not UTF-8 (message gives the row and byte offset),
        is an XLSX workbook, or is not well-formed CSV.

    Examples
    --------
    >>> sheet = read_csv(b"\\xef\\xbb\\xbftracker_id,bcu\\r\\nT1,West\\r\\n")
    >>> sheet.headers, sheet.rows
    (('tracker_id', 'bcu'), ((2, ('T1', 'West')),))
    """
    if isinstance(source, bytes):
        raw, label = source, name or "<csv>"
    else:
        label = name or str(source)
        try:
            raw = Path(source).read_bytes()
        except OSError as error:
            raise TabularError([f"{label}: cannot read file ({error.strerror})"]) from None
    if raw.startswith(_ZIP_MAGIC):
        raise TabularError([f"{label}: this is an XLSX workbook, not CSV text"])
    text = _decode_utf8(raw, label)
    if "\x00" in text:
        raise TabularError([f"{label}: the file contains NUL bytes; it is not CSV text"])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    raw_rows: list[tuple[int, list[Cell]]] = []
    try:
        for number, row in enumerate(reader, start=1):
            raw_rows.append((number, list(row)))
    except csv.Error as error:
        raise TabularError([f"{label}: row {len(raw_rows) + 1}: not well-formed CSV ({error})"]) from None
    return _make_sheet(raw_rows, label)


def read_xlsx(source: str | Path | bytes, *, sheet: str | None = None, name: str | None = None) -> Sheet:
    """Read one worksheet of an XLSX workbook into a :class:`Sheet`.

    Parameters
    ----------
    source : str, Path or bytes
        A path, or the workbook's bytes.
    sheet : str, optional
        Worksheet name (default: the first sheet).
    name : str, optional
        Name used in messages.

    Returns
    -------
    Sheet
        Cells keep their native types; formulas give their cached values. Date cells come
        back as naive ``datetime`` (Excel has no time zones: read as Europe/London local).

    Raises
    ------
    TabularError
        If the file is not a readable workbook or the named sheet does not exist.
    """
    from openpyxl import load_workbook  # openpyxl is slow to import; only XLSX users pay.

    if isinstance(source, bytes):
        label, raw = name or "<xlsx>", source
    else:
        label = name or str(source)
        try:
            raw = Path(source).read_bytes()
        except OSError as error:
            raise TabularError([f"{label}: cannot read file ({error.strerror})"]) from None
    # A file object, not a name: openpyxl refuses names not ending in .xlsx, and read_table
    # decides by content.
    handle = io.BytesIO(raw)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TabularError([f"{label}: not a readable XLSX workbook ({error})"]) from None
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            names = ", ".join(repr(s) for s in workbook.sheetnames)
            raise TabularError([f"{label}: no sheet named {sheet!r} (sheets: {names})"])
        reset = getattr(worksheet, "reset_dimensions", None)
        if reset is not None:
            reset()  # Some writers store a wrong dimension; read every row that is there.
        raw_rows: list[tuple[int, list[Cell]]] = [
            (number, list(values))
            for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1)
        ]
    finally:
        workbook.close()
    return _make_sheet(raw_rows, label)


def read_table(path: str | Path, *, sheet: str | None = None) -> Sheet:
    """Read a CSV or XLSX file, choosing by content (XLSX is a ZIP archive), not by name.

    Parameters
    ----------
    path : str or Path
        The file.
    sheet : str, optional
        Worksheet name for XLSX. Giving one for a CSV file is an error: the user expected
        a workbook.

    Returns
    -------
    Sheet

    Raises
    ------
    TabularError
        See :func:`read_csv` and :func:`read_xlsx`.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as error:
        raise TabularError([f"{path}: cannot read file ({error.strerror})"]) from None
    if magic == _ZIP_MAGIC:
        return read_xlsx(path, sheet=sheet)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        raise TabularError([f"{path}: named .xlsx but is not an XLSX workbook"])
    if sheet is not None:
        raise TabularError([f"{path}: a sheet name was given but this is a CSV file"])
    return read_csv(path)
