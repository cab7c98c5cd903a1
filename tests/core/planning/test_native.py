"""The compiled labelling gives what the Python reference gives (values, bounds, routes)."""

import os
import random
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provide.core.planning import native
from provide.core.planning.columns import team_groups
from provide.core.planning.compiled import compile_problem
from provide.core.planning.pricing import best_routes
from tests.core.planning.realistic import programme_problem, realistic_problem
from tests.core.planning.test_properties import small_problems, small_problems_with_breaks

needs_native = pytest.mark.skipif(
    not native.available() and os.environ.get("CI") != "true",
    reason=f"compiled pricing unavailable: {native.unavailable_reason()}",
)

MODES = (
    {"exact": False, "breadth": 2},
    {"exact": False, "breadth": 30},
    {"exact": True, "memory": 1},
    {"exact": True, "memory": 8},
    {"exact": True},
)


def _same(cp, network, gains, **mode):
    python = best_routes(cp, network, gains, keep=5, use_native=False, **mode)
    compiled = best_routes(cp, network, gains, keep=5, **mode)
    assert [round(r.value, 9) for r in compiled.routes] == [round(r.value, 9) for r in python.routes]
    if not mode["exact"]:
        assert compiled.labels == python.labels
    else:  # compiled exact labelling also prunes with its completion table: never more
        assert compiled.labels <= python.labels
    assert compiled.finished and python.finished
    if mode["exact"]:
        assert compiled.bound == pytest.approx(python.bound, abs=1e-9)
    else:
        assert compiled.bound is None and python.bound is None
    for route in compiled.routes:  # each route is worth what its visits add up to
        made = [n for n in route.nodes if n < cp.n_visits]
        assert route.value == pytest.approx(sum(gains[n] for n in made), abs=1e-9)


def test_compiled_pricing_is_built_where_a_compiler_exists():
    if shutil.which(os.environ.get("CC", "cc")) is None and os.environ.get("CI") != "true":
        pytest.skip("no C compiler")
    assert native.available(), native.unavailable_reason()


@needs_native
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(small_problems(), small_problems_with_breaks()), st.randoms())
def test_compiled_and_python_pricing_agree_on_small_problems(problem, rng):
    cp = compile_problem(problem)
    gains = {j: rng.choice([-3.0, 0.0, 0.5, 1.0, 2.5, 7.0]) for j in range(cp.n_visits)}
    for group in team_groups(cp):
        for mode in MODES:
            _same(cp, group.network, gains, **mode)


@needs_native
@pytest.mark.parametrize("family", [programme_problem, realistic_problem])
def test_compiled_and_python_pricing_agree_on_realistic_problems(family):
    cp = compile_problem(family(seed=3, n_visits=14))
    rng = random.Random(7)
    gains = {j: cp.profit[j] * rng.uniform(0.3, 1.0) - rng.uniform(0, 2) for j in range(cp.n_visits)}
    for group in team_groups(cp):
        for mode in MODES:
            _same(cp, group.network, gains, **mode)


def test_turned_off_compiled_pricing_falls_back_to_python(monkeypatch):
    monkeypatch.setitem(native._state, "library", None)
    monkeypatch.setitem(native._state, "reason", "turned off for the test")
    cp = compile_problem(programme_problem(seed=1, n_visits=8))
    group = team_groups(cp)[0]
    gains = {j: cp.profit[j] for j in range(cp.n_visits)}
    assert native.best_routes(group.network, None, exact=True, floor=0, keep=3, breadth=6, deadline=None) is None  # type: ignore[arg-type]
    outcome = best_routes(cp, group.network, gains, exact=True, keep=3)
    assert outcome.routes and outcome.bound is not None
    assert native.unavailable_reason() == "turned off for the test"
