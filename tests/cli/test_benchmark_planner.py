"""``provide benchmark-planner``: the planner alone on TOPTW files, rows with best-known scores.

Run as functions (no database) on a two-customer instance the planner solves at once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from provide.cli import benchmark_planner

# Depot at (0, 0) open 0-100; customer 1 at (3, 4) scores 7, customer 2 at (0, 4) scores 2.
TINY = "1 1 2 1\n0 100\n0 0 0 0 0 0 0 0 100\n1 3 4 5 7 1 1 1 0 50\n2 0 4 5 2 1 1 1 0 50\n"


@pytest.fixture
def instances(tmp_path: Path) -> Path:
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "tiny.txt").write_text(TINY)
    return folder


def test_find_bks_reads_the_folders_own_file_first(instances: Path) -> None:
    (instances / "bks.csv").write_text("instance,m,bks_score,source\ntiny,1,9,here\n")
    (instances.parent / "bks.csv").write_text("instance,m,bks_score,source\ntiny,1,99,parent\n")
    assert benchmark_planner.find_bks(instances) == {("tiny", 1): 9.0}


def test_find_bks_falls_back_to_the_parent_folder_then_to_nothing(instances: Path) -> None:
    assert benchmark_planner.find_bks(instances) == {}
    (instances.parent / "bks.csv").write_text(
        "instance,m,bks_score,source\ntiny,1,9,paper\ntiny,2,9.5,paper\nother,1,3,paper\n"
    )
    assert benchmark_planner.find_bks(instances) == {
        ("tiny", 1): 9.0,
        ("tiny", 2): 9.5,
        ("other", 1): 3.0,
    }


def test_run_instance_scores_the_plan_and_its_gap_to_the_best_known(instances: Path) -> None:
    row = benchmark_planner.run_instance(instances / "tiny.txt", 1, 1.0, 0, {("tiny", 1): 10.0})
    assert {k: row[k] for k in ("instance", "m", "score", "bks")} == {
        "instance": "tiny",
        "m": 1,
        "score": 9,
        "bks": 10.0,
    }
    assert row["gap"] == pytest.approx(0.1)
    assert isinstance(row["seconds"], float) and row["seconds"] >= 0


def test_run_instance_without_a_best_known_score_has_no_gap(instances: Path) -> None:
    row = benchmark_planner.run_instance(instances / "tiny.txt", 2, 1.0, 0, {("tiny", 1): 9.0})
    assert row["score"] == 9 and row["bks"] is None and row["gap"] is None
    zero = benchmark_planner.run_instance(instances / "tiny.txt", 1, 1.0, 0, {("tiny", 1): 0.0})
    assert zero["gap"] is None, "a best-known score of 0 gives no relative gap"


def test_benchmark_planner_writes_rows_with_bks(tmp_path: Path, instances: Path) -> None:
    (tmp_path / "bks.csv").write_text("instance,m,bks_score,source\ntiny,1,9,test\n")
    out = tmp_path / "out.json"
    argv = ["--instances", str(instances), "--time-limit", "1", "--json", str(out), "--m", "1,2"]
    assert benchmark_planner.main(argv) == 0
    rows = json.loads(out.read_text())
    assert [(r["instance"], r["m"]) for r in rows] == [("tiny", 1), ("tiny", 2)]
    assert rows[0]["score"] == 9 and rows[0]["bks"] == 9 and rows[0]["gap"] == 0
    assert rows[1]["bks"] is None and rows[1]["gap"] is None


def test_benchmark_planner_finds_instances_in_sub_folders_in_name_order(
    tmp_path: Path, instances: Path, capsys: Any
) -> None:
    (instances / "b").mkdir()
    (instances / "b" / "second.txt").write_text(TINY)
    (instances / "a.txt").write_text(TINY)
    out = tmp_path / "out.json"
    argv = ["--instances", str(instances), "--time-limit", "1", "--json", str(out), "--m", "1"]
    assert benchmark_planner.main(argv) == 0
    assert [r["instance"] for r in json.loads(out.read_text())] == ["a", "second", "tiny"]
    progress = capsys.readouterr().err.splitlines()
    assert [line.split()[0] for line in progress] == ["a", "second", "tiny"]
    assert all(" m=1 score=9 " in line for line in progress)


def test_benchmark_planner_without_instances_says_so_and_writes_nothing(
    tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "out.json"
    assert benchmark_planner.main(["--instances", str(tmp_path), "--json", str(out)]) == 2
    assert "no *.txt files" in capsys.readouterr().err
    assert not out.exists()
