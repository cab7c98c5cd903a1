"""Benchmark: a longer schemathesis run over the whole API, as every role that has a token.

The test suite's fuzzing (tests/api/test_schema_fuzz.py) runs a small, fixed budget on the
test cast; this runs the same engine and checks (tests/api/fuzzing.py: no 5xx, every status
and body as the schema documents) with more generated requests an operation, over the demo
data (``provide demo-data``: three BCUs, a few days of cases, visits, referrals and the IDVA
tracker) and as each of the eight demo users in turn. It prints, per role and in total, the
operations, the requests sent, the answers by status and the failures, with each failure's
curl command, and exits 1 if there was any.

    .venv/bin/python benchmarks/api_fuzz.py [--examples 100] [--seed 16] [--days 3]
        [--roles triage_sergeant,health_idva] [--database-url sqlite:///var/bench-api-fuzz.sqlite3]

The database named in ``--database-url`` (SQLite only) is deleted and re-created: never point
it at real data. Figures go in docs/benchmarks.md with the date and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE = "sqlite:///var/bench-api-fuzz.sqlite3"
STATES = ("new", "triaged", "accepted", "planned", "attempted", "seen", "awaiting_visit", "open")
KNOWN_PER_KIND = 40
"""Real ids offered to the fuzzer for each kind of record (the first of each, by key)."""


def _fresh_sqlite(url: str) -> None:
    if not url.startswith("sqlite:///"):
        raise SystemExit("api_fuzz.py runs on a SQLite file it may delete: sqlite:///var/...")
    path = Path(url.removeprefix("sqlite:///"))
    path = path if path.is_absolute() else REPOSITORY / path
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _known() -> dict[str, list[str]]:
    from provide.areas.models import Area
    from provide.cases.models import Case
    from provide.health.models import SupportRecord
    from provide.intake.models import Investigation
    from provide.people.models import Person
    from provide.safeguarding.models import Referral
    from provide.triage.models import TriageDecision
    from provide.visits.models import Visit

    def ids(model: object) -> list[str]:
        rows = model.objects.order_by("pk").values_list("public_id", flat=True)  # type: ignore[attr-defined]
        return [str(i) for i in rows[:KNOWN_PER_KIND]]

    return {
        "cases": ids(Case),
        "investigations": ids(Investigation),
        "people": ids(Person),
        "visits": ids(Visit),
        "support_records": ids(SupportRecord),
        "referrals": ids(Referral),
        "decisions": ids(TriageDecision),
        "bcus": list(Area.objects.filter(kind=Area.Kind.BCU).values_list("name", flat=True)),
        "states": list(STATES),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=100, help="generated requests an operation")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--days", type=int, default=3, help="days of demo data")
    parser.add_argument("--roles", default="", help="comma-separated role slugs (default: all)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    args = parser.parse_args()

    _fresh_sqlite(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ["PROVIDE_INSECURE_COOKIES"] = "true"  # plain HTTP in this process, as `make run`
    os.environ["DJANGO_SETTINGS_MODULE"] = "provide.config.settings"
    sys.path.insert(0, str(REPOSITORY))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from tests.api.fuzzing import FuzzReport, fuzz_api

    from provide.accounts.models import User
    from provide.accounts.roles import ALL_ROLES
    from provide.api.tokens import api_token_issue
    from provide.demo.services import demo_data_load

    call_command("migrate", verbosity=0)
    demo = demo_data_load(end_on=timezone.localdate(), days=args.days, seed=args.seed)
    known = _known()
    roles = {role.slug: role for role in ALL_ROLES}
    slugs = [s for s in args.roles.split(",") if s] or list(roles)
    total = FuzzReport()
    started = time.perf_counter()
    for slug in slugs:
        user = User.objects.get(username=demo.users[roles[slug].name])
        token = api_token_issue(user=user, issued_by="api fuzz benchmark").key
        began = time.perf_counter()
        report = fuzz_api(token=token, examples=args.examples, seed=args.seed, known=known)
        print(f"{slug}: {report.summary()} in {time.perf_counter() - began:.0f} s", flush=True)
        for failure in report.failures:
            print("  " + failure)
        total.operations = max(total.operations, report.operations)
        total.requests += report.requests
        total.statuses.update(report.statuses)
        total.server_errors += report.server_errors
        total.schema_mismatches += report.schema_mismatches
        total.errors += report.errors
    load = os.getloadavg()
    print(
        f"api-fuzz, {len(slugs)} roles x {args.examples} examples an operation, seed {args.seed}: "
        f"{total.summary()} in {time.perf_counter() - started:.0f} s"
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {load[0]:.1f}, {timezone.localdate()}"
    )
    return 1 if total.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
