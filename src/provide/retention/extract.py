"""The analysts' extract: one CSV per table, pseudonymised, in a ZIP.

Row-level, with no direct identifier at all: no name, date of birth, address, postcode,
coordinates, phone number, reference number or free text. People, investigations, visits and
the rest are named by keyed pseudonyms (HMAC-SHA256 of the row's public id,
:mod:`provide.retention.pseudonyms`), so rows join across tables, and across extracts made with
the same key. Dates are made coarse to the week (its Monday) or the month; ages are bands on the
day of the extract. Only police-side and joint records are in it: the IDVA's tracker, NHS
numbers and appointments never leave through this door, nor anyone only the health side knows.

Each table is declared as data (:data:`TABLES`): its model and its columns, each column one
:class:`Cell` that names the fields it reads and how it turns them into text. A column can only
be one of these kinds, so free text has no way in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count, Q

from provide.cases.models import Case
from provide.intake.models import CustodyEpisode, Investigation, RiskAssessment
from provide.people.models import Person
from provide.retention.pseudonyms import pseudonym
from provide.retention.rules import age_on, london_date, week_start
from provide.safeguarding.models import HandoverTask, MaracCase, ProtectiveMeasure, Referral
from provide.triage.models import TriageDecision
from provide.visits.models import Visit

COARSENING = ("week", "month")
AGE_BANDS: tuple[tuple[int, str], ...] = (
    (18, "under 18"),
    (25, "18-24"),
    (35, "25-34"),
    (45, "35-44"),
    (55, "45-54"),
    (65, "55-64"),
    (200, "65+"),
)


@dataclass(frozen=True)
class Options:
    key: bytes
    coarsen: str
    today: dt.date


@dataclass(frozen=True)
class Cell:
    """One column's value: the fields it reads from a row and how it writes them."""

    fields: tuple[str, ...]
    write: Callable[[Options, Sequence[Any]], object]


def key(kind: str, source: str) -> Cell:
    """A keyed pseudonym of a public id ("" when there is none)."""
    return Cell((source,), lambda o, v: "" if v[0] is None else pseudonym(kind, v[0], key=o.key))


def when(source: str) -> Cell:
    """A date or moment as its week's Monday (YYYY-MM-DD) or its month (YYYY-MM)."""

    def write(o: Options, v: Sequence[Any]) -> str:
        if v[0] is None:
            return ""
        day = london_date(v[0]) if isinstance(v[0], dt.datetime) else v[0]
        return week_start(day).isoformat() if o.coarsen == "week" else f"{day:%Y-%m}"

    return Cell((source,), write)


def code(source: str) -> Cell:
    """A stored code, a number or a name of an area (never free text)."""
    return Cell((source,), lambda o, v: "" if v[0] is None else v[0])


def codes(source: str) -> Cell:
    """A list of codes, joined with ``;``."""
    return Cell((source,), lambda o, v: ";".join(str(item) for item in v[0] or ()))


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def flag(source: str) -> Cell:
    return Cell((source,), lambda o, v: _yes_no(v[0]))


def any_of(*sources: str) -> Cell:
    """yes when any of the yes/no fields is yes."""
    return Cell(sources, lambda o, v: _yes_no(any(v)))


def present(source: str) -> Cell:
    """yes when the field is filled (e.g. a regrade points at what it regrades)."""
    return Cell((source,), lambda o, v: _yes_no(v[0] is not None))


def hours(start: str, end: str) -> Cell:
    """Hours from one moment to another, to a tenth."""
    return Cell(
        (start, end),
        lambda o, v: (
            "" if v[0] is None or v[1] is None else f"{(v[1] - v[0]).total_seconds() / 3600:.1f}"
        ),
    )


def by_deadline(done: str, due: str) -> Cell:
    """yes when ``done`` came no later than ``due``."""
    return Cell((done, due), lambda o, v: "" if None in (v[0], v[1]) else _yes_no(v[0] <= v[1]))


def age_band(source: str) -> Cell:
    def write(o: Options, v: Sequence[Any]) -> str:
        if v[0] is None:
            return ""
        age = age_on(v[0], o.today)
        return next(label for limit, label in AGE_BANDS if age < limit)

    return Cell((source,), write)


@dataclass(frozen=True)
class TableSpec:
    name: str
    model: type[models.Model]
    columns: tuple[tuple[str, Cell], ...]
    annotate: dict[str, Any] = field(default_factory=dict)
    only_named: bool = False
    """People: only those a police-side or joint record names."""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: list[tuple[object, ...]]


