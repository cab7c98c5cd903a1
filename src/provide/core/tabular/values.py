"""Value parsers with every tolerance of FORMATS.md.

Each parser takes one raw cell (:data:`~provide.core.tabular.reading.Cell`) and returns the
parsed value, ``None`` for a blank (blank means *unknown*, never "no"), or raises
``ValueError`` whose message is the reason shown to the user.

Dates and times
---------------
* ISO 8601: ``2022-06-01``, ``2022-06-01T14:05``, ``2022-06-01 14:05:09``, with or without a
  zone (``Z``, ``+01:00``).
* UK day-first, always: ``01/06/2022 14:05``, ``1/6/22 14:05``, ``01/06/2022``; ``-`` and
  ``.`` also accepted as separators; optional seconds and ``am``/``pm``. ``03/04/2022`` is
  3 April. Two-digit years: ``00``-``68`` are 2000-2068, ``69``-``99`` are 1969-1999 (the POSIX
  ``%y`` rule).
* XLSX native date cells (naive ``datetime``), and Excel serial numbers (1900 date system)
  for date columns formatted as "General".
* Impossible dates (``31/02/2023``) and times (``25:00``) are errors.

Time zones: a value with no zone is Europe/London wall-clock time and is converted to an
aware UTC ``datetime``. Around clock changes the rule is Python's ``fold=0``, applied
deterministically:

* an *ambiguous* time (the repeated hour when clocks go back, e.g. 01:30 on 29 Oct 2023)
  is the **first** occurrence, BST: 01:30 BST = 00:30 UTC;
* a *non-existent* time (the skipped hour when clocks go forward, e.g. 01:30 on
  26 Mar 2023) is read with the offset in force **before** the change, GMT:
  01:30 GMT = 01:30 UTC (which is 02:30 BST). A clock that had not been changed yet
  would show exactly that.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from provide.core.tabular.reading import Cell

LONDON = ZoneInfo("Europe/London")
"""The zone of every naive time in the input files."""

_TRUE = frozenset({"y", "yes", "true", "t"})
_FALSE = frozenset({"n", "no", "false", "f"})
_UNKNOWN = frozenset({"", "na", "n/a", "unknown", "notknown", "notasked", "dontknow", "dk"})
_NUMERIC_BOOL = re.compile(r"^\s*([01])(?:\.0*)?\s*$")
_NOT_WORD = re.compile(r"[^a-z0-9/]")

_UK = re.compile(
    r"""^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})
        (?:[\sT,]+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,6}))?)?
           \s*(?P<ampm>[ap]\.?m\.?)?)?$""",
    re.VERBOSE | re.IGNORECASE,
)
_YEAR_FIRST = re.compile(r"^(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?P<rest>.*)$")
_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}")
_LIST_SPLIT = re.compile(r"[;,|\n]")
_TOKEN_SEPARATORS = re.compile(r"[\s\-]+")

# Excel serial day numbers accepted for date columns: 1950-01-01 .. 2100-01-01.
_EXCEL_MIN, _EXCEL_MAX = 18264, 73051
_EXCEL_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 - Excel serials are zone-less by design


def is_blank(value: Cell) -> bool:
    """Return True for ``None``, NaN and strings that are empty after trimming."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _describe(value: Cell) -> str:
    return repr(value.strip()) if isinstance(value, str) else repr(value)


def parse_text(value: Cell) -> str | None:
    """Parse free text or an identifier.

    Returns the trimmed string, or ``None`` when blank. Whole-number floats (how XLSX stores
    a reference typed as a number) lose their ``.0``: ``123456.0`` -> ``"123456"``.

    Examples
    --------
    >>> parse_text("  West "), parse_text(42.0), parse_text("  ")
    ('West', '42', None)
    """
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


