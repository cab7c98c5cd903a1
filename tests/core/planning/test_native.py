"""The compiled labelling gives what the Python reference gives (values, bounds, routes); its
one-struct interface is checked by field name; without it the planner prices in Python."""

import os
import random
import shutil
import subprocess
import sys

import pytest
from cffi import FFI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provide.core.planning import _labelling_build, native
from provide.core.planning.compiled import compile_problem
from provide.core.planning.pricing import best_routes, enumerate_visit_sets, prepare, team_network
from provide.core.planning.relaxation import may_make, shortest_paths
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


def team_networks(cp):
    """Each team's pricing network over the visits it may make (as column generation
    builds them)."""
    shortest = shortest_paths(cp.travel)
    return [
        team_network(
            cp,
            k,
            [j for j in range(cp.n_visits) if k in cp.eligible[j] and may_make(cp, k, j, shortest)],
            shortest,
        )
        for k in range(cp.n_teams)
    ]


@pytest.fixture
def reload_native(monkeypatch):
    """Let a test change what the extension loader sees; the next test loads afresh."""
    native._load.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    native._load.cache_clear()


def _untied(routes, *, keep):
    """Route nodes by value, for the values only one route has. Equal values are ranked
    differently (Python breaks ties by object id, C by label number), and a route worth the
    last kept value may have displaced an equal one, so those routes may differ."""
    values = [round(r.value, 9) for r in routes]
    cut = values[-1] if len(values) == keep else None
    return {
        v: r.nodes for v, r in zip(values, routes, strict=True) if values.count(v) == 1 and v != cut
    }


def _same(cp, network, gains, **mode):
    python = best_routes(cp, network, gains, keep=5, use_native=False, **mode)
    compiled = best_routes(cp, network, gains, keep=5, **mode)
    assert [round(r.value, 9) for r in compiled.routes] == [
        round(r.value, 9) for r in python.routes
    ]
    if not mode["exact"]:  # the same labels in the same order: the same routes, ties apart
        assert compiled.labels == python.labels
        assert _untied(compiled.routes, keep=5) == _untied(python.routes, keep=5)
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
        assert route.nodes[0] == cp.start_node[network.team]
        assert route.nodes[-1] == cp.end_node[network.team]


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
    for network in team_networks(cp):
        for mode in MODES:
            _same(cp, network, gains, **mode)


@needs_native
@pytest.mark.parametrize("family", [programme_problem, realistic_problem])
@pytest.mark.parametrize("seed", [3, 11])
def test_compiled_and_python_pricing_agree_on_realistic_problems(family, seed):
    cp = compile_problem(family(seed=seed, n_visits=14))
    rng = random.Random(seed)
    gains = {
        j: cp.profit[j] * rng.uniform(0.3, 1.0) - rng.uniform(0, 2) for j in range(cp.n_visits)
    }
    for network in team_networks(cp):
        for mode in MODES:
            _same(cp, network, gains, **mode)


@needs_native
def test_compiled_pricing_honours_floor_and_keep():
    cp = compile_problem(programme_problem(seed=5, n_visits=12))
    network = team_networks(cp)[0]
    gains = {j: cp.profit[j] for j in range(cp.n_visits)}
    values = [r.value for r in best_routes(cp, network, gains, exact=True, keep=8).routes]
    floor = max(v for v in values if v < values[0])  # the second-best worth
    above = best_routes(cp, network, gains, exact=True, keep=8, floor=floor)
    assert [r.value for r in above.routes] == [v for v in values if v > floor]
    best_two = best_routes(cp, network, gains, exact=True, keep=2)
    assert [r.value for r in best_two.routes] == values[:2]


def test_keep_outside_the_compiled_limits_is_left_to_python():
    cp = compile_problem(programme_problem(seed=1, n_visits=6))
    network = team_networks(cp)[0]
    prepared = prepare(network, dict.fromkeys(range(cp.n_visits), 1.0), exact=True, memory=None)
    for keep in (0, native.MAX_KEEP + 1):
        assert (
            native.best_routes(
                network, prepared, exact=True, floor=0.0, keep=keep, breadth=4, deadline=None
            )
            is None
        )


# The one-struct interface ------------------------------------------------------------------


def test_header_declares_exactly_the_fields_python_sets():
    # the build script's FFI has parsed labelling.h; no compiler is needed for this
    native.check_interface(_labelling_build.ffibuilder)
    assert native.INPUT_FIELDS.isdisjoint(native.OUTPUT_FIELDS)


def test_a_field_renamed_in_the_header_is_an_error_not_a_corruption():
    renamed = FFI()
    renamed.cdef(_labelling_build.DECLARATIONS.replace("int32_t breadth;", "int32_t width;"))
    with pytest.raises(native.InterfaceMismatch, match=r"no field breadth; .* does not set width"):
        native.check_interface(renamed)


