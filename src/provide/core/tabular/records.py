"""Turn a :class:`~provide.core.tabular.reading.Sheet` into typed records by a column schema.

A schema is a sequence of :class:`ColumnSpec`. :func:`read_records` matches the file's
headers to the schema (after :func:`~provide.core.tabular.headers.normalise_header` and an
optional user mapping), parses every cell, and collects *all* problems rather than stopping
at the first, so one run tells the user everything to fix. Unknown columns are kept aside
in each record's ``extras`` and listed in ``extra_columns``; they are never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from provide.core.tabular.headers import normalise_header, normalise_mapping
from provide.core.tabular.problems import CellProblem, TabularError
from provide.core.tabular.reading import Cell, Sheet
from provide.core.tabular.values import is_blank

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


@dataclass(frozen=True)
class Record:
    """One parsed row: ``values`` has every schema column (absent ones are ``None``)."""

    row: int
    values: dict[str, Any]
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
            problems.append(f"{source}: columns {first!r} and {header!r} are both read as {target!r}")
            continue
        found[target] = index
    for column in columns:
        if column.required and column.name not in found:
            problems.append(f"{source}: required column {column.name!r} is missing")
    if problems:
        raise TabularError(problems)
    return found, extras


def read_records(
    sheet: Sheet,
    columns: Sequence[ColumnSpec],
    *,
    mapping: Mapping[str, str] | None = None,
) -> ReadResult:
    """Parse every row of ``sheet`` by the schema ``columns``.

    Parameters
    ----------
    sheet : Sheet
        From :func:`~provide.core.tabular.reading.read_table`.
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
        File-level problems only: see :func:`resolve_columns`.

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
    found, extra_index = resolve_columns(sheet.headers, columns, mapping=mapping, source=sheet.source)
    plan = [(spec, found.get(spec.name)) for spec in columns]
    records: list[Record] = []
    problems: list[CellProblem] = []
    for number, cells in sheet.rows:
        values: dict[str, Any] = {}
        row_ok = True
        for spec, index in plan:
            if index is None:
                values[spec.name] = None
                continue
            raw = cells[index]
            header = sheet.headers[index]
            if spec.required and is_blank(raw):
                problems.append(CellProblem(number, header, "required value is blank"))
                row_ok = False
                continue
            try:
                values[spec.name] = spec.parse(raw)
            except ValueError as error:
                problems.append(CellProblem(number, header, str(error)))
                row_ok = False
        if row_ok:
            extras = {h: cells[i] for h, i in extra_index.items() if not is_blank(cells[i])}
            records.append(Record(row=number, values=values, extras=extras))
    absent = [spec.name for spec, index in plan if index is None]
    return ReadResult(
        records=records,
        problems=problems,
        extra_columns=list(extra_index),
        absent_columns=absent,
        source=sheet.source,
    )
