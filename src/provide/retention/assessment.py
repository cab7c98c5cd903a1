"""Which records are due: every record of both sides, grouped, dated and checked for holds.

:func:`retention_assess` reads each table once (``values_list``: a fixed number of queries,
whatever the size) and returns an :class:`Assessment`:

* the **police side** in linked groups of people (:mod:`provide.retention.components`), each
  with its MoPI group, its review dates and what holds it;
* the **health side** per person (and per tracker record that names no one), dated from the
  last contact by the trust's schedule;
* the **people** whose identity can go: both sides' records about them are due and not held.

Nothing here writes; :mod:`provide.retention.anonymise` applies an assessment.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from provide.health.models import HealthAppointment, HealthIdentity, SupportRecord
from provide.retention.models import AnonymisedRecord, LegalHold, Side
from provide.retention.police_groups import police_side, police_units
from provide.retention.rules import health_dispose_on, london_date
from provide.retention.schedule import health_schedule
from provide.retention.units import RecordIds, Unit, activity_dates, add_record

__all__ = ["Assessment", "RecordIds", "Unit", "retention_assess"]

POLICE_TYPES: dict[str, str] = {
    "intake.investigation": "Investigations",
    "intake.riskassessment": "Risk assessments",
    "intake.custodyepisode": "Custody episodes",
    "cases.case": "Cases",
    "cases.caseevent": "Case history events",
    "triage.triagedecision": "Triage decisions",
    "visits.visit": "Visits (the joint record)",
    "visits.policevisitrecord": "Police visit records",
    "visits.consultation": "Consultations with an IDVA",
    "safeguarding.referral": "Referrals",
    "safeguarding.maraccase": "MARAC cases",
    "safeguarding.maracaction": "MARAC actions",
    "safeguarding.protectivemeasure": "Protective measures (DVPN, DVPO, Clare's Law)",
    "safeguarding.handovertask": "Hand-over tasks",
}
HEALTH_TYPES: dict[str, str] = {
    "health.supportrecord": "IDVA tracker records (with the IDVA's notes)",
    "health.healthappointment": "NHS appointments",
    "health.healthidentity": "NHS numbers",
}
PEOPLE_TYPE = "people.person"
PEOPLE_LABEL = "People: names, dates of birth, addresses and phone numbers"
RECORD_LABELS: dict[str, str] = {**POLICE_TYPES, **HEALTH_TYPES, PEOPLE_TYPE: PEOPLE_LABEL}

HOLD_LABELS: dict[str, str] = {
    "open_case": "An open case",
    "pending_marac": "A MARAC meeting to come, or a MARAC action not done",
    "active_protective_measure": "An active DVPN, DVPO or Clare's Law request",
    "open_referral": "A referral not closed",
    "open_handover": "A hand-over task not done",
    "custody_or_bail": "A suspect in custody, on bail or released under investigation",
    "legal_hold": "A legal hold",
    "draft_tracker_record": "A tracker record the IDVA has not finished",
    "future_appointment": "An NHS appointment still to come",
}
"""Why records past their date are kept, in words (the reports count units per reason)."""


@dataclass
class Assessment:
    """Every unit of both sides on ``today``, and the people whose identity can go."""

    today: dt.date
    units: list[Unit]
    people_due: list[int]
    people_anonymised: int
    people_total: int

    def due_units(self, side: str) -> list[Unit]:
        return [
            unit
            for unit in self.units
            if unit.side == side and unit.due(self.today) and unit.pending
        ]

    def due_records(self, side: str) -> RecordIds:
        """The rows of ``side`` to anonymise now, by record type."""
        found: RecordIds = defaultdict(list)
        for unit in self.due_units(side):
            for record_type, ids in unit.pending.items():
                found[record_type].extend(ids)
        return dict(found)


def _health_units(
    *,
    now: dt.datetime,
    people: dict[int, tuple[dt.date | None, dt.datetime, str, int | None]],
    shared_holds: dict[int, set[str]],
    held_people: set[int],
    done: set[tuple[str, int]],
) -> tuple[list[Unit], dict[int, Unit]]:
    schedule = health_schedule()
    placed: dict[int, list[tuple[str, int]]] = defaultdict(list)
    contacts: dict[int, list[dt.date]] = defaultdict(list)
    holds: dict[int, set[str]] = defaultdict(set)
    loose: list[tuple[int, list[dt.date], set[str]]] = []
    for pk, person, status, police_at, idva_at, created in SupportRecord.objects.values_list(
        "pk", "victim_id", "record_status", "police_visit_at", "idva_visit_at", "created_at"
    ):
        when = activity_dates((idva_at, police_at)) or activity_dates((created,))
        reasons = {"draft_tracker_record"} if status == SupportRecord.RecordStatus.DRAFT else set()
        if person is None:
            loose.append((pk, when, reasons))
            continue
        placed[person].append(("health.supportrecord", pk))
        contacts[person].extend(when)
        holds[person] |= reasons
    for pk, person, starts_at in HealthAppointment.objects.values_list(
        "pk", "person_id", "starts_at"
    ):
        placed[person].append(("health.healthappointment", pk))
        contacts[person].append(london_date(starts_at))
        if starts_at >= now:
            holds[person].add("future_appointment")
    identities = list(HealthIdentity.objects.values_list("pk", "person_id", "created_at"))
    for pk, person, _created in identities:
        placed[person].append(("health.healthidentity", pk))
    for _pk, person, created in identities:
        if not contacts[person]:
            contacts[person].append(london_date(created))
    units: dict[int, Unit] = {}
    for person, records in placed.items():
        reasons = holds[person] | (shared_holds.get(person, set()) & {"open_case", "pending_marac"})
        if person in held_people:
            reasons.add("legal_hold")
        dispose_on = health_dispose_on(
            last_contact=max(contacts[person]),
            date_of_birth=people[person][0],
            adult_years=schedule.adult_years,
            child_until_age=schedule.child_until_age,
        )
        unit = Unit(Side.HEALTH, (person,), dispose_on, dispose_on, held=tuple(sorted(reasons)))
        for record_type, pk in records:
            add_record(unit, record_type, pk, done)
        units[person] = unit
    others = []
    for pk, when, reasons in loose:
        dispose_on = health_dispose_on(
            last_contact=max(when),
            date_of_birth=None,
            adult_years=schedule.adult_years,
            child_until_age=schedule.child_until_age,
        )
        unit = Unit(Side.HEALTH, (), dispose_on, dispose_on, held=tuple(sorted(reasons)))
        add_record(unit, "health.supportrecord", pk, done)
        others.append(unit)
    return [*units.values(), *others], units


def retention_assess(*, now: dt.datetime) -> Assessment:
    """Assess every record on ``now``'s London date. Reads only; not access-checked (callers:
    :mod:`provide.retention.services` and the selectors, which check the user)."""
    today = london_date(now)
    done = set(AnonymisedRecord.objects.values_list("record_type", "object_pk"))
    holds = defaultdict(set)
    for person, side in LegalHold.objects.filter(released_at=None).values_list("person_id", "side"):
        holds[side].add(person)
    police = police_side(today=today, done=done)
    police_list, police_of = police_units(police, holds[Side.POLICE])
    shared = {person: set(reasons) for person, reasons in police.holds.items()}
    health_units, health_of = _health_units(
        now=now,
        people=police.people,
        shared_holds=shared,
        held_people=holds[Side.HEALTH],
        done=done,
    )
    cleared = {pk for record_type, pk in done if record_type == PEOPLE_TYPE}
    people_due = [
        person
        for person in police.people
        if person not in cleared
        and police_of[person].due(today)
        and (person not in health_of or health_of[person].due(today))
    ]
    return Assessment(
        today=today,
        units=[*police_list, *health_units],
        people_due=sorted(people_due),
        people_anonymised=len(cleared),
        people_total=len(police.people),
    )
