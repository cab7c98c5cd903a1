"""The test identity provider's manage.py: ``python -m tests.accounts.oidc_idp.manage <command>``."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.accounts.oidc_idp.settings"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
