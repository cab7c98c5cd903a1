"""Read CSV and XLSX files into a table: a header row and numbered data rows.

Nothing here interprets values: CSV cells stay strings, XLSX cells keep their native types
(``datetime``, ``int``, ``float``, ``bool``, ``str``). Interpretation is in
:mod:`provide.core.tabular.values` and :mod:`provide.core.tabular.records`.

Two ways in:

* :func:`open_table` streams: it reads the header and returns a :class:`TableFile` whose
  ``rows`` are read from the file each time they are iterated, one row at a time, so memory
  does not grow with the file. Importers use it.
* :func:`read_table`, :func:`read_csv` and :func:`read_xlsx` read every row into a
  :class:`Sheet` (small files, tests, the evaluation command).

Encodings: CSV must be UTF-8, with or without a byte-order mark. Anything else (a Windows
"CSV" saved as cp1252, UTF-16 "Unicode text") is rejected with the row and byte position of
the first offending byte, and the advice to save the file as "CSV UTF-8". No guessing: a
mis-decoded name or reference is worse than a refusal.

CSV quoting is read strictly: a quote that is never closed (which would swallow the rest of
the file into one cell), text after a closing quote, or a cell longer than the
:mod:`csv` module's field limit (131,072 characters) is an error naming the row, never a silent short file.

Workbooks are checked before openpyxl opens them, from the ZIP archive's central directory:
macro-enabled workbooks (``.xlsm``, or any workbook holding ``vbaProject.bin``), binary
(``.xlsb``) and OpenDocument files are refused with advice, and so is a workbook that would
unpack to more than ``max_unpacked_bytes`` or whose parts are compressed more than
:data:`MAX_COMPRESSION_RATIO` times (a "zip bomb"). Python's :mod:`zipfile` stops every part
at the size the directory declares (a part that lies fails its CRC check), so the check
bounds what openpyxl can unpack. openpyxl then reads in read-only mode, row by row.

Messages name the file by the name given (default: the path as given). Importers give the
file's own name, so a message never shows where the server keeps an upload.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Protocol

from provide.core.tabular.problems import TabularError

Cell = str | int | float | bool | datetime | date | time | None
"""A raw cell value, as read from the file."""

RawRow = tuple[int, list[Cell]]
Row = tuple[int, tuple[Cell, ...]]

MAX_COMPRESSION_RATIO = 200
"""A workbook part larger than :data:`_RATIO_FLOOR` bytes unpacked may be at most this many
times its packed size. Real worksheets compress 5-20 times; zip bombs hundreds of times."""
DEFAULT_MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
"""Default limit on a workbook's unpacked size (1 GiB) when the caller gives none."""

_RATIO_FLOOR = 10 * 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_ADVICE = 'save it as "CSV UTF-8" (Excel: File > Save As > CSV UTF-8)'
_SAVE_ADVICE = "save it as an Excel Workbook (.xlsx) or as CSV UTF-8 and import that"
_MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")
_NOT_SPREADSHEETS = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (.xls) or another old Office document"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"{\\rtf", "an RTF document"),
)  # fmt: skip
_CHUNK = 1 << 20


class Table(Protocol):
    """Anything with a header and numbered rows: a :class:`Sheet` or a :class:`TableFile`."""

    @property
    def headers(self) -> tuple[str, ...]: ...

    @property
    def source(self) -> str: ...

    @property
    def rows(self) -> Iterable[Row]: ...


@dataclass(frozen=True)
class Sheet:
    """A table read from a file, every row in memory.

    Attributes
    ----------
    headers : tuple of str
        The header cells as written (trimmed), in file order.
    rows : tuple of (int, tuple of Cell)
        Data rows, each with its spreadsheet row number (header row = 1). Completely blank
        rows are left out; the numbering still counts them. Each row has exactly one cell
        per header (short rows are padded with ``None``).
    source : str
        File name for messages.
    """

    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    source: str


def _is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


Opener = Callable[[], IO[bytes]]


