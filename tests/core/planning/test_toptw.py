import csv
import json
from pathlib import Path

import pytest

from provide.core.planning.compiled import compile_problem
from provide.core.planning.search import schedule_route
from provide.core.planning.toptw import parse_toptw, scale_for, toptw_problem

ROOT = Path("/work/shared/benchmarks/toptw")
pytestmark = pytest.mark.skipif(not ROOT.is_dir(), reason="benchmark data not available")


def read(name: str) -> str:
    folder = "cordeau" if name.startswith("pr") else "solomon"
    return (ROOT / folder / f"{name}.txt").read_text()


def test_c101_has_100_customers_and_depot_budget():
    vertices = parse_toptw(read("c101"))
    assert len(vertices) == 101
    assert vertices[0].close_time == 1236
    assert (vertices[1].x, vertices[1].y, vertices[1].score) == (45.0, 68.0, 10.0)
    assert (vertices[1].open_time, vertices[1].close_time) == (912.0, 967.0)


def test_c204_wrapped_header_is_read():
    assert len(parse_toptw(read("c204"))) == 101


def test_pr01_crlf_file_is_read_with_48_customers():
    vertices = parse_toptw(read("pr01"))
    assert len(vertices) == 49
    assert vertices[0].close_time == 1000


def test_scale_follows_family():
    assert scale_for("pr07") == 100 and scale_for("rc201") == 10


def test_travel_is_truncated_distance_times_scale():
    problem = toptw_problem(read("c101"), m=2, name="c101")
    assert len(problem.teams) == 2
    depot, first = problem.teams[0].start, problem.visits[0].location
    index = problem.travel_matrix.index()
    # depot (40, 50) to customer 1 (45, 68): distance 18.68 -> 186 tenths.
    assert problem.travel_matrix.minutes[index[depot]][index[first]] == 186
    assert problem.visits[0].duration_minutes == 900
    assert problem.teams[0].shift.end_minute == 12360


def test_published_best_routes_recheck_with_the_reader():
    """Every stored peer route is feasible under the reader's convention and scores its bks."""
    routes = json.loads((ROOT / "peer_best_routes.json").read_text())
    with (ROOT / "bks.csv").open() as handle:
        bks = {(r["instance"], int(r["m"])): float(r["bks_score"]) for r in csv.DictReader(handle)}
    checked = 0
    for name in ("r201", "pr01"):
        for m_text, entry in routes.get(name, {}).items():
            m = int(m_text)
            cp = compile_problem(toptw_problem(read(name), m=m, name=name))
            score = 0.0
            for k, customers in enumerate(entry["routes"]):
                nodes = [cp.start_node[k], *(c - 1 for c in customers), cp.end_node[k]]
                assert schedule_route(cp, k, nodes) is not None, (name, m, k)
                score += sum(cp.profit[c - 1] for c in customers)
            assert score == entry["score"] == bks[(name, m)]
            checked += 1
    assert checked == 4
