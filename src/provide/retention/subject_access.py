"""Subject access: everything one side holds on one person, for that side's controller.

The **police** export (the force is the controller under the Data Protection Act 2018, Part 3)
holds the person's record, every investigation naming them, custody, cases and their history,
triage decisions, visits, consultations and safeguarding records. Where the person is only the
suspect, the victim's own records (risk assessments, visits, safeguarding) are left out: they are
the victim's data. The **health** export (the NHS trust is the controller under the UK GDPR)
holds the person's identity as the trust uses it, the NHS number, appointments, the IDVA's
tracker records with their notes, and the joint visit facts those records point to.

Neither export reads the other side's tables: the police export never touches the ``health``
models, and the health export never reads an investigation or a police record. Records about a
duplicate merged into the person are included with the person's own.

:func:`subject_access_zip` packs one export as a ZIP: the data as JSON, a readable HTML summary
and a short README. The service that checks the user and audits the export is
:func:`provide.retention.services.subject_access_export`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string

from provide.cases.models import Case, CaseEvent
from provide.health.models import HealthAppointment, HealthIdentity, SupportRecord
from provide.intake.models import CustodyEpisode, Investigation, RiskAssessment
from provide.people.models import Person, PersonMatch, PersonMerge
from provide.retention.models import LegalHold, Side
from provide.safeguarding.models import (
    HandoverTask,
    MaracAction,
    MaracCase,
    ProtectiveMeasure,
    Referral,
)
from provide.triage.models import TriageDecision
from provide.visits.models import Consultation, PoliceVisitRecord, Visit

JOINT_VISIT_FIELDS = (
    "public_id",
    "mode",
    "planned_at",
    "arrived_at",
    "place_type",
    "contact_result",
    "support_accepted",
    "referrals_made",
    "record_status",
)
"""The joint record both sides hold: what the health export shows of a visit."""
HEALTH_IDENTITY_FIELDS = (
    "public_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "gender",
)
"""What the health export shows of the shared person record: who the trust's records are about."""
HIDDEN_FIELDS = frozenset({"id"})
NAMED_BY_TEXT = frozenset(
    {
        "accounts.user",
        "areas.area",
        "triage.triagepolicy",
        "safeguarding.referralservice",
        "planning.shift",
    }
)
"""Related records shown by their name (staff, areas, policies, services); others by public id."""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: list[dict[str, Any]]
    fields: dict[str, tuple[str, bool]]
    """Field name -> (its label, whether its value is a code or a list of codes)."""

    def readable(self) -> list[list[tuple[str, Any, bool]]]:
        """Each row as (label, value, is a code) for the summary: a person as their name,
        yes/no in words, and nothing as a dash."""
        return [
            [
                (
                    self.fields[name][0],
                    _readable(value),
                    self.fields[name][1] and value not in (None, "", []),
                )
                for name, value in row.items()
            ]
            for row in self.rows
        ]


def _readable(value: Any) -> Any:
    if isinstance(value, dict) and "name" in value:
        return value["name"]
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    return value


@dataclass(frozen=True)
class SubjectAccessExport:
    side: str
    person: Person
    sections: list[Section]
    generated_at: dt.datetime
    others_named: int
    """How many other people the records name (third-party information to review)."""

    def as_json(self) -> dict[str, Any]:
        return {
            "format": "provide-subject-access/1",
            "controller": "police force" if self.side == Side.POLICE else "NHS trust",
            "side": self.side,
            "subject": str(self.person.public_id),
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "other_people_named": self.others_named,
            "sections": {section.key: section.rows for section in self.sections},
        }


