"""Fixtures shared by the planning tests: the West early shift of ``test_services.py``
(West A, 07:00-15:00 on 10 March 2026)."""

from tests.planning.test_services import west_shift  # noqa: F401 - the shift fixture