class TableFile:
    """A table streamed from a file (see :func:`open_table`).

    Attributes
    ----------
    headers : tuple of str
        The header cells as written (trimmed).
    header_row : int
        The header's row number (the first row that is not blank).
    source : str
        File name for messages.
    rows : iterable of (int, tuple of Cell)
        The data rows as in :class:`Sheet`, read from the file on each iteration (the first
        iteration continues the read that found the header). Iterating raises
        :class:`TabularError` at the first row that cannot be read.
    """

    def __init__(self, raw: Callable[[], Iterator[RawRow]], source: str) -> None:
        self._raw = raw
        self.source = source
        pending = raw()
        header_row, headers = _find_header(pending, source)
        self.header_row = header_row
        self.headers = headers
        self._pending: Iterator[RawRow] | None = pending

    @property
    def rows(self) -> Iterable[Row]:
        return _Rows(self)

    def iter_rows(self) -> Iterator[Row]:
        """Yield the data rows once (see the class docstring)."""
        raw, self._pending = self._pending, None
        if raw is None:
            raw = itertools.dropwhile(lambda row: row[0] <= self.header_row, self._raw())
        return _data_rows(raw, self.headers, self.header_row, self.source)

    def close(self) -> None:
        """Release the file if the rows were never read to the end."""
        pending, self._pending = self._pending, None
        close = getattr(pending, "close", None)
        if close is not None:
            close()


class _Rows:
    def __init__(self, table: TableFile) -> None:
        self._table = table

    def __iter__(self) -> Iterator[Row]:
        return self._table.iter_rows()


def _find_header(raw: Iterator[RawRow], source: str) -> tuple[int, tuple[str, ...]]:
    for number, cells in raw:
        if all(_is_blank(c) for c in cells):
            continue
        headers = ["" if c is None else str(c).replace("\ufeff", "").strip() for c in cells]
        while headers and not headers[-1]:
            headers.pop()
        if not headers:
            continue  # only byte-order marks: as blank as a blank row
        blank = [i + 1 for i, h in enumerate(headers) if not h]
        if blank:
            raise TabularError(
                [f"{source}: row {number}, column {i}: header cell is blank" for i in blank]
            )
        return number, tuple(headers)
    raise TabularError([f"{source}: the file is empty (no header row)"])


def _data_rows(
    raw: Iterator[RawRow], headers: tuple[str, ...], header_row: int, source: str
) -> Iterator[Row]:
    width = len(headers)
    for number, cells in raw:
        if len(cells) > width:
            overflow = sum(1 for c in cells[width:] if not _is_blank(c))
            if overflow:
                raise TabularError(
                    [
                        f"{source}: row {number} has {width + overflow} or more cells "
                        f"but the header (row {header_row}) has only {width}"
                    ]
                )
            cells = cells[:width]
        if all(_is_blank(c) for c in cells):
            continue
        if len(cells) < width:
            cells = cells + [None] * (width - len(cells))
        yield number, tuple(cells)


# -- what kind of file -------------------------------------------------------------------


def _label_for(source: str | Path | bytes, name: str | None, default: str) -> str:
    if name:
        return name
    return default if isinstance(source, bytes) else str(source)


def _opener(source: str | Path | bytes, label: str) -> Opener:
    if isinstance(source, bytes):
        content = source
        return lambda: io.BytesIO(content)
    path = Path(source)

    def open_file() -> IO[bytes]:
        try:
            return path.open("rb")
        except OSError as error:
            raise TabularError([f"{label}: cannot read file ({error.strerror})"]) from None

    return open_file


def _magic(opener: Opener) -> bytes:
    with opener() as handle:
        return handle.read(8)


def _refuse_non_spreadsheet(magic: bytes, label: str) -> None:
    for signature, what in _NOT_SPREADSHEETS:
        if magic.startswith(signature):
            raise TabularError(
                [f"{label}: this is {what}, not a CSV or XLSX spreadsheet; {_SAVE_ADVICE}"]
            )


# -- CSV ---------------------------------------------------------------------------------


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


class _NulByte(Exception):
    pass


def _checked_lines(first: str, rest: Iterable[str]) -> Iterator[str]:
    for line in itertools.chain((first,), rest):
        if "\x00" in line:
            raise _NulByte
        yield line


def _csv_problem(label: str, row: int, error: csv.Error) -> str:
    text = str(error)
    if "unexpected end of data" in text:
        return (
            f'{label}: row {row}: a quoted cell is never closed (a " with no closing "), so '
            f"the rest of the file would be read into it; check the quotes in that row"
        )
    if "field larger than field limit" in text:
        return (
            f"{label}: row {row}: a cell is longer than {csv.field_size_limit():,} characters; usually "
            f'a quote (") that is never closed'
        )
    if "expected after" in text:
        return (
            f"{label}: row {row}: text follows a closing quote in a cell; put the whole cell in "
            f'quotes and write each quote inside it twice ("")'
        )
    return f"{label}: row {row}: not well-formed CSV ({text})"


