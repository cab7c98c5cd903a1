"""provide api-token USERNAME: print a new API token for a user, once.

The token replaces every earlier one of that user (so a leaked token is revoked by issuing a
new one), stops working after ``PROVIDE_API_TOKEN_HOURS`` (default 12), and is revoked when the
user signs out of the web pages or is deactivated. Only a hash of it is stored: it is printed
once and never shown again; store it in the calling system's secrets.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from provide.accounts.models import User
from provide.api.tokens import api_token_issue


class Command(BaseCommand):
    help = (
        "Print a new API token for USERNAME (it replaces the user's earlier tokens and "
        "expires after PROVIDE_API_TOKEN_HOURS). Shown once."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"there is no user called {options['username']!r}")
        try:
            issued = api_token_issue(user=user, issued_by="provide api-token")
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(issued.key)
        if issued.expires_at is not None:
            when = timezone.localtime(issued.expires_at).strftime("%d %B %Y %H:%M %Z")
            self.stderr.write(f"expires {when}; signing out of Provide or deactivation revokes it")
