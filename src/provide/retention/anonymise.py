"""Strip identity from the rows an assessment found due, keeping what the evaluation counts.

Every row is kept. What goes:

* names, dates of birth, addresses, coordinates, phone numbers, languages and every free-text
  field (notes, reasons, minutes, advice, evidence, outcomes in words);
* references that lead back to another system (the force's person id, the crime and incident
  numbers, custody numbers, the IDVA tracker id): each becomes ``ANON-`` and the row's own
  random public id, so links between rows survive and nothing leads outside;
* NHS numbers (the row holding one is deleted: it holds nothing else).

What is made coarse: every date and time becomes the first of its month (London), with three
exceptions that keep the evaluation's figures as they were (docs/retention.md):

* a tracker row's IDVA visit keeps its hour of day, and the police visit its distance before it
  (:func:`~provide.retention.rules.tracker_times`);
* an investigation's time is made coarse to the month unless that would change whether it, or
  another investigation of the same victim or suspect, counts as a repeat within 365 days, or
  whether its 365-day follow-up is complete; then to the day, and in the rare case the day would
  too, it is kept (:func:`~provide.retention.rules.recorded_precision`). The latest
  investigation of all keeps its time while it is the latest (the follow-up ends there);
* an NHS appointment keeps its length.

What stays: the rows, their links, outcomes, risk grades, abuse types, counts, the BCU and the
district, codes and yes/no answers. Writes go straight to the other apps' tables with
``QuerySet.update`` and ``bulk_update``; :func:`provide.retention.services.retention_run` is the
only caller, inside its transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Max

from provide.cases.models import Case, CaseEvent
from provide.health.models import HealthAppointment, HealthIdentity, SupportRecord
from provide.intake.models import CustodyEpisode, Investigation, RiskAssessment
from provide.people.models import Person, PersonMatch, PersonMerge
from provide.retention.assessment import PEOPLE_TYPE, Assessment
from provide.retention.models import AnonymisedRecord, LegalHold, RetentionRun, Side
from provide.retention.rules import (
    appointment_times,
    coarsen_recorded,
    postcode_district,
    recorded_precision,
    to_month,
    tracker_times,
)
from provide.retention.units import Unit
from provide.safeguarding.models import (
    HandoverTask,
    MaracAction,
    MaracCase,
    ProtectiveMeasure,
    Referral,
)
from provide.triage.models import TriageDecision
from provide.visits.models import Consultation, PoliceVisitRecord, Visit

TOKEN_PREFIX = "ANON-"  # noqa: S105  (a marker, not a password)
BATCH = 500
STAMPS = ("created_at", "updated_at")
HANDOVER_TITLE = "Hand-over task (anonymised)"


@dataclass(frozen=True)
class Treatment:
    """What happens to one model's fields: emptied, set to null, set to a value, or made coarse."""

    model: type[models.Model]
    blank: tuple[str, ...] = ()
    null: tuple[str, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)
    month: tuple[str, ...] = STAMPS


