"""Problems found while reading a spreadsheet, worded for the person who has to fix the file.

Every unreadable value becomes one :class:`CellProblem`, printed as
``row N, column C: reason`` with ``N`` the row number the spreadsheet user sees (the header
is row 1). A problem with the file as a whole (wrong encoding, missing required column,
unreadable workbook) is raised as :class:`TabularError`, which carries the same kind of lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CellProblem:
    """One value (or one whole row or file) that could not be read.

    Parameters
    ----------
    row : int or None
        Spreadsheet row number (header = 1); ``None`` for a problem with the whole file.
    column : str or None
        The column as written in the file's header; ``None`` for a whole-row problem.
    reason : str
        Plain-language reason, e.g. ``"'31/02/2023' is not a real date"``.
    source : str
        File name, used only when several files are reported together.
    """

    row: int | None
    column: str | None
    reason: str
    source: str = ""

    def __str__(self) -> str:
        parts: list[str] = []
        if self.source:
            parts.append(self.source)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        where = ", ".join(parts)
        return f"{where}: {self.reason}" if where else self.reason


class TabularError(Exception):
    """A file that cannot be used; ``problems`` holds one line per thing to fix.

    Parameters
    ----------
    problems : iterable of CellProblem or str
        What is wrong. Strings are wrapped as file-level problems.
    """

    def __init__(self, problems: Iterable[CellProblem | str]) -> None:
        self.problems: tuple[CellProblem, ...] = tuple(
            p if isinstance(p, CellProblem) else CellProblem(None, None, p) for p in problems
        )
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """Return the problems as printable lines, one per problem."""
        return [str(p) for p in self.problems]
