"""The tests mirror the package: every module that holds logic has a test file at the same path.

The tests for ``src/provide/<folders>/<module>.py`` live in ``tests/<folders>/test_<module>.py``.

**Which modules hold logic.** A module holds logic when it defines at least one function or
method of its own (at module level or inside a class, ``@property`` included) other than
``__str__`` and ``__repr__``. Modules that only declare things (model fields, form fields,
frozen dataclasses, enums, constants, settings, re-exports) hold none. Whatever they define,
these are skipped, because they are wiring that the page and API tests exercise through the
framework: ``__init__.py``, ``__main__.py``, ``apps.py``, ``admin.py``, ``urls.py``,
``navigation.py``, ``api_routes.py``, everything under ``migrations/`` and ``templatetags/``
(filter registrations, tested through the pages that render them), and ``config/wsgi.py``.

**The allowlist** (``MISSING_MIRRORED_TEST``) names the modules that still have no mirrored
test file. It may only shrink: the test fails when a module that holds logic is missing its
file and is not listed, and also when a listed module has gained its file or no longer holds
logic (take it off the list). Never add to it; write the test file instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "provide"
TESTS = ROOT / "tests"

SKIPPED_NAMES = frozenset(
    {
        "__init__.py",
        "__main__.py",
        "apps.py",
        "admin.py",
        "urls.py",
        "navigation.py",
        "api_routes.py",
        "wsgi.py",
    }
)
SKIPPED_FOLDERS = frozenset({"migrations", "templatetags", "static", "templates"})
TRIVIAL_METHODS = frozenset({"__str__", "__repr__"})

MISSING_MIRRORED_TEST: frozenset[str] = frozenset()


def holds_logic(source: str) -> bool:
    """True when the module defines a function or method beyond ``__str__``/``__repr__``."""
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name not in TRIVIAL_METHODS
        for node in ast.walk(ast.parse(source))
    )


def is_skipped(relative: Path) -> bool:
    return relative.name in SKIPPED_NAMES or bool(SKIPPED_FOLDERS & set(relative.parts[:-1]))


def modules_holding_logic() -> set[str]:
    modules = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if not is_skipped(relative) and holds_logic(path.read_text(encoding="utf-8")):
            modules.add(relative.as_posix())
    return modules


def mirrored_test(module: str) -> Path:
    relative = Path(module)
    return TESTS / relative.parent / f"test_{relative.name}"


def modules_without_mirrored_test() -> set[str]:
    return {module for module in modules_holding_logic() if not mirrored_test(module).exists()}


def test_every_module_holding_logic_has_a_mirrored_test_file() -> None:
    unlisted = sorted(modules_without_mirrored_test() - MISSING_MIRRORED_TEST)
    assert not unlisted, (
        "These modules hold logic but have no test file at the mirrored path "
        "(tests/<folders>/test_<module>.py); write one: " + ", ".join(unlisted)
    )


def test_the_allowlist_only_shrinks() -> None:
    stale = sorted(MISSING_MIRRORED_TEST - modules_without_mirrored_test())
    assert not stale, (
        "These modules now have a mirrored test file (or no longer hold logic); "
        "take them off MISSING_MIRRORED_TEST in tests/test_layout.py: " + ", ".join(stale)
    )


def test_every_test_folder_is_a_package() -> None:
    """Test modules share names across folders (``test_services.py``), so each folder needs an
    ``__init__.py`` for pytest to import them as distinct modules."""
    folders = {path.parent for path in TESTS.rglob("test_*.py")}
    without_init = sorted(
        folder.relative_to(ROOT).as_posix()
        for folder in folders
        if not (folder / "__init__.py").exists()
    )
    assert not without_init, "Add an __init__.py to: " + ", ".join(without_init)


def test_logic_rule_counts_methods_but_not_declarations() -> None:
    assert holds_logic("def grade(answers):\n    return 'high'\n")
    assert holds_logic("class Visit:\n    @property\n    def late(self):\n        return True\n")
    assert not holds_logic("class Visit:\n    def __str__(self):\n        return 'visit'\n")
    assert not holds_logic("from provide.core.risk import grade\nLIMIT = 3\n")
