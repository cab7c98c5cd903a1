"""Formula-injection-safe cell values for any CSV or XLSX writer.

A spreadsheet program runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in
some programs, tab or carriage return) as a formula: a victim's name typed as
``=HYPERLINK(...)`` would become a live link in an analyst's copy (OWASP "CSV injection").
Every text cell that Provide writes goes through :func:`safe_cell`, which prefixes such
text with a single quote so it is shown, not run. Numbers, dates and booleans are left as
they are: they cannot carry a formula.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")


def safe_cell(value: T) -> T | str:
    """Return ``value`` made safe for a spreadsheet cell.

    Parameters
    ----------
    value : any
        A cell value. Only ``str`` is changed.

    Returns
    -------
    same type, or str
        Text beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
        leading ``'``; everything else is returned unchanged.

    Examples
    --------
    >>> safe_cell("=1+2"), safe_cell("-5"), safe_cell("West"), safe_cell(-5)
    ("'=1+2", "'-5", 'West', -5)
    """
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def safe_row(values: Iterable[T]) -> list[T | str]:
    """Apply :func:`safe_cell` to every value of a row."""
    return [safe_cell(v) for v in values]
