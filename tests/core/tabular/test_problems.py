"""Problems worded for the person who has to fix the file."""

from __future__ import annotations

import pytest

from provide.core.tabular import CellProblem, TabularError


@pytest.mark.parametrize(
    ("problem", "line"),
    [
        (CellProblem(4, "bcu", "blank"), "row 4, column bcu: blank"),
        (CellProblem(4, None, "too wide"), "row 4: too wide"),
        (CellProblem(None, None, "empty", "f.csv"), "f.csv: empty"),
        (CellProblem(7, "Ref", "blank", "f.csv"), "f.csv, row 7, column Ref: blank"),
        (CellProblem(None, None, "no rows"), "no rows"),
    ],
)
def test_a_problem_says_where_then_why(problem: CellProblem, line: str) -> None:
    assert str(problem) == line


def test_tabular_error_wraps_text_as_file_level_problems_and_keeps_cell_problems() -> None:
    error = TabularError(["wrong encoding", CellProblem(3, "Ref", "blank")])
    assert error.problems == (
        CellProblem(None, None, "wrong encoding"),
        CellProblem(3, "Ref", "blank"),
    )
    assert error.lines() == ["wrong encoding", "row 3, column Ref: blank"]
    assert str(error) == "wrong encoding\nrow 3, column Ref: blank"
