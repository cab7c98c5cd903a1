"""Finding the database-free commands behind ``provide <name>``."""

from __future__ import annotations

from provide.cli import evaluate, file_command_names, find_file_command, plan_file


def test_file_command_names_lists_each_public_module_in_order() -> None:
    names = file_command_names()
    assert {"benchmark_planner", "evaluate", "plan_file", "synth_extract"} <= set(names)
    assert names == sorted(names)
    assert not [name for name in names if name.startswith("_")]


def test_a_command_is_found_by_its_hyphenated_or_underscored_name() -> None:
    assert find_file_command("plan-file") is plan_file.main
    assert find_file_command("plan_file") is plan_file.main
    assert find_file_command("evaluate") is evaluate.main


def test_private_unknown_and_malformed_names_are_not_commands() -> None:
    assert find_file_command("_private") is None
    assert find_file_command("migrate") is None
    assert find_file_command("../evaluate") is None
