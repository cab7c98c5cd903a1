"""What ``provide`` imports when it starts.

Commands that need neither the evaluation stack nor OR-Tools must not load them: those
libraries take seconds to import (benchmarks/startup.py measures the time; these tests check
only *what* is imported, never the clock). Each probe runs the real ``provide`` entry point in
a fresh Python process and reports the libraries it finds in ``sys.modules`` afterwards.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import provide.core.evaluation as core_evaluation
import provide.core.planning as core_planning

HEAVY = ("matplotlib", "ortools", "pandas", "scipy", "statsmodels", "weasyprint")
"""Libraries that only evaluation and planning runs may load."""

WATCHED = (*HEAVY, "faker")
"""What the probe reports: the heavy libraries, plus one a command legitimately loads."""

PROBE = r"""
import contextlib, io, json, pkgutil, sys

WATCHED = set(json.loads(sys.argv[1]))
from provide.__main__ import main


def watched():
    return sorted({name.split(".")[0] for name in sys.modules} & WATCHED)


def run(argv):
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        try:
            code = main(["provide", *argv])
        except SystemExit as stop:
            code = stop.code
    return {"argv": argv, "exit": code or 0, "output": output.getvalue(), "watched": watched()}


def every_command():
    from django.core.management import get_commands
    import provide.cli

    management = sorted(n for n, app in get_commands().items() if app.startswith("provide."))
    files = sorted(m.name for m in pkgutil.iter_modules(provide.cli.__path__) if not m.name.startswith("_"))
    return [[name.replace("_", "-"), "--help"] for name in (*management, *files)]


runs = []
for argv in json.loads(sys.argv[2]):
    if argv == ["<every command> --help"]:
        runs.extend(run(each) for each in every_command())
    else:
        runs.append(run(argv))
print(json.dumps(runs))
"""


def probe(tmp_path: Path, *commands: list[str]) -> list[dict[str, Any]]:
    """Run ``provide`` with each argv in turn in one fresh process; after each, the watched
    libraries loaded so far."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "provide.config.settings",
        "DJANGO_SECRET_KEY": "startup-probe-not-secret-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'startup.sqlite3'}",
    }
    finished = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(WATCHED), json.dumps(list(commands))],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    runs: list[dict[str, Any]] = json.loads(finished.stdout.splitlines()[-1])
    return runs


def heavy_in(run: dict[str, Any]) -> list[str]:
    return [name for name in run["watched"] if name in HEAVY]


def test_help_lists_the_commands_without_loading_evaluation_or_ortools(tmp_path: Path) -> None:
    """``provide --help`` is the first thing a newcomer runs: it loads Django, not the solvers."""
    [run] = probe(tmp_path, ["--help"])
    assert run["exit"] == 0
    assert "import_investigations" in run["output"] and "triage" in run["output"]
    assert "[provide: no database needed]" in run["output"] and "plan_file" in run["output"]
    assert heavy_in(run) == []


def test_system_checks_and_every_command_help_load_no_heavy_library(tmp_path: Path) -> None:
    """``provide check`` loads every app's URLs and views (every command that runs the system
    checks does); ``--help`` of every command loads its module. None of them needs the
    evaluation stack or OR-Tools."""
    runs = probe(tmp_path, ["check"], ["<every command> --help"])
    commands = {run["argv"][0] for run in runs}
    assert {"check", "plan", "triage", "import-investigations", "evaluate", "plan-file"} <= commands
    assert [(run["argv"][0], run["exit"]) for run in runs if run["exit"] != 0] == []
    first_heavy = [(run["argv"], heavy_in(run)) for run in runs if heavy_in(run)][:1]
    assert first_heavy == []


def test_the_probe_sees_a_library_a_command_loads(tmp_path: Path) -> None:
    """``synth-extract`` writes synthetic names, so it loads Faker: the probe reports it."""
    [run] = probe(tmp_path, ["synth-extract", "--help"])
    assert run["exit"] == 0
    assert run["watched"] == ["faker"]


def test_evaluation_names_are_their_submodules_objects_once_every_submodule_is_loaded() -> None:
    """Loading a submodule binds it on the package: no public name may be shadowed by one."""
    submodules = {
        module: importlib.import_module(f"provide.core.evaluation.{module}")
        for module in core_evaluation.EXPORTS
    }
    wrong = [
        name
        for module, names in core_evaluation.EXPORTS.items()
        for name in names
        if getattr(core_evaluation, name) is not getattr(submodules[module], name)
    ]
    assert wrong == []


def test_evaluation_exports_are_exactly_the_public_names() -> None:
    listed = [name for names in core_evaluation.EXPORTS.values() for name in names]
    assert sorted(listed) == sorted(core_evaluation.__all__)
    assert set(core_evaluation.__all__) <= set(dir(core_evaluation))


def test_an_unknown_evaluation_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'no_such_measure'"):
        core_evaluation.no_such_measure  # noqa: B018


def test_solve_plan_is_the_solver_entry_point() -> None:
    from provide.core.planning import solve

    assert core_planning.solve_plan is solve.solve_plan
    with pytest.raises(AttributeError, match="has no attribute 'no_such_solver'"):
        core_planning.no_such_solver  # noqa: B018