TREATMENTS: dict[str, Treatment] = {
    "intake.investigation": Treatment(
        Investigation,
        blank=("incident_ref", "offence"),
        null=("latitude", "longitude", "suspect_expected_release_at"),
        month=("first_police_visit_at", "outcome_on", *STAMPS),
    ),
    "intake.riskassessment": Treatment(
        RiskAssessment,
        blank=("rationale", "regrade_reason", "assessed_by_name"),
        values={"answers": []},
        month=("assessed_at", *STAMPS),
    ),
    "intake.custodyepisode": Treatment(
        CustodyEpisode, month=("arrested_at", "expected_release_at", "released_at", *STAMPS)
    ),
    "cases.case": Treatment(
        Case,
        blank=("closed_reason", "escalation_reason"),
        month=(
            "accepted_at",
            "clock_started_at",
            "clock_due_at",
            "clock_stopped_at",
            "last_attempt_at",
            "next_attempt_due_at",
            "escalated_at",
            "seen_at",
            "handed_over_at",
            "closed_at",
            *STAMPS,
        ),
    ),
    "cases.caseevent": Treatment(CaseEvent, blank=("reason",), month=("happened_at", *STAMPS)),
    "triage.triagedecision": Treatment(
        TriageDecision,
        blank=("reasons", "eligibility_reason"),
        values={"score_explanation": []},
        month=("scored_at", "due_by", "decided_at", *STAMPS),
    ),
    "visits.visit": Treatment(Visit, month=("planned_at", "arrived_at", *STAMPS)),
    "visits.policevisitrecord": Treatment(PoliceVisitRecord, blank=("safety_actions",)),
    "visits.consultation": Treatment(
        Consultation, blank=("topic", "advice"), month=("asked_at", *STAMPS)
    ),
    "safeguarding.referral": Treatment(
        Referral,
        blank=(
            "lawful_basis",
            "reasons",
            "victim_wants",
            "victim_fears",
            "idva_shared_summary",
            "rejection_reason",
            "outcome",
        ),
        month=("due_on", "sent_at", "accepted_at", "closed_at", *STAMPS),
    ),
    "safeguarding.maraccase": Treatment(
        MaracCase, blank=("evidence", "minutes"), month=("meeting_on", *STAMPS)
    ),
    "safeguarding.maracaction": Treatment(
        MaracAction, blank=("action", "owner"), month=("due_on", "done_at", *STAMPS)
    ),
    "safeguarding.protectivemeasure": Treatment(
        ProtectiveMeasure,
        blank=("outcome",),
        month=("issued_at", "expires_at", "ended_at", *STAMPS),
    ),
    "safeguarding.handovertask": Treatment(
        HandoverTask,
        blank=("details",),
        values={"title": HANDOVER_TITLE},
        month=("due_on", "done_at", *STAMPS),
    ),
    "health.supportrecord": Treatment(SupportRecord, blank=("notes", "idva_name")),
    "health.healthappointment": Treatment(
        HealthAppointment, blank=("location_name", "fhir_id"), null=("latitude", "longitude")
    ),
    PEOPLE_TYPE: Treatment(
        Person,
        blank=(
            "given_name",
            "family_name",
            "gender",
            "address",
            "language",
            "safe_phone",
            "safe_contact_times",
        ),
        null=("date_of_birth", "latitude", "longitude"),
        month=("merged_at", *STAMPS),
    ),
}
"""The treatment of every record type but NHS numbers (deleted) and what the passes below add."""


def token(public_id: uuid.UUID) -> str:
    """The reference an anonymised row gets in place of one that led to another system."""
    return TOKEN_PREFIX + public_id.hex


def _batches(ids: Sequence[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), BATCH):
        yield ordered[start : start + BATCH]


def _apply(treatment: Treatment, ids: Sequence[int]) -> None:
    model = treatment.model
    fixed: dict[str, Any] = dict.fromkeys(treatment.blank, "")
    fixed |= dict.fromkeys(treatment.null)
    fixed |= dict(treatment.values)
    for batch in _batches(ids):
        if fixed:
            model._default_manager.filter(pk__in=batch).update(**fixed)
        if treatment.month:
            _write(
                model,
                [
                    {
                        "pk": row[0],
                        **{
                            name: to_month(value)
                            for name, value in zip(treatment.month, row[1:], strict=True)
                        },
                    }
                    for row in model._default_manager.filter(pk__in=batch).values_list(
                        "pk", *treatment.month
                    )
                ],
                treatment.month,
            )


def _write(model: type[models.Model], rows: list[dict[str, Any]], fields: Sequence[str]) -> None:
    """Write ``fields`` of ``rows`` (dicts with ``pk``) in bulk: only those columns change."""
    if rows:
        model._default_manager.bulk_update(
            [model(**row) for row in rows], list(fields), batch_size=BATCH
        )


