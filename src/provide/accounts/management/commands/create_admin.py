"""provide create-admin: create (or reset) an administrator account."""

from __future__ import annotations

import argparse
import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from provide.accounts.models import User
from provide.accounts.roles import ADMINISTRATOR
from provide.accounts.services import CommandLineOperator, user_create


class Command(BaseCommand):
    help = "Create an administrator. The password comes from PROVIDE_ADMIN_PASSWORD or a prompt."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--no-input", action="store_true", help="never prompt; needs PROVIDE_ADMIN_PASSWORD"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"].strip()
        if not username:
            raise CommandError("--username must not be empty")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"a user called {username!r} already exists")
        password = os.environ.get("PROVIDE_ADMIN_PASSWORD", "")
        if not password:
            if options["no_input"]:
                raise CommandError("PROVIDE_ADMIN_PASSWORD is not set")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the passwords do not match")
        try:
            validate_password(password, User(username=username))
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        user_create(
            username=username,
            password=password,
            role=ADMINISTRATOR,
            actor=CommandLineOperator("create-admin"),
        )
        self.stdout.write(f"Administrator {username!r} created.")