def _csv_raw(opener: Opener, label: str) -> Iterator[RawRow]:
    with opener() as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        number = 0
        try:
            first = text.readline()
            reader = csv.reader(
                _checked_lines(first, text), delimiter=_sniff_delimiter(first), strict=True
            )
            for number, row in enumerate(reader, start=1):
                yield number, list(row)
        except UnicodeDecodeError:
            raise _encoding_error(opener, label) from None
        except _NulByte:
            raise TabularError(
                [f"{label}: the file contains NUL bytes; it is not CSV text"]
            ) from None
        except csv.Error as error:
            raise TabularError([_csv_problem(label, number + 1, error)]) from None
        finally:
            text.detach()


def _first_bad_utf8(opener: Opener) -> tuple[int, bytes]:
    """Byte offset and value of the first byte that is not valid UTF-8 (read in chunks)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with opener() as handle:
        if handle.read(3) == _UTF8_BOM:
            offset = 3
        else:
            handle.seek(0)
        while True:
            chunk = handle.read(_CHUNK)
            buffered = decoder.getstate()[0]
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                start = offset - len(buffered) + error.start
                return start, error.object[error.start : error.start + 1]
            if not chunk:
                return offset, b""
            offset += len(chunk)


def _prefix_lines(opener: Opener, length: int) -> Iterator[str]:
    """The text of the first ``length`` bytes as lines (line ends kept), read in chunks."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    carry = ""
    with opener() as handle:
        left = length
        while left > 0:
            chunk = handle.read(min(_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            parts = (carry + decoder.decode(chunk)).splitlines(keepends=True)
            carry = parts.pop() if parts and not parts[-1].endswith("\n") else ""
            yield from parts
    tail = carry + decoder.decode(b"", final=True)
    if tail:
        yield tail


class _TrackedLines:
    """Lines passed through, remembering whether the last one ended with a line break."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.ends_line = True

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            self.ends_line = line.endswith(("\n", "\r"))
            yield line


def _encoding_error(opener: Opener, label: str) -> TabularError:
    offset, bad = _first_bad_utf8(opener)
    # Count CSV records (not physical lines) up to the bad byte, as a spreadsheet would.
    lines = _TrackedLines(_prefix_lines(opener, offset))
    records = 0
    try:
        for _ in csv.reader(lines):
            records += 1
    except csv.Error:
        pass  # the count so far is the best row number there is
    row = records + 1 if lines.ends_line else records
    return TabularError(
        [
            f"{label}: row {max(row, 1)}: byte 0x{bad.hex().upper()} at byte offset {offset} is not "
            f"valid UTF-8 (the file looks like Windows-1252/Latin-1); {_UTF8_ADVICE}"
        ]
    )


# -- XLSX --------------------------------------------------------------------------------


def _mb(size: int) -> str:
    if size < 100 * 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size / 1024 / 1024:,.1f} MB"


def _check_workbook(opener: Opener, label: str, max_unpacked_bytes: int) -> None:
    """Refuse, from the ZIP directory alone, what openpyxl should never be asked to open."""
    if label.lower().endswith(_MACRO_SUFFIXES):
        raise TabularError(
            [
                f"{label}: this is a macro-enabled workbook; Provide does not open files "
                f"that can hold macros: {_SAVE_ADVICE}"
            ]
        )
    with opener() as handle:
        try:
            archive = zipfile.ZipFile(handle)
            infos = archive.infolist()
            names = {info.filename.lower().lstrip("/") for info in infos}
            types = b""
            if "[content_types].xml" in names:
                info = next(
                    i for i in infos if i.filename.lower().lstrip("/") == "[content_types].xml"
                )
                if info.file_size > _CHUNK:
                    raise TabularError(
                        [
                            f"{label}: not a readable XLSX workbook (its content list is "
                            f"{_mb(info.file_size)})"
                        ]
                    )
                types = archive.read(info).lower()
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            OSError,
            EOFError,
            ValueError,
            NotImplementedError,
        ):
            raise TabularError(
                [
                    f"{label}: not a readable XLSX workbook (the file is damaged or is "
                    f"not a ZIP archive)"
                ]
            ) from None
    if any(name.endswith("vbaproject.bin") for name in names) or b"macroenabled" in types:
        raise TabularError(
            [
                f"{label}: this workbook contains macros (vbaProject.bin); Provide does not "
                f"open files that can hold macros: {_SAVE_ADVICE}"
            ]
        )
    if b"opendocument" in mimetype:
        raise TabularError(
            [f"{label}: this is an OpenDocument spreadsheet (.ods), not XLSX; {_SAVE_ADVICE}"]
        )
    if "xl/workbook.bin" in names:
        raise TabularError(
            [f"{label}: this is an Excel binary workbook (.xlsb), not XLSX; {_SAVE_ADVICE}"]
        )
    if b"spreadsheetml.sheet.main" not in types:
        raise TabularError(
            [
                f"{label}: this ZIP archive is not an XLSX workbook (no workbook inside); "
                f"{_SAVE_ADVICE}"
            ]
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > max_unpacked_bytes:
        raise TabularError(
            [
                f"{label}: the workbook unpacks to {_mb(unpacked)}; the limit is "
                f"{_mb(max_unpacked_bytes)}; save it as CSV UTF-8, or split it into smaller files"
            ]
        )
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise TabularError(
                [
                    f"{label}: a part of the workbook unpacks to {_mb(info.file_size)} from "
                    f"{_mb(info.compress_size)}, more than {MAX_COMPRESSION_RATIO} times; "
                    f"refused as a possible zip bomb; save it as CSV UTF-8 and import that"
                ]
            )


def _xlsx_raw(opener: Opener, label: str, sheet: str | None) -> Iterator[RawRow]:
    from openpyxl import load_workbook  # openpyxl is slow to import; only XLSX users pay.

    with opener() as handle:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
        except Exception:  # openpyxl raises many kinds of error on a damaged file
            raise TabularError(
                [
                    f"{label}: not a readable XLSX workbook (the file is damaged or "
                    f"is not an Excel workbook)"
                ]
            ) from None
        number = 0
        try:
            if sheet is None:
                worksheet = workbook.worksheets[0] if workbook.worksheets else None
                if worksheet is None:
                    raise TabularError([f"{label}: the workbook has no worksheet"])
            elif sheet in workbook.sheetnames:
                worksheet = workbook[sheet]
            else:
                names = ", ".join(repr(s) for s in workbook.sheetnames)
                raise TabularError([f"{label}: no sheet named {sheet!r} (sheets: {names})"])
            if not hasattr(worksheet, "iter_rows"):
                raise TabularError([f"{label}: sheet {worksheet.title!r} is a chart, not a table"])
            reset = getattr(worksheet, "reset_dimensions", None)
            if reset is not None:
                reset()  # Some writers store a wrong dimension; read every row that is there.
            for number, values in enumerate(
                worksheet.iter_rows(min_row=1, values_only=True), start=1
            ):
                yield number, list(values)
        except TabularError:
            raise
        except Exception:  # a damaged sheet fails part-way, with any of openpyxl's errors
            raise TabularError(
                [f"{label}: not a readable XLSX workbook: row {number + 1} of the sheet is damaged"]
            ) from None
        finally:
            workbook.close()


# -- entry points ------------------------------------------------------------------------


def _open(source: str | Path | bytes, *, kind: str | None, sheet: str | None, label: str,
          max_unpacked_bytes: int) -> TableFile:  # fmt: skip
    opener = _opener(source, label)
    magic = _magic(opener)
    if magic in (b"", _UTF8_BOM):
        raise TabularError([f"{label}: the file is empty (no header row)"])
    is_zip = magic.startswith((_ZIP_MAGIC, _EMPTY_ZIP_MAGIC))
    if kind == "csv" and is_zip:
        raise TabularError([f"{label}: this is an XLSX workbook, not CSV text"])
    if kind == "xlsx" and not is_zip:
        raise TabularError([f"{label}: not an XLSX workbook (it is not a ZIP archive)"])
    if is_zip:
        _check_workbook(opener, label, max_unpacked_bytes)
        return TableFile(lambda: _xlsx_raw(opener, label, sheet), label)
    _refuse_non_spreadsheet(magic, label)
    if magic.startswith(_UTF16_BOMS):
        raise TabularError([f"{label}: the file is UTF-16 text, not UTF-8; {_UTF8_ADVICE}"])
    if label.lower().endswith((".xlsx", *_MACRO_SUFFIXES)):
        raise TabularError(
            [f"{label}: named {Path(label).suffix.lower()} but is not an XLSX workbook"]
        )
    if sheet is not None:
        raise TabularError([f"{label}: a sheet name was given but this is a CSV file"])
    return TableFile(lambda: _csv_raw(opener, label), label)


def open_table(
    source: str | Path | bytes,
    *,
    sheet: str | None = None,
    name: str | None = None,
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES,
) -> TableFile:
    """Open a CSV or XLSX file for streaming, choosing by content (XLSX is a ZIP archive).

    Parameters
    ----------
    source : str, Path or bytes
        A path, or the file's bytes.
    sheet : str, optional
        Worksheet name for XLSX (default: the first sheet). Giving one for a CSV file is an
        error: the user expected a workbook.
    name : str, optional
        Name used in messages (default: the path as given, or ``"<file>"`` for bytes).
    max_unpacked_bytes : int
        Largest total unpacked size of a workbook, in bytes (checked before it is opened).

    Returns
    -------
    TableFile
        The header is read now; rows as they are iterated.

    Raises
    ------
    TabularError
        If the file is empty, cannot be read, is not a CSV or XLSX spreadsheet (a PDF, an
        image, an old ``.xls``, ``.xlsb`` or ``.ods``), is macro-enabled, would unpack to too
        much, is not UTF-8 text, or its header row has a blank cell. Iterating the rows
        raises it too, at the first row that cannot be read.

    Examples
    --------
    >>> table = open_table(b"tracker_id,bcu\\nT1,West\\n\\nT2,East\\n", name="t.csv")
    >>> table.headers, list(table.rows)
    (('tracker_id', 'bcu'), [(2, ('T1', 'West')), (4, ('T2', 'East'))])
    """
    label = _label_for(source, name, "<file>")
    return _open(source, kind=None, sheet=sheet, label=label, max_unpacked_bytes=max_unpacked_bytes)


def _materialise(table: TableFile) -> Sheet:
    return Sheet(headers=table.headers, rows=tuple(table.rows), source=table.source)


def read_csv(source: str | Path | bytes, *, name: str | None = None) -> Sheet:
    """Read a CSV file (UTF-8, with or without BOM) into a :class:`Sheet`.

    Parameters
    ----------
    source : str, Path or bytes
        A path, or the file's bytes.
    name : str, optional
        Name used in messages (default: the path as given, or ``"<csv>"``).

    Returns
    -------
    Sheet
        All cells as ``str``. The delimiter is the most frequent of ``,``, tab and ``;`` in
        the header line (comma when none occurs).

    Raises
    ------
    TabularError
        If the file cannot be read, is empty, is not UTF-8 (message gives the row and byte
        offset), is an XLSX workbook or another kind of file, or is not well-formed CSV.

    Examples
    --------
    >>> sheet = read_csv(b"\\xef\\xbb\\xbftracker_id,bcu\\r\\nT1,West\\r\\n")
    >>> sheet.headers, sheet.rows
    (('tracker_id', 'bcu'), ((2, ('T1', 'West')),))
    """
    label = _label_for(source, name, "<csv>")
    return _materialise(_open(source, kind="csv", sheet=None, label=label,
                              max_unpacked_bytes=DEFAULT_MAX_UNPACKED_BYTES))  # fmt: skip


def read_xlsx(
    source: str | Path | bytes,
    *,
    sheet: str | None = None,
    name: str | None = None,
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES,
) -> Sheet:
    """Read one worksheet of an XLSX workbook into a :class:`Sheet`.

    Parameters
    ----------
    source : str, Path or bytes
        A path, or the workbook's bytes.
    sheet : str, optional
        Worksheet name (default: the first sheet).
    name : str, optional
        Name used in messages.
    max_unpacked_bytes : int
        Largest total unpacked size, in bytes (see :func:`open_table`).

    Returns
    -------
    Sheet
        Cells keep their native types; formulas give their cached values. Date cells come
        back as naive ``datetime`` (Excel has no time zones: read as Europe/London local).

    Raises
    ------
    TabularError
        If the file is not a readable workbook, holds macros, would unpack to too much, or
        the named sheet does not exist.
    """
    label = _label_for(source, name, "<xlsx>")
    return _materialise(_open(source, kind="xlsx", sheet=sheet, label=label,
                              max_unpacked_bytes=max_unpacked_bytes))  # fmt: skip


def read_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    name: str | None = None,
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES,
) -> Sheet:
    """Read a CSV or XLSX file, choosing by content (XLSX is a ZIP archive), not by name.

    Parameters
    ----------
    path : str or Path
        The file.
    sheet : str, optional
        Worksheet name for XLSX. Giving one for a CSV file is an error: the user expected
        a workbook.
    name : str, optional
        Name used in messages (default: the path as given).
    max_unpacked_bytes : int
        Largest total unpacked size of a workbook, in bytes.

    Returns
    -------
    Sheet

    Raises
    ------
    TabularError
        See :func:`open_table`.
    """
    return _materialise(
        open_table(path, sheet=sheet, name=name, max_unpacked_bytes=max_unpacked_bytes)
    )