@dataclass
class Changes:
    """What one application changed, as counts (no personal data)."""

    records: Counter[str] = field(default_factory=Counter)
    investigation_times: Counter[str] = field(default_factory=Counter)


def _investigations(units: list[Unit], ids: Sequence[int], changes: Changes) -> None:
    precision: dict[int, str] = {}
    horizon = Investigation.objects.aggregate(latest=Max("recorded_at"))["latest"]
    for unit in units:
        chosen = recorded_precision(
            [(moment, keys) for _pk, moment, keys in unit.investigations], horizon
        )
        precision.update({pk: chosen for pk, _moment, _keys in unit.investigations})
    for batch in _batches(ids):
        rows = list(
            Investigation.objects.filter(pk__in=batch).values_list(
                "pk", "public_id", "investigation_ref", "recorded_at"
            )
        )
        renamed = {ref: token(public_id) for _pk, public_id, ref, _at in rows}
        _write(
            Investigation,
            [
                {
                    "pk": pk,
                    "investigation_ref": token(public_id),
                    "recorded_at": coarsen_recorded(
                        at, precision.get(pk, "month"), horizon=horizon
                    ),
                }
                for pk, public_id, _ref, at in rows
            ],
            ("investigation_ref", "recorded_at"),
        )
        changes.investigation_times.update(precision.get(pk, "month") for pk, *_rest in rows)
        # The IDVA's copy of the reference follows, so the tracker row still finds its investigation.
        _write(
            SupportRecord,
            [
                {"pk": pk, "investigation_ref": renamed[ref]}
                for pk, ref in SupportRecord.objects.filter(
                    investigation_ref__in=renamed
                ).values_list("pk", "investigation_ref")
            ],
            ("investigation_ref",),
        )


def _references(model: type[models.Model], field_name: str, ids: Sequence[int]) -> None:
    for batch in _batches(ids):
        _write(
            model,
            [
                {"pk": pk, field_name: token(public_id)}
                for pk, public_id in model._default_manager.filter(pk__in=batch).values_list(
                    "pk", "public_id"
                )
            ],
            (field_name,),
        )


def _case_events(ids: Sequence[int]) -> None:
    for batch in _batches(ids):
        rows = []
        for pk, payload in CaseEvent.objects.filter(pk__in=batch).values_list("pk", "payload"):
            data = dict(payload or {})
            if "reason" in data:
                data["reason"] = ""
            if data.get("first_police_visit_at"):
                moment = to_month(dt.datetime.fromisoformat(data["first_police_visit_at"]))
                data["first_police_visit_at"] = moment.isoformat() if moment else None
            rows.append({"pk": pk, "payload": data})
        _write(CaseEvent, rows, ("payload",))


def _person_references(people: Sequence[int]) -> None:
    """The force's person id becomes a token; people who shared one (linked, so anonymised
    together) share the token, so the evaluation still counts them as one victim."""
    shared: dict[str, str] = {}
    for batch in _batches(people):
        rows = []
        for pk, public_id, ref in (
            Person.objects.filter(pk__in=batch)
            .exclude(force_person_ref="")
            .exclude(force_person_ref__startswith=TOKEN_PREFIX)
            .values_list("pk", "public_id", "force_person_ref")
        ):
            rows.append({"pk": pk, "force_person_ref": shared.setdefault(ref, token(public_id))})
        _write(Person, rows, ("force_person_ref",))


def _police(assessment: Assessment, changes: Changes) -> None:
    due = assessment.due_records(Side.POLICE)
    units = assessment.due_units(Side.POLICE)
    for record_type, ids in due.items():
        _apply(TREATMENTS[record_type], ids)
        changes.records[record_type] += len(ids)
    _investigations(units, due.get("intake.investigation", []), changes)
    _references(CustodyEpisode, "custody_ref", due.get("intake.custodyepisode", []))
    _case_events(due.get("cases.caseevent", []))
    _person_references([person for unit in units for person in unit.people])