class _Rows:
    """Turns model rows into plain JSON values, noting the other people they name."""

    def __init__(self, people: Sequence[Person]) -> None:
        self.subject_ids = {person.pk for person in people}
        self.others: set[int] = set()

    def value(self, field: models.Field[Any, Any], obj: models.Model) -> Any:
        if field.is_relation:
            related = getattr(obj, field.name)
            if related is None:
                return None
            if isinstance(related, Person):
                if related.pk not in self.subject_ids:
                    self.others.add(related.pk)
                return {"public_id": str(related.public_id), "name": str(related)}
            if related._meta.label_lower in NAMED_BY_TEXT:
                return str(related)
            return str(getattr(related, "public_id", related.pk))
        raw = getattr(obj, field.attname)
        if isinstance(raw, dt.datetime | dt.date):
            return raw.isoformat()
        if raw is None or isinstance(raw, str | int | float | bool | list | dict):
            return raw
        return str(raw)

    def section(
        self,
        key: str,
        title: str,
        records: Iterable[models.Model],
        only: Sequence[str] | None = None,
        leave_out: Iterable[str] = (),
    ) -> Section:
        rows: list[dict[str, Any]] = []
        fields: dict[str, tuple[str, bool]] = {}
        left_out = HIDDEN_FIELDS | set(leave_out)
        for obj in records:
            chosen = (
                [cast("models.Field[Any, Any]", obj._meta.get_field(name)) for name in only]
                if only
                else [field for field in obj._meta.concrete_fields if field.name not in left_out]
            )
            row = {}
            for field in chosen:
                row[field.name] = self.value(field, obj)
                fields.setdefault(
                    field.name,
                    (
                        str(field.verbose_name).capitalize(),
                        isinstance(field, models.JSONField) or bool(field.choices),
                    ),
                )
            rows.append(row)
        return Section(key, title, rows, fields)


def _people(person: Person) -> list[Person]:
    """The person and every duplicate merged into them (and into those)."""
    found, frontier = [person], [person.pk]
    while frontier:
        merged = list(Person.objects.filter(merged_into__in=frontier).order_by("pk"))
        found += merged
        frontier = [p.pk for p in merged]
    return found


def _police_sections(rows: _Rows, people: list[Person]) -> list[Section]:
    ids = [p.pk for p in people]
    as_victim = Investigation.objects.filter(victim__in=ids)
    named = (
        Investigation.objects.filter(Q(victim__in=ids) | Q(suspect__in=ids))
        .select_related("victim", "suspect", "bcu", "district")
        .order_by("recorded_at", "pk")
    )
    cases = (
        Case.objects.filter(investigation__in=as_victim)
        .select_related("investigation")
        .order_by("pk")
    )
    visits = (
        Visit.objects.filter(victim__in=ids)
        .select_related("victim", "investigation")
        .order_by("pk")
    )
    marac = (
        MaracCase.objects.filter(victim__in=ids)
        .select_related("victim")
        .order_by("meeting_on", "pk")
    )
    return [
        rows.section("person", "Person record", people, leave_out=()),
        rows.section("investigations", "Investigations naming the person", named),
        rows.section(
            "risk_assessments",
            "Risk assessments",
            RiskAssessment.objects.filter(victim__in=ids)
            .select_related("victim", "investigation")
            .order_by("assessed_at", "pk"),
        ),
        rows.section(
            "custody",
            "Custody episodes",
            CustodyEpisode.objects.filter(suspect__in=ids)
            .select_related("suspect", "investigation")
            .order_by("arrested_at", "pk"),
        ),
        rows.section("cases", "Cases", cases),
        rows.section(
            "case_history",
            "Case history",
            CaseEvent.objects.filter(case__in=cases).select_related("case").order_by("case", "pk"),
        ),
        rows.section(
            "triage_decisions",
            "Triage decisions",
            TriageDecision.objects.filter(investigation__in=as_victim)
            .select_related("investigation", "policy")
            .order_by("decided_at", "pk"),
        ),
        rows.section("visits", "Visits", visits, leave_out=("lock_version",)),
        rows.section(
            "police_visit_records",
            "Police visit records",
            PoliceVisitRecord.objects.filter(visit__in=visits)
            .select_related("visit")
            .order_by("pk"),
        ),
        rows.section(
            "consultations",
            "Consultations with an IDVA",
            Consultation.objects.filter(investigation__in=as_victim)
            .select_related("investigation")
            .order_by("asked_at", "pk"),
        ),
        rows.section(
            "referrals",
            "Referrals",
            Referral.objects.filter(victim__in=ids)
            .select_related("victim", "service")
            .order_by("pk"),
        ),
        rows.section("marac_cases", "MARAC cases", marac),
        rows.section(
            "marac_actions",
            "MARAC actions",
            MaracAction.objects.filter(case__in=marac).select_related("case").order_by("pk"),
        ),
        rows.section(
            "protective_measures",
            "Protective measures",
            ProtectiveMeasure.objects.filter(victim__in=ids)
            .select_related("victim")
            .order_by("pk"),
        ),
        rows.section(
            "handover_tasks",
            "Hand-over tasks",
            HandoverTask.objects.filter(victim__in=ids)
            .select_related("victim", "team")
            .order_by("pk"),
        ),
        rows.section(
            "possible_duplicates",
            "Possible duplicate records reviewed",
            PersonMatch.objects.filter(Q(person__in=ids) | Q(candidate__in=ids))
            .select_related("person", "candidate")
            .order_by("pk"),
        ),
        rows.section(
            "merges",
            "Records merged",
            PersonMerge.objects.filter(Q(duplicate__in=ids) | Q(survivor__in=ids))
            .select_related("duplicate", "survivor")
            .order_by("pk"),
        ),
        rows.section(
            "legal_holds",
            "Legal holds",
            LegalHold.objects.filter(person__in=ids, side=Side.POLICE)
            .select_related("person")
            .order_by("pk"),
        ),
    ]


