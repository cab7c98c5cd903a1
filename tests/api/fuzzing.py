"""Run schemathesis over the API in this process, for the fuzzing test and its benchmark.

:func:`fuzz_api` loads ``/api/schema/`` from the WSGI application with a token, and runs
schemathesis's engine (the ``st run`` machinery) over every operation: its coverage phase
(boundary and malformed values of every parameter and field) and its fuzzing phase
(``examples`` generated requests an operation, valid and invalid), one worker, a fixed seed
and deterministic generation, so a run repeats exactly. Path ids, BCU names and states are
drawn half the time from ``known`` (real records), so requests reach past the 404s into the
views' logic; board dates and incident and visit times likewise from :data:`EDGES` (year 1,
year 9999, just outside 1900-2199), where date arithmetic overflows. The checks: no 5xx
(``not_a_server_error``), every status documented (``status_code_conformance``), every body
as documented (``response_schema_conformance``).
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.engine import events, from_schema

from provide.config.wsgi import application

CHECKS = ("not_a_server_error", "status_code_conformance", "response_schema_conformance")
SERVER_ERROR = "not_a_server_error"
KNOWN_SHARE = 0.5
"""How often a parameter with known values takes one of them rather than a generated one."""
KNOWN_PARAMETERS: dict[str, dict[str, str]] = {
    # operation path (regex; the first that matches applies) -> {parameter: list of values}
    r"^/api/cases/\{public_id\}/attempts/$": {
        "path.public_id": "cases",
        "body.arrived_at": "edge_moments",
    },
    r"^/api/cases/\{public_id\}/": {"path.public_id": "cases"},
    r"^/api/investigations/\{public_id\}/": {"path.public_id": "investigations"},
    r"^/api/people/\{public_id\}/": {"path.public_id": "people"},
    r"^/api/visits/\{public_id\}/": {"path.public_id": "visits"},
    r"^/api/support-records/\{public_id\}/": {"path.public_id": "support_records"},
    r"^/api/referrals/\{public_id\}/": {"path.public_id": "referrals"},
    r"^/api/triage/decisions/\{public_id\}/": {"path.public_id": "decisions"},
    r"^/api/cases/$": {"query.bcu": "bcus", "query.state": "states"},
    r"^/api/triage/queue/$": {"query.bcu": "bcus", "query.date": "edge_days"},
    r"^/api/triage/decisions/$": {
        "query.investigation": "investigations",
        "body.investigation": "investigations",
    },
    r"^/api/incidents/$": {
        "body.bcu": "bcus",
        "body.occurred_at": "edge_moments",
        "body.victim.date_of_birth": "edge_days",
    },
}
EDGES: dict[str, list[str]] = {
    # dates and times at the ends of what Python holds, and just outside what Provide takes
    "edge_days": ["0001-01-01", "0001-01-02", "9999-12-31", "1899-12-31", "2200-01-01"],
    "edge_moments": [
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:30:00+14:00",
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:00:00-12:00",
        "1899-12-31T23:59:59Z",
    ],
}


@dataclass
class FuzzReport:
    """What a run did: operations tested, requests sent, answers by status, and failures."""

    operations: int = 0
    requests: int = 0
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    server_errors: list[str] = field(default_factory=list)
    schema_mismatches: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        return self.server_errors + self.schema_mismatches + self.errors

    def summary(self) -> str:
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        return (
            f"{self.operations} operations, {self.requests} requests ({statuses}); "
            f"{len(self.server_errors)} server errors, "
            f"{len(self.schema_mismatches)} schema mismatches, {len(self.errors)} errors"
        )


def fuzz_config(
    *, token: str, examples: int, seed: int, known: dict[str, list[str]]
) -> schemathesis.Config:
    """The run's configuration (the same keys as a ``schemathesis.toml``)."""
    known = {**EDGES, **known}
    dictionaries = {name: {"values": values} for name, values in known.items() if values}
    operations = [
        {
            "include-path-regex": path,
            "parameters": {
                parameter: {"dictionary": name, "probability": KNOWN_SHARE}
                for parameter, name in bindings.items()
                if name in dictionaries
            },
        }
        for path, bindings in KNOWN_PARAMETERS.items()
        if any(name in dictionaries for name in bindings.values())
    ]
    return schemathesis.Config.from_dict(
        {
            "seed": seed,
            "headers": {"Authorization": f"Token {token}"},
            "workers": 1,
            "continue-on-failure": True,
            "suppress-health-check": ["all"],
            "generation": {"max-examples": examples, "deterministic": True, "mode": "all"},
            "phases": {"stateful": {"enabled": False}},
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "dictionaries": dictionaries,
            "operations": operations,
        }
    )


def fuzz_api(
    *, token: str, examples: int, seed: int = 16, known: dict[str, list[str]] | None = None
) -> FuzzReport:
    """Fuzz every operation of the API as the token's user; see the module docstring."""
    config = fuzz_config(token=token, examples=examples, seed=seed, known=known or {})
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json",
        application,
        config=config,
        headers={"Authorization": f"Token {token}"},
    )
    report = FuzzReport()
    labels: set[str] = set()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            labels.add(event.recorder.label)
            _record(report, event.recorder)
        elif isinstance(event, events.NonFatalError):
            report.errors.append(f"{event.label}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            report.errors.append(f"fatal: {event.exception!r}")
    report.operations = len(labels)
    return report


def _record(report: FuzzReport, recorder: Any) -> None:
    for interaction in recorder.interactions.values():
        report.requests += 1
        if interaction.response is not None:
            report.statuses[interaction.response.status_code] += 1
    for checks in recorder.checks.values():
        for check in checks:
            if check.failure_info is None:
                continue
            failure = check.failure_info.failure
            line = (
                f"{recorder.label}: {check.name}: {failure.title}: "
                f"{' '.join(failure.message.split())[:300]}\n    {check.failure_info.code_sample}"
            )
            target = (
                report.server_errors if check.name == SERVER_ERROR else report.schema_mismatches
            )
            if line not in target:
                target.append(line)
