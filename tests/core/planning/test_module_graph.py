"""The planner's modules import downwards only: no cycle, and OR-Tools only where its models
are (the import-linter contract names the same three modules)."""

import ast
from pathlib import Path

import provide.core.planning

PACKAGE = Path(provide.core.planning.__file__).parent
PREFIX = "provide.core.planning"
OR_TOOLS_MODULES = {"cpsat", "lp_bound", "packing"}


def _imports(path: Path) -> set[str]:
    """Modules a file imports when it runs (imports only for type checking left out)."""
    tree = ast.parse(path.read_text())
    checking_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and ast.unparse(block.test).endswith("TYPE_CHECKING")
        for statement in block.body
        for node in ast.walk(statement)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in checking_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {path.stem: path for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    graph = {}
    for name, path in modules.items():
        imported = _imports(path)
        graph[name] = {
            other for other in modules if other != name and f"{PREFIX}.{other}" in imported
        }
    return graph


def test_the_planners_modules_import_without_a_cycle():
    graph = _graph()
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " -> ".join((*path, name))
        if name in done:
            return
        for other in sorted(graph[name]):
            visit(other, (*path, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())


def test_only_the_models_import_or_tools():
    importers = {
        path.stem
        for path in PACKAGE.glob("*.py")
        if any(module.split(".")[0] == "ortools" for module in _imports(path))
    }
    assert importers == OR_TOOLS_MODULES


def test_column_generation_calls_its_solvers_directly():
    assert _graph()["columns"] >= OR_TOOLS_MODULES
    assert "columns" not in set().union(*(_graph()[name] for name in OR_TOOLS_MODULES))