TABLES: tuple[TableSpec, ...] = (
    TableSpec("people", Person, (
        ("person", key("person", "public_id")),
        ("sex", code("sex")),
        ("age_band", age_band("date_of_birth")),
        ("district", code("district__name")),
        ("vulnerabilities", codes("vulnerabilities")),
        ("children_in_household", code("children_in_household")),
        ("interpreter_needed", flag("interpreter_needed")),
        ("safe_contact_restrictions", any_of("no_messages", "suspect_may_answer", "no_letters", "no_sms")),
    ), only_named=True),
    TableSpec("investigations", Investigation, (
        ("investigation", key("investigation", "public_id")),
        ("victim", key("person", "victim__public_id")),
        ("suspect", key("person", "suspect__public_id")),
        ("bcu", code("bcu__name")),
        ("district", code("district__name")),
        ("recorded", when("recorded_at")),
        ("hours_to_first_police_visit", hours("recorded_at", "first_police_visit_at")),
        ("crime_or_incident", code("crime_or_incident")),
        ("relationship", code("relationship")),
        ("abuse_types", codes("abuse_types")),
        ("risk_grade", code("risk_grade")),
        ("children_present", flag("children_present")),
        ("victim_pregnant", flag("victim_pregnant")),
        ("injuries", flag("injuries")),
        ("weapons", flag("weapons")),
        ("outcome_code", code("outcome_code")),
        ("outcome", when("outcome_on")),
        ("source", code("source")),
    )),
    TableSpec("risk_assessments", RiskAssessment, (
        ("risk_assessment", key("risk_assessment", "public_id")),
        ("investigation", key("investigation", "investigation__public_id")),
        ("victim", key("person", "victim__public_id")),
        ("tool", code("tool")),
        ("tool_version", code("tool_version")),
        ("yes_count", code("yes_count")),
        ("grade", code("grade")),
        ("assessed", when("assessed_at")),
        ("is_regrade", present("regrade_of_id")),
    )),
    TableSpec("custody", CustodyEpisode, (
        ("custody", key("custody", "public_id")),
        ("investigation", key("investigation", "investigation__public_id")),
        ("suspect", key("person", "suspect__public_id")),
        ("status", code("status")),
        ("arrested", when("arrested_at")),
        ("hours_in_custody", hours("arrested_at", "released_at")),
    )),
    TableSpec("cases", Case, (
        ("case", key("case", "public_id")),
        ("investigation", key("investigation", "investigation__public_id")),
        ("state", code("state")),
        ("high_risk", flag("high_risk")),
        ("decision", code("decision")),
        ("attempts", code("attempts")),
        ("accepted", when("accepted_at")),
        ("hours_to_seen", hours("clock_started_at", "clock_stopped_at")),
        ("seen_within_clock", by_deadline("clock_stopped_at", "clock_due_at")),
        ("seen", when("seen_at")),
        ("closed", when("closed_at")),
    )),
    TableSpec("triage_decisions", TriageDecision, (
        ("triage_decision", key("triage_decision", "public_id")),
        ("investigation", key("investigation", "investigation__public_id")),
        ("decision", code("decision")),
        ("priority_score", code("priority_score")),
        ("eligibility_overridden", flag("eligibility_overridden")),
        ("eligible_by_policy", flag("eligible_by_policy")),
        ("policy_version", code("policy__version")),
        ("decided", when("decided_at")),
    )),
    TableSpec("visits", Visit, (
        ("visit", key("visit", "public_id")),
        ("investigation", key("investigation", "investigation__public_id")),
        ("victim", key("person", "victim__public_id")),
        ("mode", code("mode")),
        ("planned", when("planned_at")),
        ("visited", when("arrived_at")),
        ("place_type", code("place_type")),
        ("suspect_present", flag("suspect_present")),
        ("contact_result", code("contact_result")),
        ("support_accepted", flag("support_accepted")),
        ("referrals_made", codes("referrals_made")),
        ("record_status", code("record_status")),
    )),
    TableSpec("referrals", Referral, (
        ("referral", key("referral", "public_id")),
        ("victim", key("person", "victim__public_id")),
        ("investigation", key("investigation", "investigation__public_id")),
        ("visit", key("visit", "visit__public_id")),
        ("target", code("target")),
        ("status", code("status")),
        ("consent", code("consent")),
        ("victim_aware", flag("victim_aware")),
        ("created", when("created_at")),
        ("closed", when("closed_at")),
    )),
    TableSpec("marac_cases", MaracCase, (
        ("marac_case", key("marac_case", "public_id")),
        ("victim", key("person", "victim__public_id")),
        ("criterion", code("criterion")),
        ("meeting", when("meeting_on")),
        ("is_repeat", flag("is_repeat")),
        ("actions", code("n_actions")),
        ("actions_done", code("n_done")),
    ), annotate={"n_actions": Count("actions"),
                 "n_done": Count("actions", filter=Q(actions__done_at__isnull=False))}),
    TableSpec("protective_measures", ProtectiveMeasure, (
        ("protective_measure", key("protective_measure", "public_id")),
        ("victim", key("person", "victim__public_id")),
        ("investigation", key("investigation", "investigation__public_id")),
        ("kind", code("kind")),
        ("status", code("status")),
        ("issued", when("issued_at")),
    )),
    TableSpec("handover_tasks", HandoverTask, (
        ("handover_task", key("handover_task", "public_id")),
        ("victim", key("person", "victim__public_id")),
        ("investigation", key("investigation", "investigation__public_id")),
        ("bcu", code("team__name")),
        ("status", code("status")),
        ("source", code("source")),
        ("created", when("created_at")),
        ("done", when("done_at")),
    )),
)  # fmt: skip
"""Every table of the extract, in the order of the files."""


