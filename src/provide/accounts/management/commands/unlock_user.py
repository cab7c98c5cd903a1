"""provide unlock-user: let a locked-out account (or address) sign in again at once."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from provide.accounts.lockout import sign_in_unlock, sign_in_unlock_address
from provide.accounts.services import CommandLineOperator


class Command(BaseCommand):
    help = (
        "Clear the failed sign-ins that lock an account (USERNAME) or an IP address (--address), "
        "so it can sign in again now. Audited."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("username", nargs="?", default="", help="the account to unlock")
        parser.add_argument(
            "--address", default="", help="an IP address to unlock (for every account)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = str(options["username"]).strip()
        address = str(options["address"]).strip()
        if not username and not address:
            raise CommandError("give a USERNAME, an --address, or both")
        operator = CommandLineOperator("unlock-user")
        if address:
            try:
                cleared = sign_in_unlock_address(actor=operator, ip_address=address)
            except ValueError as error:
                raise CommandError(f"{address!r}: {error}") from None
            self.stdout.write(
                f"{address} can sign in again ({cleared} failed-sign-in records cleared)."
            )
        if username:
            cleared = sign_in_unlock(actor=operator, username=username)
            self.stdout.write(
                f"{username!r} can sign in again ({cleared} failed-sign-in records cleared)."
            )
