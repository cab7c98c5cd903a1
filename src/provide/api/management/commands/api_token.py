"""provide api-token USERNAME: print a new API token for a user, once.

The token replaces any earlier one of that user (so a leaked token is revoked by issuing a new
one). It is printed once and never shown again; store it in the calling system's secrets.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from provide.audit.models import AuditAction
from provide.audit.services import audit_record


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (it replaces the user's earlier token). Shown once."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("username")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"there is no user called {options['username']!r}")
        if not user.is_active:
            raise CommandError(f"{user.get_username()} is deactivated: reactivate them first")
        replaced = Token.objects.filter(user=user).delete()[0] > 0
        token = Token.objects.create(user=user)
        audit_record(actor=None, action=AuditAction.CREATE, event="api.token_issued", subject=user,
                     actor_username="provide api-token", changes={"replaced_earlier_token": replaced})
        self.stdout.write(token.key)
