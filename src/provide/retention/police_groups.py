"""The police side of the assessment: people linked into groups, each group dated by MoPI.

Reads each police table once (``values_list``), places every record with the person it is
about, links the people one record names (:mod:`provide.retention.components`), and gives each
linked group its MoPI group, its review dates and the reasons that hold it. Reads only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from provide.cases.models import Case, CaseEvent
from provide.core.cases import CaseState
from provide.intake.models import CustodyEpisode, Investigation, RiskAssessment
from provide.people.models import Person
from provide.retention.components import linked_groups
from provide.retention.models import Side
from provide.retention.rules import InvestigationFacts, london_date, mopi_group, police_review
from provide.retention.units import Unit, activity_dates, add_record
from provide.safeguarding.models import (
    HandoverTask,
    MaracAction,
    MaracCase,
    ProtectiveMeasure,
    Referral,
)
from provide.triage.models import TriageDecision
from provide.visits.models import Consultation, PoliceVisitRecord, Visit

LIVE_CUSTODY = frozenset(
    {
        CustodyEpisode.Status.IN_CUSTODY,
        CustodyEpisode.Status.BAILED,
        CustodyEpisode.Status.RELEASED_RUI,
        CustodyEpisode.Status.CHARGED_REMANDED,
    }
)
OPEN_REFERRAL = frozenset({Referral.Status.DRAFT, Referral.Status.SENT, Referral.Status.ACCEPTED})
PROTECTIVE_ORDERS = frozenset({ProtectiveMeasure.Kind.DVPN, ProtectiveMeasure.Kind.DVPO})


class PoliceSide:
    """Collects the police side: people linked, records placed in groups, dates and holds."""

    def __init__(self, *, today: dt.date, done: set[tuple[str, int]]) -> None:
        self.today = today
        self.done = done
        self.people: dict[int, tuple[dt.date | None, dt.datetime, str, int | None]] = {}
        self.links: list[tuple[int | None, int | None]] = []
        self.placed: list[tuple[str, int, int]] = []  # (record type, id, person)
        self.dates: dict[int, list[dt.date]] = defaultdict(list)  # person -> activity dates
        self.holds: dict[int, set[str]] = defaultdict(set)  # person -> reasons
        self.facts: list[tuple[int, int, InvestigationFacts]] = []  # (investigation, victim, facts)
        self.times: list[
            tuple[int, dt.datetime, int, int | None]
        ] = []  # (investigation, at, victim, suspect)
        self.victim_of: dict[int, int] = {}
        self.loose: list[tuple[str, int, dt.date]] = []  # records about no one: (type, id, date)

    def place(
        self,
        record_type: str,
        pk: int,
        person: int,
        *moments: dt.date | dt.datetime | None,
        link: int | None = None,
    ) -> None:
        self.placed.append((record_type, pk, person))
        if link is not None and link != person:
            self.links.append((person, link))
        self.dates[person].extend(activity_dates(moments))

    def hold(self, person: int | None, reason: str) -> None:
        if person is not None:
            self.holds[person].add(reason)


def _own_dates_else(
    created: dt.datetime, *own: dt.date | dt.datetime | None
) -> tuple[dt.date | dt.datetime | None, ...]:
    """A record's own dates, or when it has none, when its row was made (a row loaded from an
    old system was made long after what it records, so its own dates come first)."""
    return own if any(value is not None for value in own) else (created,)


def load_people(police: PoliceSide) -> None:
    for pk, born, created_at, ref, merged_into in Person.objects.values_list(
        "pk", "date_of_birth", "created_at", "force_person_ref", "merged_into_id"
    ):
        police.people[pk] = (born, created_at, ref, merged_into)
        if merged_into is not None:
            police.links.append((pk, merged_into))


def load_investigations(police: PoliceSide) -> None:
    protected = set(MaracCase.objects.values_list("victim_id", flat=True)) | set(
        ProtectiveMeasure.objects.filter(kind__in=PROTECTIVE_ORDERS).values_list(
            "victim_id", flat=True
        )
    )
    for (
        pk,
        victim,
        suspect,
        recorded_at,
        outcome_on,
        grade,
        kinds,
        offence,
        injuries,
        weapons,
    ) in Investigation.objects.values_list(
        "pk",
        "victim_id",
        "suspect_id",
        "recorded_at",
        "outcome_on",
        "risk_grade",
        "abuse_types",
        "offence",
        "injuries",
        "weapons",
    ):
        police.victim_of[pk] = victim
        police.links.append((victim, suspect))
        police.place("intake.investigation", pk, victim, recorded_at, outcome_on)
        if suspect is not None:
            police.dates[suspect].append(london_date(recorded_at))
        police.times.append((pk, recorded_at, victim, suspect))
        police.facts.append(
            (
                pk,
                victim,
                InvestigationFacts(
                    risk_grade=grade,
                    abuse_types=tuple(kinds or ()),
                    offence=offence,
                    injuries=injuries,
                    weapons=weapons,
                    public_protection=victim in protected,
                ),
            )
        )


def load_police_records(police: PoliceSide) -> None:
    victim_of = police.victim_of
    for pk, inv, victim, at in RiskAssessment.objects.values_list(
        "pk", "investigation_id", "victim_id", "assessed_at"
    ):
        police.place("intake.riskassessment", pk, victim, at, link=victim_of.get(inv))
    for pk, suspect, inv, arrested, released, status in CustodyEpisode.objects.values_list(
        "pk", "suspect_id", "investigation_id", "arrested_at", "released_at", "status"
    ):
        police.place(
            "intake.custodyepisode", pk, suspect, arrested, released, link=victim_of.get(inv)
        )
        if status in LIVE_CUSTODY and released is None:
            police.hold(suspect, "custody_or_bail")
    case_victim: dict[int, int] = {}
    for pk, inv, state in Case.objects.values_list("pk", "investigation_id", "state"):
        case_victim[pk] = victim_of[inv]
        police.place("cases.case", pk, victim_of[inv])
        if state != CaseState.CLOSED.value:
            police.hold(victim_of[inv], "open_case")
    for pk, case in CaseEvent.objects.values_list("pk", "case_id"):
        police.place("cases.caseevent", pk, case_victim[case])
    for pk, inv, at in TriageDecision.objects.values_list("pk", "investigation_id", "decided_at"):
        police.place("triage.triagedecision", pk, victim_of[inv], at)
    visit_victim: dict[int, int] = {}
    for pk, victim, inv, arrived, planned in Visit.objects.values_list(
        "pk", "victim_id", "investigation_id", "arrived_at", "planned_at"
    ):
        visit_victim[pk] = victim
        police.place("visits.visit", pk, victim, arrived, planned, link=victim_of.get(inv))
    for pk, visit in PoliceVisitRecord.objects.values_list("pk", "visit_id"):
        police.place("visits.policevisitrecord", pk, visit_victim[visit])
    for pk, inv, at in Consultation.objects.values_list("pk", "investigation_id", "asked_at"):
        if inv is None:  # advice about no investigation: a group of its own
            police.loose.append(("visits.consultation", pk, london_date(at)))
        else:
            police.place("visits.consultation", pk, victim_of[inv], at)
    _load_safeguarding(police)


def _load_safeguarding(police: PoliceSide) -> None:
    victim_of, today = police.victim_of, police.today
    for pk, victim, inv, created, sent, accepted, closed, status in Referral.objects.values_list(
        "pk",
        "victim_id",
        "investigation_id",
        "created_at",
        "sent_at",
        "accepted_at",
        "closed_at",
        "status",
    ):
        police.place(
            "safeguarding.referral",
            pk,
            victim,
            *_own_dates_else(created, sent, accepted, closed),
            link=victim_of.get(inv),
        )
        if status in OPEN_REFERRAL:
            police.hold(victim, "open_referral")
    marac_victim: dict[int, int] = {}
    for pk, victim, meeting_on in MaracCase.objects.values_list("pk", "victim_id", "meeting_on"):
        marac_victim[pk] = victim
        police.place("safeguarding.maraccase", pk, victim, meeting_on)
        if meeting_on >= today:
            police.hold(victim, "pending_marac")
    for pk, case, done_at in MaracAction.objects.values_list("pk", "case_id", "done_at"):
        police.place("safeguarding.maracaction", pk, marac_victim[case], done_at)
        if done_at is None:
            police.hold(marac_victim[case], "pending_marac")
    for pk, victim, inv, issued, ended, status in ProtectiveMeasure.objects.values_list(
        "pk", "victim_id", "investigation_id", "issued_at", "ended_at", "status"
    ):
        police.place(
            "safeguarding.protectivemeasure", pk, victim, issued, ended, link=victim_of.get(inv)
        )
        if status == ProtectiveMeasure.Status.ACTIVE:
            police.hold(victim, "active_protective_measure")
    for pk, victim, inv, created, due_on, done_at, status in HandoverTask.objects.values_list(
        "pk", "victim_id", "investigation_id", "created_at", "due_on", "done_at", "status"
    ):
        police.place(
            "safeguarding.handovertask",
            pk,
            victim,
            *_own_dates_else(created, due_on, done_at),
            link=victim_of.get(inv),
        )
        if status != HandoverTask.Status.DONE:
            police.hold(victim, "open_handover")


def _victim_key(police: PoliceSide, person: int | None) -> str | None:
    """The evaluation's key for a person: the force's person id, else the row."""
    if person is None:
        return None
    ref = police.people[person][2]
    return ref or f"person:{person}"


def police_units(police: PoliceSide, held_people: set[int]) -> tuple[list[Unit], dict[int, Unit]]:
    people = police.people
    root_of = linked_groups(people, police.links, ((pk, row[2]) for pk, row in people.items()))
    members: dict[int, list[int]] = defaultdict(list)
    for person, root in root_of.items():
        members[root].append(person)
    units: dict[int, Unit] = {}
    groups: dict[int, int] = {}
    for _investigation, victim, facts in police.facts:
        root = root_of[victim]
        groups[root] = min(groups.get(root, 3), mopi_group(facts))
    for root, persons in members.items():
        dates = [day for person in persons for day in police.dates.get(person, ())]
        if not dates:  # a person no police record names: dated from when the row was made
            dates = [london_date(people[person][1]) for person in persons]
        review = police_review(
            group=groups.get(root, 3),
            first_activity=min(dates),
            last_activity=max(dates),
            birth_dates=[people[person][0] for person in persons],
            today=police.today,
        )
        reasons = {reason for person in persons for reason in police.holds.get(person, ())}
        if any(person in held_people for person in persons):
            reasons.add("legal_hold")
        units[root] = Unit(
            Side.POLICE,
            tuple(sorted(persons)),
            review.dispose_on,
            review.review_on,
            group=review.group,
            held=tuple(sorted(reasons)),
        )
    for record_type, pk, person in police.placed:
        add_record(units[root_of[person]], record_type, pk, police.done)
    loose = [_loose_unit(police, record_type, pk, day) for record_type, pk, day in police.loose]
    for pk, moment, victim, suspect in police.times:
        units[root_of[victim]].investigations.append(
            (pk, moment, (_victim_key(police, victim), _victim_key(police, suspect)))
        )
    return [*units.values(), *loose], {person: units[root] for person, root in root_of.items()}


def _loose_unit(police: PoliceSide, record_type: str, pk: int, day: dt.date) -> Unit:
    review = police_review(
        group=3, first_activity=day, last_activity=day, birth_dates=[], today=police.today
    )
    unit = Unit(Side.POLICE, (), review.dispose_on, review.review_on, group=3)
    add_record(unit, record_type, pk, police.done)
    return unit


def police_side(*, today: dt.date, done: set[tuple[str, int]]) -> PoliceSide:
    """Every police record and person, placed, dated and checked for holds (not yet grouped)."""
    side = PoliceSide(today=today, done=done)
    load_people(side)
    load_investigations(side)
    load_police_records(side)
    return side
