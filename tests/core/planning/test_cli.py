"""provide plan-file and provide benchmark-planner, run as functions (no database)."""

import json
from pathlib import Path

from provide.cli import benchmark_planner, plan_file

PROBLEM = {
    "name": "test shift",
    "teams": [
        {
            "id": "A",
            "start": {"lat": 53.48, "lon": -2.24},
            "shift": {"start": "08:00", "end": "16:00"},
            "break": {"earliest_start": "12:00", "latest_start": "13:00", "duration_minutes": 30},
        }
    ],
    "visits": [
        {
            "id": "case-1",
            "location": {"lat": 53.50, "lon": -2.20},
            "duration_minutes": 45,
            "priority": 8,
            "time_windows": [{"start": "09:00", "end": "11:00"}],
        },
        {
            "id": "case-2",
            "location": {"lat": 53.46, "lon": -2.30},
            "duration_minutes": 30,
            "priority": 3,
            "required_skills": ["language:pl"],
        },
        {
            "id": "case-3",
            "location": [53.47, -2.25],
            "duration_minutes": 30,
            "priority": 5,
            "time_windows": [["08:00", "08:02"]],
            "reason_context": "the suspect's expected release",
        },
    ],
}


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(data))
    return path


def test_plan_file_prints_a_readable_plan(tmp_path, capsys):
    assert plan_file.main([str(write(tmp_path, PROBLEM)), "--time-limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "Team A: leave base" in out
    assert "visit case-1" in out and "break" in out
    assert "case-2: needs skill 'language:pl' that no team on shift has" in out
    assert "case-3: no team free before the suspect's expected release" in out


def test_plan_file_writes_json(tmp_path):
    out = tmp_path / "plan.json"
    assert plan_file.main([str(write(tmp_path, PROBLEM)), "--json", str(out), "--seed", "3"]) == 0
    result = json.loads(out.read_text())
    assert result["objective"] == 8
    assert result["routes"][0]["stops"][0]["visit_id"] == "case-1"
    assert {item["visit_id"] for item in result["left_out"]} == {"case-2", "case-3"}
    assert result["statistics"]["seed"] == 3


def test_plan_file_accepts_an_injected_matrix(tmp_path, capsys):
    data = dict(PROBLEM)
    points = [[53.48, -2.24], [53.50, -2.20], [53.46, -2.30], [53.47, -2.25]]
    data["travel"] = {
        "matrix": {
            "locations": points,
            "minutes": [[0, 5, 5, 5], [5, 0, 5, 5], [5, 5, 0, 5], [5, 5, 5, 0]],
        }
    }
    assert plan_file.main([str(write(tmp_path, data)), "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["travel_minutes"] == 10


def test_plan_file_reports_unreadable_input(tmp_path, capsys):
    assert plan_file.main([str(write(tmp_path, {"teams": []}))]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_plan_file_exit_status_flags_a_missed_mandatory_visit(tmp_path):
    data = json.loads(json.dumps(PROBLEM))
    data["visits"][2]["mandatory"] = True
    assert plan_file.main([str(write(tmp_path, data)), "--time-limit", "1"]) == 1


def test_benchmark_planner_writes_rows_with_bks(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "tiny.txt").write_text(
        "1 1 2 1\n0 100\n0 0 0 0 0 0 0 0 100\n1 3 4 5 7 1 1 1 0 50\n2 0 4 5 2 1 1 1 0 50\n"
    )
    (tmp_path / "bks.csv").write_text("instance,m,bks_score,source\ntiny,1,9,test\n")
    out = tmp_path / "out.json"
    argv = ["--instances", str(folder), "--time-limit", "1", "--json", str(out), "--m", "1,2"]
    assert benchmark_planner.main(argv) == 0
    rows = json.loads(out.read_text())
    assert [(r["instance"], r["m"]) for r in rows] == [("tiny", 1), ("tiny", 2)]
    assert rows[0]["score"] == 9 and rows[0]["bks"] == 9 and rows[0]["gap"] == 0
    assert rows[1]["bks"] is None and rows[1]["gap"] is None
