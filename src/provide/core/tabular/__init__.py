"""Spreadsheet reading shared by every importer: CSV/XLSX in, typed records and problems out.

Pure Python (standard library + openpyxl), no Django. The pieces, in the order an importer
uses them:

1. :func:`read_table` (or :func:`read_csv` / :func:`read_xlsx`) -> :class:`Sheet`, or
   :func:`open_table` -> :class:`TableFile` to stream a large file row by row;
2. :func:`load_mapping` for a user's column mapping file (optional);
3. :func:`read_records` with a schema of :class:`ColumnSpec` -> :class:`ReadResult`
   (records, one :class:`CellProblem` per unreadable value, extra columns kept aside), or
   :class:`RowReader` to parse streamed rows one at a time;
4. writers pass every text cell through :func:`safe_cell`.

The value parsers (:func:`parse_bool`, :func:`parse_datetime`, ...) implement every
tolerance of FORMATS.md and can be used alone.
"""

from provide.core.tabular.export import safe_cell, safe_row
from provide.core.tabular.headers import load_mapping, normalise_header, normalise_mapping
from provide.core.tabular.problems import CellProblem, TabularError
from provide.core.tabular.reading import (
    DEFAULT_MAX_UNPACKED_BYTES,
    Cell,
    Sheet,
    Table,
    TableFile,
    open_table,
    read_csv,
    read_table,
    read_xlsx,
)
from provide.core.tabular.records import (
    ColumnSpec,
    Parser,
    ReadResult,
    Record,
    RowReader,
    RowValues,
    read_records,
    resolve_columns,
)
from provide.core.tabular.values import (
    LONDON,
    choice_parser,
    is_blank,
    london_to_utc,
    normalise_token,
    parse_bool,
    parse_count,
    parse_date,
    parse_datetime,
    parse_float,
    parse_int,
    parse_list,
    parse_text,
)

__all__ = [
    "DEFAULT_MAX_UNPACKED_BYTES",
    "LONDON",
    "Cell",
    "CellProblem",
    "ColumnSpec",
    "Parser",
    "ReadResult",
    "Record",
    "RowReader",
    "RowValues",
    "Sheet",
    "Table",
    "TableFile",
    "TabularError",
    "choice_parser",
    "is_blank",
    "load_mapping",
    "london_to_utc",
    "normalise_header",
    "normalise_mapping",
    "normalise_token",
    "open_table",
    "parse_bool",
    "parse_count",
    "parse_date",
    "parse_datetime",
    "parse_float",
    "parse_int",
    "parse_list",
    "parse_text",
    "read_csv",
    "read_records",
    "read_table",
    "read_xlsx",
    "resolve_columns",
    "safe_cell",
    "safe_row",
]
