"""``provide``: the operators' command line, and the project's manage.py.

``provide <command>`` runs, in order of preference:

1. a database-free command from :mod:`provide.cli` (``provide evaluate``, ``provide plan-file``);
2. otherwise a Django management command (``provide migrate``, ``provide demo-data`` ...),
   with hyphens in the command name read as underscores.
"""

from __future__ import annotations

import os
import sys

from provide.shared.files import restrict_new_files

HELP_ARGUMENTS: tuple[list[str], ...] = ([], ["help"], ["--help"], ["-h"])
"""What asks for the list of commands; the database-free ones are listed after Django's."""


def main(argv: list[str] | None = None) -> int:
    restrict_new_files()  # the database, uploads and exports it writes are its user's alone
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        from provide.cli import find_file_command

        file_command = find_file_command(args[1])
        if file_command is not None:
            return file_command(args[2:])
        args[1] = args[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "provide.config.settings")
    from provide.config.env import SettingError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(args)
    except SettingError as error:
        print(f"provide: {error}", file=sys.stderr)
        return 2
    if args[1:] in HELP_ARGUMENTS:
        _print_file_commands()
    return 0


def _print_file_commands() -> None:
    from provide.cli import file_command_names

    print("\n[provide: no database needed]")
    for name in file_command_names():
        print(f"    {name}")


if __name__ == "__main__":
    sys.exit(main())