def _support_records(ids: Sequence[int]) -> None:
    for batch in _batches(ids):
        rows = list(
            SupportRecord.objects.filter(pk__in=batch).values_list(
                "pk", "public_id", "investigation_ref", "police_visit_at", "idva_visit_at"
            )
        )
        held = set(
            Investigation.objects.filter(
                investigation_ref__in={row[2] for row in rows if row[2]}
            ).values_list("investigation_ref", flat=True)
        )
        unmatched: dict[str, str] = {}
        written = []
        for pk, public_id, ref, police_at, idva_at in rows:
            police_moved, idva_moved = tracker_times(police_at, idva_at)
            if (
                ref and ref not in held
            ):  # leads only to the police system: a token, shared by equal refs
                ref = unmatched.setdefault(ref, token(public_id))
            written.append(
                {
                    "pk": pk,
                    "tracker_id": token(public_id),
                    "investigation_ref": ref,
                    "police_visit_at": police_moved,
                    "idva_visit_at": idva_moved,
                }
            )
        _write(
            SupportRecord,
            written,
            ("tracker_id", "investigation_ref", "police_visit_at", "idva_visit_at"),
        )


def _appointments(ids: Sequence[int]) -> None:
    for batch in _batches(ids):
        rows = []
        for pk, starts_at, ends_at in HealthAppointment.objects.filter(pk__in=batch).values_list(
            "pk", "starts_at", "ends_at"
        ):
            starts_at, ends_at = appointment_times(starts_at, ends_at)
            rows.append({"pk": pk, "starts_at": starts_at, "ends_at": ends_at})
        _write(HealthAppointment, rows, ("starts_at", "ends_at"))


def _health(assessment: Assessment, changes: Changes) -> None:
    due = assessment.due_records(Side.HEALTH)
    for record_type, ids in due.items():
        if record_type == "health.healthidentity":
            for batch in _batches(ids):
                HealthIdentity.objects.filter(pk__in=batch).delete()
        else:
            _apply(TREATMENTS[record_type], ids)
        changes.records[record_type] += len(ids)
    _support_records(due.get("health.supportrecord", []))
    _appointments(due.get("health.healthappointment", []))


def _people(people: Sequence[int], changes: Changes) -> None:
    _apply(TREATMENTS[PEOPLE_TYPE], people)
    _person_references(people)
    for batch in _batches(people):
        _write(
            Person,
            [
                {"pk": pk, "postcode": postcode_district(postcode)}
                for pk, postcode in Person.objects.filter(pk__in=batch).values_list(
                    "pk", "postcode"
                )
            ],
            ("postcode",),
        )
        PersonMerge.objects.filter(
            models.Q(duplicate__in=batch) | models.Q(survivor__in=batch)
        ).update(reason="")
        PersonMatch.objects.filter(
            models.Q(person__in=batch) | models.Q(candidate__in=batch)
        ).update(reasons=[])
        LegalHold.objects.filter(person__in=batch).exclude(released_at=None).update(reason="")
    changes.records[PEOPLE_TYPE] += len(people)


def anonymise(assessment: Assessment, run: RetentionRun) -> Changes:
    """Apply ``assessment``: police side, then health side, then the people whose identity can go;
    record every row in the ledger under ``run``. Call inside a transaction."""
    changes = Changes()
    _police(assessment, changes)
    _health(assessment, changes)
    _people(assessment.people_due, changes)
    ledger = [
        AnonymisedRecord(run=run, record_type=record_type, object_pk=pk)
        for side in (Side.POLICE, Side.HEALTH)
        for record_type, ids in assessment.due_records(side).items()
        for pk in ids
    ] + [
        AnonymisedRecord(run=run, record_type=PEOPLE_TYPE, object_pk=pk)
        for pk in assessment.people_due
    ]
    AnonymisedRecord.objects.bulk_create(ledger, batch_size=2000)
    return changes
