"""Commands that need no database.

Each module ``provide.cli.<name>`` with a ``main(argv: list[str]) -> int`` function is a
subcommand ``provide <name>`` (underscores written as hyphens on the command line). They run
without configuring Django, so an evaluator can use them on their own files.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable

CommandMain = Callable[[list[str]], int]


def file_command_names() -> list[str]:
    """The database-free commands, as ``provide --help`` lists them (without importing them)."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def find_file_command(name: str) -> CommandMain | None:
    """Return the ``main`` of the database-free command called ``name``, if there is one."""
    module_name = name.replace("-", "_")
    if not module_name.isidentifier() or module_name.startswith("_"):
        return None
    qualified = f"{__name__}.{module_name}"
    if importlib.util.find_spec(qualified) is None:
        return None
    module = importlib.import_module(qualified)
    main = getattr(module, "main", None)
    return main if callable(main) else None
