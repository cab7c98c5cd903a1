"""provide import-investigations FILE: import a police DA investigation extract (FORMATS.md A)."""

from provide.intake.management.commands._import_command import ImportCommand
from provide.intake.services import investigations_import


class Command(ImportCommand):
    help = "Import a police DA investigation extract (CSV or XLSX), linking victims and suspects."
    importer = staticmethod(investigations_import)
    command_name = "import-investigations"
