"""Which rows an evaluation covers: a BCU and a period.

Kept apart from :mod:`provide.core.evaluation.measures` so that a form or a page can hold a
selection without loading pandas, SciPy and statsmodels (docs/decisions/0004-lazy-heavy-imports.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Selection:
    """Which rows an evaluation covers.

    Attributes
    ----------
    bcu : str, optional
        Basic command unit (case-insensitive); ``None`` for all.
    date_from, date_to : date, optional
        Inclusive London-local calendar dates; either may be open.

    Raises
    ------
    ValueError
        ``date_from`` is after ``date_to``.
    """

    bcu: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"the period starts ({self.date_from}) after it ends ({self.date_to})")