def parse_bool(value: Cell) -> bool | None:
    """Parse a yes/no cell.

    Accepts ``Y``, ``N``, ``Yes``, ``No``, ``TRUE``, ``FALSE``, ``T``, ``F``, ``1``, ``0``
    in any case with stray spaces or punctuation (``"y "``, ``"yes."``, ``"No!"``), and
    native booleans and 0/1 numbers from XLSX.

    Returns
    -------
    bool or None
        ``None`` for blank, ``N/A``, ``unknown``, ``not known``, ``not asked``: blank means
        unknown, never "no".

    Raises
    ------
    ValueError
        For anything else, e.g. ``"maybe"``.

    Examples
    --------
    >>> parse_bool("yes."), parse_bool(" N"), parse_bool(""), parse_bool(1)
    (True, False, None, True)
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value in (0, 1):
            return bool(value)
        raise ValueError(
            f"{_describe(value)} is not yes/no (expected Y/N, Yes/No, TRUE/FALSE, 1/0)"
        )
    if isinstance(value, str):
        numeric = _NUMERIC_BOOL.match(value)
        if numeric:
            return numeric.group(1) == "1"
        token = _NOT_WORD.sub("", value.lower())
        if token in _TRUE:
            return True
        if token in _FALSE:
            return False
        if token in _UNKNOWN or not token.strip("/"):
            return None
    raise ValueError(f"{_describe(value)} is not yes/no (expected Y/N, Yes/No, TRUE/FALSE, 1/0)")


def london_to_utc(naive: datetime) -> datetime:
    """Convert a Europe/London wall-clock time to an aware UTC datetime.

    Clock changes are resolved with ``fold=0``: an ambiguous time is the first occurrence
    (BST); a non-existent time is read with the pre-change offset (GMT).

    Examples
    --------
    >>> london_to_utc(datetime(2022, 6, 1, 14, 5)).isoformat()
    '2022-06-01T13:05:00+00:00'
    >>> london_to_utc(datetime(2023, 10, 29, 1, 30)).isoformat()  # ambiguous: BST
    '2023-10-29T00:30:00+00:00'
    >>> london_to_utc(datetime(2023, 3, 26, 1, 30)).isoformat()  # skipped hour: GMT
    '2023-03-26T01:30:00+00:00'
    """
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    return naive.replace(tzinfo=LONDON, fold=0).astimezone(UTC)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= 68 else 1900
    return year


def _from_uk(match: re.Match[str], raw: str) -> datetime:
    day, month, year = int(match["d"]), int(match["m"]), _year(match["y"])
    hour = int(match["H"]) if match["H"] else 0
    minute = int(match["M"]) if match["M"] else 0
    second = int(match["S"]) if match["S"] else 0
    micro = int((match["f"] or "0").ljust(6, "0"))
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"{raw!r} has an impossible time (hour {hour} with am/pm)")
        pm = match["ampm"].lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    try:
        date(year, month, day)
    except ValueError:
        raise ValueError(
            f"{raw!r} is not a real date (day first: day {day}, month {month})"
        ) from None
    try:
        return datetime(year, month, day, hour, minute, second, micro)  # noqa: DTZ001
    except ValueError:
        raise ValueError(f"{raw!r} has an impossible time of day") from None


def _excel_serial(value: float) -> datetime:
    if not _EXCEL_MIN <= value <= _EXCEL_MAX:
        raise ValueError(f"{value!r} is a number, not a date")
    return _EXCEL_EPOCH + timedelta(days=value)


def _parse_naive_or_aware(value: Cell) -> datetime | date:
    """Return a datetime (naive = London, or aware) or a bare date."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value
    if isinstance(value, bool | time):
        raise ValueError(f"{_describe(value)} is not a date")
    if isinstance(value, int | float):
        return _excel_serial(float(value))
    text = str(value).strip()
    uk = _UK.match(text)
    if uk:
        parsed = _from_uk(uk, text)
        return parsed if uk["H"] else parsed.date()
    year_first = _YEAR_FIRST.match(text)
    if year_first:  # 2022/06/01 [14:05]: unambiguous year-first with slashes or dots.
        rest = year_first["rest"]
        text = f"{year_first['y']}-{int(year_first['m']):02d}-{int(year_first['d']):02d}{rest}"
    if _ISO_START.match(text):
        iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
        try:
            if len(iso) == 10:
                return date.fromisoformat(iso)
            return datetime.fromisoformat(iso)
        except ValueError:
            try:
                date.fromisoformat(text[:10])
            except ValueError:
                raise ValueError(f"{text!r} is not a real date") from None
            raise ValueError(f"{text!r} is not a valid ISO 8601 date-time") from None
    raise ValueError(
        f"{text!r} is not a date (expected e.g. 01/06/2022 14:05, day first, or 2022-06-01T14:05)"
    )


