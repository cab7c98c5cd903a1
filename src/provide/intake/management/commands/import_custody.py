"""provide import-custody FILE: import a custody feed (FORMATS.md C)."""

from provide.intake.management.commands._import_command import ImportCommand
from provide.intake.services import custody_import


class Command(ImportCommand):
    help = "Import a custody feed (CSV or XLSX): one row per custody event."
    importer = staticmethod(custody_import)
    command_name = "import-custody"