def test_fields_swapped_in_the_header_still_match_by_name():
    # positional arguments would have swapped silently; by name, order does not matter
    swapped = FFI()
    swapped.cdef(
        _labelling_build.DECLARATIONS.replace(
            "int32_t shift_start;\n    int32_t shift_end;",
            "int32_t shift_end;\n    int32_t shift_start;",
        )
    )
    names = [name for name, _ in swapped.typeof("ProvidePricingCall").fields]
    assert names.index("shift_end") < names.index("shift_start")
    native.check_interface(swapped)


@needs_native
def test_filling_an_unknown_or_leaving_out_a_field_raises():
    ffi = native._extension().ffi
    kinds = {name: field.type.kind for name, field in ffi.typeof("ProvidePricingCall").fields}
    inputs = {name: ffi.NULL if kinds[name] == "pointer" else 0 for name in native.INPUT_FIELDS}
    call = native._fill(ffi, inputs)
    assert call.breadth == 0 and call.finished == 0
    with pytest.raises(native.InterfaceMismatch, match="no field width"):
        native._fill(ffi, {**inputs, "width": 3})
    without = {name: value for name, value in inputs.items() if name != "deadline"}
    with pytest.raises(native.InterfaceMismatch, match="does not set deadline"):
        native._fill(ffi, without)
    with pytest.raises(native.InterfaceMismatch, match="no field n_routes"):
        native._fill(ffi, {**inputs, "n_routes": 1})  # outputs are the call's to write
    with pytest.raises(AttributeError):  # cffi itself refuses a name it was not built with
        call.width = 3


@needs_native
def test_extension_was_built_from_the_sources_beside_it():
    ffi, lib = native._extension().ffi, native._extension().lib
    built_from = ffi.string(lib.provide_labelling_digest()).decode()
    assert built_from == native.source_digest(native.FOLDER) == _labelling_build.DIGEST


# Without the extension -----------------------------------------------------------------------


@needs_native
def test_turned_off_compiled_pricing_falls_back_to_python_with_the_same_answers(reload_native):
    cp = compile_problem(programme_problem(seed=1, n_visits=10))
    network = team_networks(cp)[0]
    gains = {j: cp.profit[j] for j in range(cp.n_visits)}
    compiled = best_routes(cp, network, gains, exact=True, keep=3)
    reload_native.setenv("PROVIDE_NATIVE_PRICING", "0")
    native._load.cache_clear()
    assert not native.available()
    assert native.unavailable_reason() == native.TURNED_OFF
    prepared = prepare(network, gains, exact=True, memory=None)
    assert (
        native.best_routes(network, prepared, exact=True, floor=0, keep=3, breadth=6, deadline=None)
        is None
    )
    fallback = best_routes(cp, network, gains, exact=True, keep=3)
    assert [r.value for r in fallback.routes] == pytest.approx([r.value for r in compiled.routes])
    assert fallback.bound == pytest.approx(compiled.bound)
    assert fallback.finished
    # enumeration runs compiled only: the caller is told there is no list
    assert (
        enumerate_visit_sets(
            network, gains, threshold=0.0, best=compiled.bound, most=100, budget=None
        )
        is None
    )


def test_missing_extension_is_reported_and_pricing_still_works(reload_native):
    reload_native.setattr(native, "EXTENSION", "provide.core.planning._not_built")
    assert not native.available()
    assert "was not built" in native.unavailable_reason()
    cp = compile_problem(programme_problem(seed=2, n_visits=8))
    network = team_networks(cp)[0]
    outcome = best_routes(
        cp, network, {j: cp.profit[j] for j in range(cp.n_visits)}, exact=True, keep=2
    )
    assert outcome.routes and outcome.bound is not None and outcome.finished


@needs_native
def test_extension_older_than_its_sources_is_not_used(reload_native, tmp_path):
    (tmp_path / "labelling.h").write_bytes((native.FOLDER / "labelling.h").read_bytes())
    (tmp_path / "labelling.c").write_bytes(
        (native.FOLDER / "labelling.c").read_bytes() + b"\n/* edited, not rebuilt */\n"
    )
    reload_native.setattr(native, "FOLDER", tmp_path)
    assert not native.available()
    assert "older than labelling.c" in native.unavailable_reason()


@needs_native
def test_pricing_needs_no_compiler_nor_writable_home_at_run_time(tmp_path):
    script = (
        "from provide.core.planning import native\n"
        "print(native.available(), native.unavailable_reason())\n"
    )
    env = {"PATH": str(tmp_path), "HOME": "/nonexistent", "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "True None"