def parse_datetime(value: Cell) -> datetime | None:
    """Parse a date-time cell into an aware UTC datetime.

    Parameters
    ----------
    value : Cell
        See the module docstring for every accepted form. A bare date is midnight local.

    Returns
    -------
    datetime or None
        Aware, ``tzinfo=UTC``; ``None`` when blank.

    Raises
    ------
    ValueError
        Unreadable or impossible dates and times.

    Examples
    --------
    >>> parse_datetime("03/04/2022 14:05").isoformat()   # 3 April, BST
    '2022-04-03T13:05:00+00:00'
    >>> parse_datetime("2022-01-10T09:00Z").isoformat()
    '2022-01-10T09:00:00+00:00'
    """
    if is_blank(value):
        return None
    parsed = _parse_naive_or_aware(value)
    if not isinstance(parsed, datetime):
        parsed = datetime(parsed.year, parsed.month, parsed.day)  # noqa: DTZ001 - local midnight
    return london_to_utc(parsed)


def parse_date(value: Cell) -> date | None:
    """Parse a date cell (time of day, if any, is dropped after conversion to London time).

    Examples
    --------
    >>> parse_date("1/6/22"), parse_date("2022-06-01")
    (datetime.date(2022, 6, 1), datetime.date(2022, 6, 1))
    """
    if is_blank(value):
        return None
    parsed = _parse_naive_or_aware(value)
    if isinstance(parsed, datetime):
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(LONDON)
        return parsed.date()
    return parsed


def parse_int(value: Cell) -> int | None:
    """Parse a whole number (``"3"``, ``" 3 "``, ``3.0``); ``None`` when blank.

    Raises
    ------
    ValueError
        For fractions and text.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(f"{value!r} is not a whole number")
    text = str(value).strip().replace(",", "")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{_describe(value)} is not a whole number") from None
    if not number.is_integer():
        raise ValueError(f"{_describe(value)} is not a whole number")
    return int(number)


def parse_count(value: Cell) -> int | None:
    """Parse a non-negative whole number (a count); ``None`` when blank."""
    number = parse_int(value)
    if number is not None and number < 0:
        raise ValueError(f"{_describe(value)} is negative; a count cannot be")
    return number


def parse_float(value: Cell) -> float | None:
    """Parse a decimal number; ``None`` when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        raise ValueError(f"{_describe(value)} is not a number") from None


def normalise_token(text: str) -> str:
    """Return the code form of a category word: lower case, spaces and ``-`` as ``_``.

    >>> normalise_token(" Coercive control")
    'coercive_control'
    """
    return _TOKEN_SEPARATORS.sub("_", text.strip().lower()).strip("_")


def parse_list(value: Cell, *, normalise: bool = True) -> tuple[str, ...]:
    """Parse a list cell separated by ``;``, ``,``, ``|`` (or line breaks).

    Parameters
    ----------
    value : Cell
    normalise : bool, default True
        Apply :func:`normalise_token` to each item.

    Returns
    -------
    tuple of str
        Items in order, blanks dropped, duplicates removed; ``()`` when blank.

    Examples
    --------
    >>> parse_list("physical; Coercive control | threats,physical")
    ('physical', 'coercive_control', 'threats')
    """
    if is_blank(value):
        return ()
    items: list[str] = []
    for part in _LIST_SPLIT.split(parse_text(value) or ""):
        item = normalise_token(part) if normalise else part.strip()
        if item and item not in items:
            items.append(item)
    return tuple(items)


def choice_parser(
    choices: Iterable[str], *, aliases: dict[str, str] | None = None, label: str = "value"
) -> Callable[[Cell], str | None]:
    """Build a parser for a closed set of codes.

    Parameters
    ----------
    choices : iterable of str
        The canonical codes, e.g. ``("high", "medium", "standard")``.
    aliases : dict, optional
        Extra spellings (already in :func:`normalise_token` form) -> canonical code.
    label : str
        Name of the kind of value, for messages.

    Returns
    -------
    callable
        ``parse(cell) -> str | None``; matching is by :func:`normalise_token`, so
        ``"Post Incident"`` matches ``post-incident``.

    Examples
    --------
    >>> parse_grade = choice_parser(["high", "medium", "standard"], aliases={"med": "medium"})
    >>> parse_grade(" Med "), parse_grade("")
    ('medium', None)
    """
    canonical = tuple(choices)
    table = {normalise_token(c): c for c in canonical}
    for alias, target in (aliases or {}).items():
        table[normalise_token(alias)] = target
    allowed = ", ".join(canonical)

    def parse(value: Cell) -> str | None:
        text = parse_text(value)
        if text is None:
            return None
        code = table.get(normalise_token(text))
        if code is None:
            raise ValueError(f"{text!r} is not a known {label} (expected one of: {allowed})")
        return code

    return parse
