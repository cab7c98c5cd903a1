"""Turn a table (a :class:`~provide.core.tabular.reading.Sheet` or a streamed
:class:`~provide.core.tabular.reading.TableFile`) into typed records by a column schema.

A schema is a sequence of :class:`ColumnSpec`. :func:`read_records` matches the file's
headers to the schema (after :func:`~provide.core.tabular.headers.normalise_header` and an
optional user mapping), parses every cell, and collects *all* problems rather than stopping
at the first, so one run tells the user everything to fix. Unknown columns are kept aside
in each record's ``extras`` and listed in ``extra_columns``; they are never an error.
:class:`RowReader` does the same one row at a time, for importers that stream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from provide.core.tabular.headers import normalise_header, normalise_mapping
from provide.core.tabular.problems import CellProblem, TabularError
from provide.core.tabular.reading import Cell, Table
from provide.core.tabular.values import is_blank

SHARED_STRINGS = 4096
"""Distinct texts a :class:`RowReader` keeps to share between rows."""

Parser = Callable[[Cell], Any]
"""A value parser: raw cell -> value (``None`` when blank); raises ``ValueError(reason)``."""


@dataclass(frozen=True)
class ColumnSpec:
    """One canonical column.

    Attributes
    ----------
    name : str
        Canonical name, already in :func:`normalise_header` form (``investigation_ref``).
    parse : Parser
        Value parser from :mod:`provide.core.tabular.values`.
    required : bool
        The column must be present and every row must have a value.
    """

    name: str
    parse: Parser
    required: bool = False


class RowValues(Mapping[str, Any]):
    """A parsed row's values by canonical column: a read-only mapping over a tuple.

    An importer holds every parsed row of a file until it writes them; a tuple with one
    shared column index takes about a third of the memory of a dict per row. It compares
    equal to a dict with the same items, and ``dict(values)`` or ``{**values}`` copies it.
    """

    __slots__ = ("_index", "_values")

    def __init__(self, index: Mapping[str, int], values: Sequence[Any]) -> None:
        self._index = index
        self._values = tuple(values)

    def __getitem__(self, key: str) -> Any:
        return self._values[self._index[key]]

    def get(self, key: str, default: Any = None) -> Any:
        position = self._index.get(key)
        return default if position is None else self._values[position]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return repr(dict(self))


@dataclass(frozen=True, slots=True)
class Record:
    """One parsed row: ``values`` has every schema column (absent ones are ``None``)."""

    row: int
    values: Mapping[str, Any]
    extras: dict[str, Cell] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadResult:
    """Outcome of :func:`read_records`.

    Attributes
    ----------
    records : list of Record
        Rows that parsed without a problem.
    problems : list of CellProblem
        One per unreadable value (a row with problems is not in ``records``).
    extra_columns : list of str
        File headers that match no schema column (kept in each record's ``extras``).
    absent_columns : list of str
        Optional schema columns the file does not have.
    source : str
    """

    records: list[Record]
    problems: list[CellProblem]
    extra_columns: list[str]
    absent_columns: list[str]
    source: str

    @property
    def rejected_rows(self) -> list[int]:
        """Row numbers with at least one problem, in order."""
        return sorted({p.row for p in self.problems if p.row is not None})


def resolve_columns(
    headers: Sequence[str],
    columns: Sequence[ColumnSpec],
    *,
    mapping: Mapping[str, str] | None = None,
    source: str = "",
) -> tuple[dict[str, int], dict[str, int]]:
    """Match file headers to schema columns.

    Parameters
    ----------
    headers : sequence of str
        The file's header cells.
    columns : sequence of ColumnSpec
    mapping : mapping, optional
        File header -> canonical column. Entries naming headers the file does not have are
        ignored (one mapping file may serve several extracts).
    source : str
        File name for messages.

    Returns
    -------
    (dict, dict)
        Canonical name -> column index, and extra header -> column index.

    Raises
    ------
    TabularError
        Two headers resolving to the same column, or a required column missing.
    """
    known = {c.name for c in columns}
    table = normalise_mapping(mapping or {})
    found: dict[str, int] = {}
    extras: dict[str, int] = {}
    problems: list[str] = []
    for index, header in enumerate(headers):
        key = normalise_header(header)
        target = table.get(key, key)
        if target not in known:
            extras[header] = index
            continue
        if target in found:
            first = headers[found[target]]
            problems.append(
                f"{source}: columns {first!r} and {header!r} are both read as {target!r}"
            )
            continue
        found[target] = index
    for column in columns:
        if column.required and column.name not in found:
            problems.append(f"{source}: required column {column.name!r} is missing")
    if problems:
        raise TabularError(problems)
    return found, extras


class RowReader:
    """Parse rows one at a time by a schema: :func:`read_records` for a streamed table.

    Parameters
    ----------
    headers : sequence of str
        The file's header cells.
    columns : sequence of ColumnSpec
        The schema.
    mapping : mapping, optional
        File header -> canonical column (see :mod:`provide.core.tabular.headers`).
    source : str
        File name for messages.

    Attributes
    ----------
    found : dict of str to int
        Canonical column -> column index, for the columns the file has.
    extra_columns : list of str
        File headers that match no schema column.
    absent_columns : list of str
        Optional schema columns the file does not have.

    Raises
    ------
    TabularError
        File-level problems only: see :func:`resolve_columns`.
    """

    def __init__(self, headers: Sequence[str], columns: Sequence[ColumnSpec], *,
                 mapping: Mapping[str, str] | None = None, source: str = "") -> None:  # fmt: skip
        self.headers = tuple(headers)
        self.found, self._extra_index = resolve_columns(
            headers, columns, mapping=mapping, source=source
        )
        self._plan = [(spec, self.found.get(spec.name)) for spec in columns]
        self._index = {spec.name: position for position, spec in enumerate(columns)}
        self._strings: dict[str, str] = {}
        self.extra_columns = list(self._extra_index)
        self.absent_columns = [spec.name for spec, index in self._plan if index is None]

    def header_of(self, column: str) -> str | None:
        """The file's header for a canonical column (None when the file lacks it)."""
        index = self.found.get(column)
        return None if index is None else self.headers[index]

    def _shared(self, text: str) -> str:
        """One string object for text seen before: a BCU, district or offence repeated on every
        row is then held once (the first :data:`SHARED_STRINGS` distinct texts are kept)."""
        shared = self._strings.get(text)
        if shared is not None:
            return shared
        if len(self._strings) < SHARED_STRINGS:
            self._strings[text] = text
        return text

    def read(self, number: int, cells: Sequence[Cell]) -> tuple[Record | None, list[CellProblem]]:
        """Parse one row: its record (None when any value is unreadable) and its problems."""
        values: list[Any] = []
        problems: list[CellProblem] = []
        for spec, index in self._plan:
            if index is None:
                values.append(None)
                continue
            raw = cells[index]
            if spec.required and is_blank(raw):
                problems.append(CellProblem(number, self.headers[index], "required value is blank"))
                continue
            try:
                value = spec.parse(raw)
            except ValueError as error:
                problems.append(CellProblem(number, self.headers[index], str(error)))
                continue
            values.append(self._shared(value) if type(value) is str else value)
        if problems:
            return None, problems
        extras = {h: cells[i] for h, i in self._extra_index.items() if not is_blank(cells[i])}
        return Record(row=number, values=RowValues(self._index, values), extras=extras), problems


def read_records(
    sheet: Table,
    columns: Sequence[ColumnSpec],
    *,
    mapping: Mapping[str, str] | None = None,
) -> ReadResult:
    """Parse every row of ``sheet`` by the schema ``columns``.

    Parameters
    ----------
    sheet : Sheet or TableFile
        From :func:`~provide.core.tabular.reading.read_table` or
        :func:`~provide.core.tabular.reading.open_table`.
    columns : sequence of ColumnSpec
        The schema.
    mapping : mapping, optional
        File header -> canonical column (see :mod:`provide.core.tabular.headers`).

    Returns
    -------
    ReadResult
        Good rows as records; every bad value as a problem ``row N, column C: reason``
        where ``C`` is the header as written in the file. Callers decide whether problems
        reject the file (the default everywhere) or only their rows (``--partial``).

    Raises
    ------
    TabularError
        File-level problems only: see :func:`resolve_columns` (and, for a streamed table,
        a row that cannot be read at all).

    Examples
    --------
    >>> from provide.core.tabular.reading import read_csv
    >>> from provide.core.tabular.values import parse_bool, parse_text
    >>> sheet = read_csv(b"Tracker ID,Accepted?,Notes\\nT1,yes.,x\\nT2,maybe,\\n")
    >>> result = read_records(sheet, [ColumnSpec("tracker_id", parse_text, True),
    ...                               ColumnSpec("accepted", parse_bool)],
    ...                       mapping={"Accepted?": "accepted"})
    >>> [r.values for r in result.records], [str(p) for p in result.problems]
    ([{'tracker_id': 'T1', 'accepted': True}], ["row 3, column Accepted?: 'maybe' is not yes/no (expected Y/N, Yes/No, TRUE/FALSE, 1/0)"])
    >>> result.extra_columns
    ['Notes']
    """
    reader = RowReader(sheet.headers, columns, mapping=mapping, source=sheet.source)
    records: list[Record] = []
    problems: list[CellProblem] = []
    for number, cells in sheet.rows:
        record, row_problems = reader.read(number, cells)
        if record is not None:
            records.append(record)
        problems.extend(row_problems)
    return ReadResult(
        records=records,
        problems=problems,
        extra_columns=reader.extra_columns,
        absent_columns=reader.absent_columns,
        source=sheet.source,
    )
