"""Old records on both sides, full of planted markers, for the retention tests.

Everything here is dated 2012, so on ``AS_OF`` (2030) the group 2 police records (10-year clear
period) and the health-side records (8 years) are all past their date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from provide.accounts.models import User
from provide.areas.models import Area
from provide.cases.models import Case, CaseEvent
from provide.health.models import HealthAppointment, HealthIdentity, SupportRecord
from provide.intake.models import CustodyEpisode, Investigation, RiskAssessment
from provide.people.models import Person
from provide.safeguarding.models import HandoverTask, Referral
from provide.triage.models import TriageDecision, TriagePolicy
from provide.visits.models import Consultation, PoliceVisitRecord, Visit

UTC = dt.UTC
AS_OF = dt.datetime(2030, 6, 1, 12, 0, tzinfo=UTC)

POLICE_MARKERS = {
    "victim_given": "Verity",
    "victim_family": "Oldcastle",
    "victim_dob": "1980-03-14",
    "address": "12 Markerfield Street",
    "postcode": "FY1 4XZ",
    "phone": "07700 900777",
    "safe_times": "MARKER-SAFE-TIMES",
    "language": "Marker-Polish",
    "suspect_given": "Silas",
    "suspect_dob": "1978-07-02",
    "victim_ref": "P-OLD-1",
    "suspect_ref": "P-OLD-2",
    "investigation_ref": "LC/2012/000123",
    "second_ref": "LC/2012/000456",
    "incident_ref": "INC-MARKER-9",
    "offence": "MARKER-OFFENCE assault",
    "rationale": "MARKER-RATIONALE",
    "custody_ref": "CUST-MARKER-1",
    "closed_reason": "MARKER-CLOSED-REASON",
    "safety": "MARKER-SAFETY-ACTIONS",
    "topic": "MARKER-TOPIC",
    "advice": "MARKER-ADVICE",
    "referral": "MARKER-REFERRAL-REASONS",
    "fears": "MARKER-FEARS",
    "handover_title": "Call Verity about MARKER-HANDOVER",
    "handover": "MARKER-HANDOVER-DETAILS",
    "triage": "MARKER-TRIAGE-REASONS",
}
HEALTH_MARKERS = {
    "tracker_id": "T-OLD-MARKER-1",
    "notes": "MARKER-IDVA-NOTE disclosed to the IDVA only",
    "idva_name": "Ivy Marker",
    "nhs_number": "9990000026",
    "appointment": "MARKER-SURGERY",
}


@pytest.fixture
def as_of() -> Iterator[dt.datetime]:
    with time_machine.travel(AS_OF, tick=False):
        yield AS_OF


def _at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


@pytest.fixture
def old_records(areas: dict[str, Area], make_user: Any) -> dict[str, Any]:
    m, h = POLICE_MARKERS, HEALTH_MARKERS
    officer: User = make_user("response_officer", username="old.officer")
    victim = Person.objects.create(
        force_person_ref=m["victim_ref"],
        given_name=m["victim_given"],
        family_name=m["victim_family"],
        date_of_birth=dt.date(1980, 3, 14),
        address=m["address"],
        postcode=m["postcode"],
        safe_phone=m["phone"],
        safe_contact_times=m["safe_times"],
        language=m["language"],
        gender="woman",
        latitude=53.81,
        longitude=-3.05,
        district=areas["blackpool"],
        sex="female",
        vulnerabilities=["mental_health"],
        synthetic=True,
    )
    suspect = Person.objects.create(
        force_person_ref=m["suspect_ref"],
        given_name=m["suspect_given"],
        family_name=m["victim_family"],
        date_of_birth=dt.date(1978, 7, 2),
        synthetic=True,
    )
    first = Investigation.objects.create(
        investigation_ref=m["investigation_ref"],
        incident_ref=m["incident_ref"],
        recorded_at=_at(2012, 5, 17, 14, 35),
        first_police_visit_at=_at(2012, 5, 17, 16, 0),
        bcu=areas["west"],
        district=areas["blackpool"],
        offence=m["offence"],
        abuse_types=["physical"],
        victim=victim,
        suspect=suspect,
        risk_grade="medium",
        outcome_code="1",
        outcome_on=dt.date(2012, 9, 3),
        latitude=53.8,
        longitude=-3.0,
        crime_or_incident="crime",
    )
    second = Investigation.objects.create(
        investigation_ref=m["second_ref"],
        recorded_at=_at(2012, 11, 20, 9, 10),
        bcu=areas["west"],
        abuse_types=["coercive_control"],
        victim=victim,
        suspect=suspect,
        risk_grade="standard",
    )
    assessment = RiskAssessment.objects.create(
        investigation=first,
        victim=victim,
        tool="DASH",
        answers=["yes", "no"],
        yes_count=9,
        grade="medium",
        rationale=m["rationale"],
        assessed_at=_at(2012, 5, 17, 17, 0),
        assessed_by_name="PC Marker",
    )
    custody = CustodyEpisode.objects.create(
        custody_ref=m["custody_ref"],
        suspect=suspect,
        investigation=first,
        arrested_at=_at(2012, 5, 17, 18, 0),
        status=CustodyEpisode.Status.RELEASED_NFA,
        released_at=_at(2012, 5, 18, 8, 0),
    )
    # Recording an investigation opens its case (provide.cases.receivers): close it, as history.
    Case.objects.filter(investigation__in=[first, second]).update(
        state="closed", closed_at=_at(2012, 6, 1, 9, 0)
    )
    case = Case.objects.get(investigation=first)
    Case.objects.filter(pk=case.pk).update(closed_reason=m["closed_reason"])
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.CLOSED,
        happened_at=_at(2012, 6, 1, 9, 0),
        payload={"reason": m["closed_reason"]},
        from_state="seen",
        to_state="closed",
        reason=m["closed_reason"],
    )
    policy = TriagePolicy.objects.create(version=1, name="Test policy")
    TriageDecision.objects.create(
        investigation=first,
        policy=policy,
        decision="joint_visit_post",
        reasons=m["triage"],
        decided_at=_at(2012, 5, 17, 20, 0),
        status="closed",
    )
    visit = Visit.objects.create(
        mode="post-incident",
        investigation=first,
        victim=victim,
        arrived_at=_at(2012, 5, 19, 15, 0),
        contact_result="engaged",
        support_accepted=True,
    )
    PoliceVisitRecord.objects.create(visit=visit, safety_actions=m["safety"])
    Consultation.objects.create(
        officer=officer,
        investigation=first,
        asked_at=_at(2012, 5, 17, 19, 0),
        topic=m["topic"],
        advice=m["advice"],
    )
    Referral.objects.create(
        victim=victim,
        investigation=first,
        visit=visit,
        target="housing",
        status="done",
        reasons=m["referral"],
        victim_fears=m["fears"],
        closed_at=_at(2012, 7, 1, 9, 0),
    )
    HandoverTask.objects.create(
        team=areas["west"],
        victim=victim,
        investigation=first,
        title=m["handover_title"],
        details=m["handover"],
        status="done",
        done_at=_at(2012, 6, 2, 9, 0),
    )
    record = SupportRecord.objects.create(
        tracker_id=h["tracker_id"],
        visit=visit,
        investigation=first,
        investigation_ref=m["investigation_ref"],
        victim=victim,
        bcu=areas["west"],
        police_visit_at=_at(2012, 5, 18, 9, 0),
        idva_visit_at=_at(2012, 5, 19, 15, 20),
        idva_support_accepted=True,
        notes=h["notes"],
        idva_name=h["idva_name"],
    )
    HealthIdentity.objects.create(person=victim, nhs_number=h["nhs_number"])
    appointment = HealthAppointment.objects.create(
        person=victim,
        starts_at=_at(2012, 6, 12, 10, 30),
        ends_at=_at(2012, 6, 12, 11, 0),
        location_name=h["appointment"],
        latitude=53.8,
        longitude=-3.0,
        fhir_id="fhir-marker",
    )
    return {
        "victim": victim,
        "suspect": suspect,
        "first": first,
        "second": second,
        "assessment": assessment,
        "custody": custody,
        "case": case,
        "visit": visit,
        "support_record": record,
        "appointment": appointment,
        "officer": officer,
    }