def _named_by_police_records() -> set[int]:
    """The people a police-side or joint record names (not those only the health side knows)."""
    named: set[int] = set()
    for victim, suspect in Investigation.objects.values_list("victim_id", "suspect_id"):
        named.update(person for person in (victim, suspect) if person is not None)
    named.update(CustodyEpisode.objects.values_list("suspect_id", flat=True))
    for model in (RiskAssessment, Visit, Referral, MaracCase, ProtectiveMeasure, HandoverTask):
        named.update(model._default_manager.values_list("victim_id", flat=True))
    return named


def _table(spec: TableSpec, options: Options) -> Table:
    sources = list(dict.fromkeys(source for _name, cell in spec.columns for source in cell.fields))
    query = spec.model._default_manager.annotate(**spec.annotate).order_by("pk")
    named = _named_by_police_records() if spec.only_named else None
    rows = []
    for values in query.values_list("pk", *sources):
        if named is not None and values[0] not in named:
            continue
        row = dict(zip(sources, values[1:], strict=True))
        rows.append(
            tuple(
                cell.write(options, [row[s] for s in cell.fields]) for _name, cell in spec.columns
            )
        )
    return Table(spec.name, tuple(name for name, _cell in spec.columns), rows)


def extract_tables(*, key: bytes, coarsen: str, today: dt.date) -> list[Table]:
    """Every table of the extract. Not access-checked: see the service.

    Raises
    ------
    ValueError
        ``coarsen`` is not week or month.
    """
    if coarsen not in COARSENING:
        raise ValueError(f"coarsen must be week or month, not {coarsen!r}")
    options = Options(key=key, coarsen=coarsen, today=today)
    return [_table(spec, options) for spec in TABLES]


README = """Provide: pseudonymised extract for analysts ({today}, dates by {coarsen})

One CSV file per table. No names, dates of birth, addresses, postcodes, phone numbers,
reference numbers or free text. People, investigations and other records are named by keyed
pseudonyms (HMAC-SHA256): the same record has the same pseudonym in every table, and in every
extract made with the same key. Dates are {dates}. Ages are bands on {today}.
Codes (risk grades, abuse types, outcome types ...) are as stored; see the programme's glossary.

Not included: the health side (the IDVA's tracker, NHS numbers, appointments).
The rows are personal data in pseudonymised form: keep them on the university's secure
system under the data-sharing agreement, never try to re-identify anyone, and publish only
aggregate figures with counts below 5 suppressed.

Tables and rows: {counts}
"""


def _csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return buffer.getvalue()


def extract_zip(tables: Sequence[Table], *, coarsen: str, today: dt.date) -> bytes:
    """The tables as CSV files in a ZIP, with a README first."""
    dates = (
        "the Monday of their week (YYYY-MM-DD)" if coarsen == "week" else "their month (YYYY-MM)"
    )
    counts = ", ".join(f"{table.name} {len(table.rows)}" for table in tables)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(today=today.isoformat(), coarsen=coarsen, dates=dates, counts=counts),
        )
        for table in tables:
            archive.writestr(f"{table.name}.csv", _csv(table))
    return buffer.getvalue()
