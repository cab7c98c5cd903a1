"""provide demo-data: load synthetic demo data (never real people)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from provide.accounts.mfa import second_factor_demo_keys
from provide.demo.services import demo_data_exists, demo_data_load

BCU_NAMES = ("West", "South", "East")


class Command(BaseCommand):
    help = "Generate synthetic demo data ending today (deterministic for a seed) and load it."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--days", type=int, default=90, help="days of data, ending today (default 90)"
        )
        parser.add_argument("--seed", type=int, default=2020, help="random seed (default 2020)")
        parser.add_argument(
            "--bcu",
            action="append",
            choices=BCU_NAMES,
            help="a BCU to include (repeatable; default all three)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing if the database already has investigations",
        )
        parser.add_argument(
            "--password", help="password for the demo users (default: a new random one)"
        )
        parser.add_argument(
            "--sign-in-file",
            default=str(settings.REPOSITORY_DIR / "var" / "demo-sign-in.txt"),
            help="where to write the demo sign-in details",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 1 or options["days"] > 3660:
            raise CommandError("--days must be between 1 and 3660")
        if options["if_empty"] and demo_data_exists():
            self.stdout.write("The database already has data: demo data not loaded.")
            return
        started = time.perf_counter()
        summary = demo_data_load(
            end_on=timezone.localdate(),
            days=options["days"],
            seed=options["seed"],
            bcus=tuple(options["bcu"]) if options["bcu"] else None,
            password=options["password"],
        )
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Loaded SYNTHETIC demo data in {seconds:.1f} s: {summary.investigations} investigations, "
            f"{summary.people} people, {summary.custody_episodes} custody episodes, "
            f"{summary.shifts} shifts, {summary.visits} visits."
        )
        keys = second_factor_demo_keys(usernames=summary.users.values())
        lines = [
            "",
            "Provide demo — sign in at http://127.0.0.1:8000/ with:",
            f"  {'role':<22} {'user name':<22} {'password':<14} authenticator app key (second factor)",
        ]
        lines += [
            f"  {role:<22} {username:<22} {summary.password:<14} {keys.get(username, '')}".rstrip()
            for role, username in summary.users.items()
        ]
        lines.append("")
        text = "\n".join(lines)
        path = Path(options["sign_in_file"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        path.chmod(0o600)
        self.stdout.write(text)