def _health_sections(rows: _Rows, people: list[Person]) -> list[Section]:
    ids = [p.pk for p in people]
    records = (
        SupportRecord.objects.filter(victim__in=ids)
        .select_related("victim", "bcu", "visit", "idva")
        .order_by("idva_visit_at", "pk")
    )
    visits = Visit.objects.filter(support_record__in=records).order_by("pk")
    return [
        rows.section("person", "Who the records are about", people, only=HEALTH_IDENTITY_FIELDS),
        rows.section(
            "nhs_identity",
            "NHS number",
            HealthIdentity.objects.filter(person__in=ids).select_related("person").order_by("pk"),
        ),
        rows.section(
            "appointments",
            "NHS appointments",
            HealthAppointment.objects.filter(person__in=ids)
            .select_related("person")
            .order_by("starts_at", "pk"),
        ),
        rows.section(
            "tracker_records", "IDVA tracker records", records, leave_out=("investigation",)
        ),
        rows.section(
            "joint_visits",
            "Visits these records are about (the joint record)",
            visits,
            only=JOINT_VISIT_FIELDS,
        ),
        rows.section(
            "legal_holds",
            "Legal holds",
            LegalHold.objects.filter(person__in=ids, side=Side.HEALTH)
            .select_related("person")
            .order_by("pk"),
        ),
    ]


def subject_access_build(*, person: Person, side: str, now: dt.datetime) -> SubjectAccessExport:
    """Everything ``side`` holds on ``person``. Not access-checked: see the service.

    Raises
    ------
    ValueError
        ``side`` is not police or health.
    """
    people = _people(person)
    rows = _Rows(people)
    if side == Side.POLICE:
        sections = _police_sections(rows, people)
    elif side == Side.HEALTH:
        sections = _health_sections(rows, people)
    else:
        raise ValueError(f"side must be police or health, not {side!r}")
    return SubjectAccessExport(
        side=side, person=person, sections=sections, generated_at=now, others_named=len(rows.others)
    )


README = """Subject-access export from Provide ({controller}).

subject-access.json  everything this side holds on the person, by section (one object per record)
summary.html         the same, to read or print

Only the {side} side is here: the other controller answers for its own records.
Other people are named in {others} place(s) (for example the other party to an investigation):
review third-party information, and any exemption, before anything is sent to the requester.
This file holds personal data: keep it on an encrypted, access-controlled drive and delete it
when the request is closed.
"""


def subject_access_zip(export: SubjectAccessExport) -> bytes:
    """The export as a ZIP of JSON, an HTML summary and a README."""
    document = export.as_json()
    html = render_to_string(
        "retention/subject_access_summary.html", {"export": export, "document": document}
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "subject-access.json", json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        )
        archive.writestr("summary.html", html)
        archive.writestr(
            "README.txt",
            README.format(
                controller=document["controller"], side=export.side, others=export.others_named
            ),
        )
    return buffer.getvalue()
