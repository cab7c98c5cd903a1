"""The two evaluation inputs, as column schemas and as typed pandas tables.

* :data:`TRACKER_COLUMNS` — FORMATS.md table B (IDVA tracker, one row per attendance);
* :data:`INVESTIGATION_COLUMNS` — FORMATS.md table A (police DA investigation extract).

The schemas feed :func:`provide.core.tabular.read_records`. :func:`tracker_frame` and
:func:`investigation_frame` turn records, plain dict rows (e.g. from the Django ORM's
``.values()``) or an existing DataFrame into the typed tables every measure works on:

===========================  ======================================================
kind of column               dtype in the frame
===========================  ======================================================
identifiers, codes, text     ``object`` (``str`` or ``None``)
``*_at`` date-times          ``datetime64[ns, UTC]`` (naive input = Europe/London)
booleans                     pandas nullable ``boolean`` (``<NA>`` = unknown)
lists                        ``object`` holding ``tuple[str, ...]``
counts                       pandas nullable ``Int64``
===========================  ======================================================

Columns missing from the input are added as all-unknown. A ``row`` column (the source
spreadsheet row, or the position when the input had none) is kept for messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from provide.core.tabular import (
    Cell,
    ColumnSpec,
    Record,
    choice_parser,
    parse_bool,
    parse_count,
    parse_date,
    parse_datetime,
    parse_float,
    parse_list,
    parse_text,
)
from provide.core.tabular.values import LONDON

_OUTCOME_CODES = frozenset({str(n) for n in range(1, 23)} | {"1A"})


def parse_outcome_code(value: Cell) -> str | None:
    """Parse a Home Office outcome type: ``1``-``22`` or ``1A``; ``None`` while open (blank).

    Tolerates ``"01"``, ``"1a"``, ``16.0`` (XLSX numbers) and a leading ``"Outcome"``.

    Examples
    --------
    >>> parse_outcome_code("outcome 16"), parse_outcome_code(8.0), parse_outcome_code(" 1a ")
    ('16', '8', '1A')
    """
    text = parse_text(value)
    if text is None:
        return None
    code = text.upper().removeprefix("OUTCOME").strip().lstrip("0")
    if code not in _OUTCOME_CODES:
        raise ValueError(f"{text!r} is not a Home Office outcome type (1-22 or 1A)")
    return code


parse_mode = choice_parser(
    ("live", "post-incident", "consultation"),
    aliases={
        "post_incident": "post-incident",
        "postincident": "post-incident",
        "post": "post-incident",
    },
    label="mode",
)
parse_risk_grade = choice_parser(
    ("high", "medium", "standard"),
    aliases={"med": "medium", "std": "standard", "low": "standard"},
    label="risk grade",
)
parse_crime_or_incident = choice_parser(
    ("crime", "non-crime"),
    aliases={"non_crime": "non-crime", "noncrime": "non-crime", "incident": "non-crime"},
    label="crime/non-crime flag",
)
parse_risk_tool = choice_parser(
    ("DARA", "DASH", "RIC"), aliases={"dash_ric": "DASH"}, label="risk tool"
)


def _parse_list(value: Cell) -> tuple[str, ...]:
    return parse_list(value)


TRACKER_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("tracker_id", parse_text, required=True),
    ColumnSpec("investigation_ref", parse_text),
    ColumnSpec("victim_id", parse_text),
    ColumnSpec("bcu", parse_text),
    ColumnSpec("mode", parse_mode),
    ColumnSpec("police_visit_at", parse_datetime),
    ColumnSpec("idva_visit_at", parse_datetime),
    ColumnSpec("idva_support_offered", parse_bool),
    ColumnSpec("idva_support_accepted", parse_bool),
    ColumnSpec("prosecution_support_offered", parse_bool),
    ColumnSpec("prosecution_support_accepted", parse_bool),
    ColumnSpec("engaged_investigation", parse_bool),
    ColumnSpec("engaged_safeguarding", parse_bool),
    ColumnSpec("previously_engaged_investigation", parse_bool),
    ColumnSpec("previously_engaged_safeguarding", parse_bool),
    ColumnSpec("services", _parse_list),
    ColumnSpec("referrals", _parse_list),
    ColumnSpec("idva", parse_text),
)
"""FORMATS.md table B. Only ``tracker_id`` is required."""

INVESTIGATION_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("investigation_ref", parse_text, required=True),
    ColumnSpec("incident_ref", parse_text),
    ColumnSpec("recorded_at", parse_datetime, required=True),
    ColumnSpec("first_police_visit_at", parse_datetime),
    ColumnSpec("bcu", parse_text, required=True),
    ColumnSpec("district", parse_text),
    ColumnSpec("crime_or_incident", parse_crime_or_incident),
    ColumnSpec("offence", parse_text),
    ColumnSpec("abuse_types", _parse_list),
    ColumnSpec("relationship", parse_text),
    ColumnSpec("victim_id", parse_text, required=True),
    ColumnSpec("victim_name", parse_text),
    ColumnSpec("victim_dob", parse_date),
    ColumnSpec("victim_sex", parse_text),
    ColumnSpec("victim_postcode", parse_text),
    ColumnSpec("victim_lat", parse_float),
    ColumnSpec("victim_lon", parse_float),
    ColumnSpec("suspect_id", parse_text),
    ColumnSpec("suspect_name", parse_text),
    ColumnSpec("suspect_dob", parse_date),
    ColumnSpec("risk_tool", parse_risk_tool),
    ColumnSpec("risk_grade", parse_risk_grade),
    ColumnSpec("dash_yes_count", parse_count),
    ColumnSpec("children_in_household", parse_count),
    ColumnSpec("victim_pregnant", parse_bool),
    ColumnSpec("vulnerabilities", _parse_list),
    ColumnSpec("suspect_in_custody", parse_bool),
    ColumnSpec("expected_release_at", parse_datetime),
    ColumnSpec("outcome_code", parse_outcome_code),
    ColumnSpec("outcome_date", parse_date),
)
"""FORMATS.md table A. Required: ``investigation_ref``, ``recorded_at``, ``bcu``, ``victim_id``."""

TRACKER_TEXT = ("tracker_id", "investigation_ref", "victim_id", "bcu", "mode", "idva")
TRACKER_TIMES = ("police_visit_at", "idva_visit_at")
TRACKER_BOOLS = (
    "idva_support_offered",
    "idva_support_accepted",
    "prosecution_support_offered",
    "prosecution_support_accepted",
    "engaged_investigation",
    "engaged_safeguarding",
    "previously_engaged_investigation",
    "previously_engaged_safeguarding",
)
TRACKER_LISTS = ("services", "referrals")

INVESTIGATION_TEXT = (
    "investigation_ref",
    "bcu",
    "district",
    "crime_or_incident",
    "relationship",
    "victim_id",
    "suspect_id",
    "risk_tool",
    "risk_grade",
    "outcome_code",
)
INVESTIGATION_TIMES = ("recorded_at", "first_police_visit_at")
INVESTIGATION_BOOLS = ("victim_pregnant", "suspect_in_custody")
INVESTIGATION_LISTS = ("abuse_types", "vulnerabilities")
INVESTIGATION_COUNTS = ("dash_yes_count", "children_in_household")

TableInput: TypeAlias = "pd.DataFrame | Iterable[Mapping[str, Any]] | Iterable[Record]"
"""What :func:`tracker_frame` and :func:`investigation_frame` accept."""


def _to_frame(data: TableInput) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        frame = data.copy()
        if "row" not in frame.columns:
            frame["row"] = np.arange(1, len(frame) + 1)
        return frame.reset_index(drop=True)
    rows: list[Mapping[str, Any]] = []
    item: Mapping[str, Any] | Record
    for position, item in enumerate(data, start=1):
        if isinstance(item, Record):
            rows.append({**item.values, "row": item.row})
        else:
            rows.append({"row": position, **item})
    return pd.DataFrame.from_records(rows) if rows else pd.DataFrame({"row": []})


def _as_utc(column: pd.Series) -> pd.Series:
    """Coerce a column to ``datetime64[ns, UTC]``; naive values are Europe/London."""
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return column.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
    if pd.api.types.is_datetime64_dtype(column.dtype):
        # Same clock-change rule as provide.core.tabular.values.london_to_utc (fold=0):
        # ambiguous -> first occurrence (BST); non-existent -> pre-change offset (GMT).
        localised = column.dt.tz_localize(
            LONDON, ambiguous=np.ones(len(column), dtype=bool), nonexistent=timedelta(hours=1)
        )
        return localised.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
    values: list[datetime | None] = []
    for item in column.tolist():
        if item is None or (isinstance(item, float) and np.isnan(item)) or item is pd.NaT:
            values.append(None)
        elif isinstance(item, datetime | date | str | int | float):
            values.append(parse_datetime(item))
        else:
            raise ValueError(f"{item!r} is not a date-time")
    return pd.Series(pd.to_datetime(values, utc=True), index=column.index).astype(
        "datetime64[ns, UTC]"
    )


def _as_bool(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.BooleanDtype):
        return column
    if column.dtype == bool:
        return column.astype("boolean")
    parsed = [None if item is pd.NA else parse_bool(item) for item in column.tolist()]
    return pd.Series(pd.array(parsed, dtype="boolean"), index=column.index)


def _as_text(column: pd.Series) -> pd.Series:
    typed_strings = pd.api.types.is_string_dtype(column.dtype) and column.dtype != object
    if typed_strings or (
        column.dtype == object
        and pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty")
    ):
        # Typed string column (pandas "str"), or only str/None: vectorised trim, blanks to None.
        stripped = column.str.strip() if len(column) else column
        return stripped.astype(object).where(stripped.notna() & (stripped != ""), None)
    values = column.tolist()
    out: list[str | None] = []
    for item in values:
        if item is None or item is pd.NA or (isinstance(item, float) and np.isnan(item)):
            out.append(None)
        else:
            out.append(parse_text(item))
    return pd.Series(out, index=column.index, dtype=object)


def _as_list(column: pd.Series) -> pd.Series:
    out = [
        tuple(item)
        if isinstance(item, list | tuple)
        else parse_list(None if item is pd.NA else item)
        for item in column.tolist()
    ]
    return pd.Series(out, index=column.index, dtype=object)


def _canonical_bcu(column: pd.Series) -> pd.Series:
    """Spell each BCU as it is first spelled in the table, so ``WEST`` and ``West`` group together."""
    present = column.dropna()
    if present.empty:
        return column
    keys = present.str.strip().str.casefold()
    first = pd.Series(present.str.strip().to_numpy(), index=keys.to_numpy())
    first = first[~first.index.duplicated(keep="first")]
    mapped = keys.map(first)
    return pd.Series(mapped, index=present.index, dtype=object).reindex(column.index)


def _typed(
    data: TableInput,
    *,
    text: Sequence[str],
    times: Sequence[str],
    bools: Sequence[str],
    lists: Sequence[str],
    counts: Sequence[str] = (),
    extra: Sequence[str] = (),
) -> pd.DataFrame:
    frame = _to_frame(data)
    n = len(frame)
    for name in (*text, *extra):
        frame[name] = (
            _as_text(frame[name]) if name in frame else pd.Series([None] * n, dtype=object)
        )
    for name in times:
        frame[name] = (
            _as_utc(frame[name])
            if name in frame
            else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]")
        )
    for name in bools:
        frame[name] = (
            _as_bool(frame[name])
            if name in frame
            else pd.Series(pd.array([None] * n, dtype="boolean"))
        )
    for name in lists:
        frame[name] = _as_list(frame[name]) if name in frame else pd.Series([()] * n, dtype=object)
    for name in counts:
        frame[name] = (
            pd.to_numeric(frame[name]).astype("Int64")
            if name in frame
            else pd.Series(pd.array([None] * n, dtype="Int64"))
        )
    if "bcu" in frame:
        frame["bcu"] = _canonical_bcu(frame["bcu"])
    return frame


def tracker_frame(data: TableInput) -> pd.DataFrame:
    """Build the typed tracker table (FORMATS.md table B).

    Parameters
    ----------
    data : DataFrame, iterable of mappings, or iterable of Record
        Tracker rows. Values may be raw spreadsheet cells (parsed with the FORMATS.md
        tolerances) or already-typed Python values (aware datetimes, bools).

    Returns
    -------
    DataFrame
        Every column of :data:`TRACKER_COLUMNS` plus ``row``, typed as described in the
        module docstring.

    Raises
    ------
    ValueError
        A value that cannot be read (tabular importers report these per cell first).
    """
    return _typed(
        data, text=TRACKER_TEXT, times=TRACKER_TIMES, bools=TRACKER_BOOLS, lists=TRACKER_LISTS
    )


def investigation_frame(data: TableInput) -> pd.DataFrame:
    """Build the typed investigations table (FORMATS.md table A).

    Parameters
    ----------
    data : DataFrame, iterable of mappings, or iterable of Record
        Investigation rows (see :func:`tracker_frame`). ``outcome_code`` values are
        normalised to ``"1"``-``"22"`` / ``"1A"``.

    Returns
    -------
    DataFrame
        The columns the measures use (identifiers, ``recorded_at``, ``bcu``, ``risk_grade``,
        ``abuse_types``, ``outcome_code``, ...) plus ``row``.
    """
    frame = _to_frame(data)
    if "outcome_code" in frame and frame["outcome_code"].dtype != object:
        frame["outcome_code"] = frame["outcome_code"].astype(object)
    if "outcome_code" in frame:
        codes = frame["outcome_code"]
        # Fast path for large typed frames: convert each distinct code once.
        uniques = pd.unique(codes.dropna())
        table = {u: parse_outcome_code(u) for u in uniques}
        frame["outcome_code"] = codes.map(table).astype(object).where(codes.notna(), None)
    return _typed(
        frame,
        text=INVESTIGATION_TEXT,
        times=INVESTIGATION_TIMES,
        bools=INVESTIGATION_BOOLS,
        lists=INVESTIGATION_LISTS,
        counts=INVESTIGATION_COUNTS,
    )
