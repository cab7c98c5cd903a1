"""Anonymising strips identity and free text, keeps the rows and links, and makes dates coarse."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import models

from provide.cases.models import Case, CaseEvent
from provide.health.models import HealthAppointment, HealthIdentity, SupportRecord
from provide.intake.models import CustodyEpisode, Investigation, RiskAssessment
from provide.people.models import Person
from provide.retention.anonymise import HANDOVER_TITLE, TREATMENTS, anonymise, token
from provide.retention.assessment import retention_assess
from provide.retention.models import AnonymisedRecord, RetentionRun
from provide.retention.rules import LONDON
from provide.safeguarding.models import HandoverTask, Referral
from provide.triage.models import TriageDecision
from provide.visits.models import Consultation, PoliceVisitRecord, Visit
from tests.retention.conftest import AS_OF, HEALTH_MARKERS, POLICE_MARKERS

pytestmark = pytest.mark.django_db
UTC = dt.UTC
TOUCHED: tuple[type[models.Model], ...] = (
    Person,
    Investigation,
    RiskAssessment,
    CustodyEpisode,
    Case,
    CaseEvent,
    TriageDecision,
    Visit,
    PoliceVisitRecord,
    Consultation,
    Referral,
    HandoverTask,
    SupportRecord,
    HealthAppointment,
    HealthIdentity,
)


def _everything() -> str:
    return json.dumps(
        [list(model._default_manager.order_by("pk").values()) for model in TOUCHED], default=str
    )


def _run(now: dt.datetime = AS_OF) -> Any:
    assessment = retention_assess(now=now)
    run = RetentionRun.objects.create(dry_run=False, as_of=assessment.today)
    return anonymise(assessment, run)


def test_every_planted_marker_is_gone_and_every_row_kept(old_records: dict[str, Any]) -> None:
    text = _everything()
    for marker in [*POLICE_MARKERS.values(), *HEALTH_MARKERS.values()]:
        assert marker in text, marker  # the test data really holds each one
    counts = {model: model._default_manager.count() for model in TOUCHED}
    _run()
    text = _everything()
    assert [
        marker for marker in [*POLICE_MARKERS.values(), *HEALTH_MARKERS.values()] if marker in text
    ] == []
    assert "1980-03-14" not in text and "07700" not in text and "Markerfield" not in text
    expected = {model: count for model, count in counts.items() if model is not HealthIdentity}
    assert {model: model._default_manager.count() for model in expected} == expected
    assert HealthIdentity.objects.count() == 0  # nothing but the NHS number: deleted


def test_what_the_evaluation_needs_is_kept(old_records: dict[str, Any]) -> None:
    _run()
    first = Investigation.objects.get(pk=old_records["first"].pk)
    assert (
        first.risk_grade,
        first.abuse_types,
        first.outcome_code,
        first.bcu_id,
        first.district_id,
    ) == (
        "medium",
        ["physical"],
        "1",
        old_records["first"].bcu_id,
        old_records["first"].district_id,
    )
    assert first.investigation_ref == token(first.public_id)
    assert first.outcome_on == dt.date(2012, 9, 1)
    assert first.recorded_at.astimezone(LONDON).date() == dt.date(2012, 5, 1)
    victim = Person.objects.get(pk=old_records["victim"].pk)
    assert (
        victim.given_name,
        victim.family_name,
        victim.date_of_birth,
        victim.address,
        victim.safe_phone,
    ) == ("", "", None, "", "")
    assert victim.postcode == "FY1" and victim.district_id == old_records["victim"].district_id
    assert victim.sex == "female" and victim.vulnerabilities == ["mental_health"]
    assert victim.force_person_ref == token(victim.public_id)
    assessment = RiskAssessment.objects.get(pk=old_records["assessment"].pk)
    assert (assessment.grade, assessment.yes_count, assessment.answers, assessment.rationale) == (
        "medium",
        9,
        [],
        "",
    )


def test_the_tracker_row_still_finds_its_investigation_and_keeps_its_delay_and_hour(
    old_records: dict[str, Any],
) -> None:
    _run()
    record = SupportRecord.objects.get(pk=old_records["support_record"].pk)
    first = Investigation.objects.get(pk=old_records["first"].pk)
    assert record.investigation_ref == first.investigation_ref
    assert record.tracker_id == token(record.public_id)
    assert (record.notes, record.idva_name) == ("", "")
    assert record.idva_visit_at is not None and record.police_visit_at is not None
    assert record.idva_visit_at - record.police_visit_at == dt.timedelta(
        days=1, hours=6, minutes=20
    )
    local = record.idva_visit_at.astimezone(LONDON)
    assert (local.date(), local.hour) == (dt.date(2012, 5, 1), 16)  # 15:20 UTC was 16:20 in London


def test_dates_become_months_and_the_appointment_keeps_its_length(
    old_records: dict[str, Any],
) -> None:
    _run()
    visit = Visit.objects.get(pk=old_records["visit"].pk)
    assert visit.arrived_at == dt.datetime(2012, 5, 1, tzinfo=LONDON)
    appointment = HealthAppointment.objects.get(pk=old_records["appointment"].pk)
    assert appointment.starts_at == dt.datetime(2012, 6, 1, tzinfo=LONDON)
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(minutes=30)
    assert (appointment.location_name, appointment.latitude, appointment.fhir_id) == ("", None, "")
    event = CaseEvent.objects.get(case=old_records["case"], kind="closed")
    assert event.payload == {"reason": ""} and event.reason == ""
    assert HandoverTask.objects.get(victim=old_records["victim"]).title == HANDOVER_TITLE
    custody = CustodyEpisode.objects.get(pk=old_records["custody"].pk)
    assert custody.custody_ref == token(custody.public_id)
    assert custody.created_at.astimezone(LONDON).day == 1


def test_recent_records_are_untouched(
    old_records: dict[str, Any], west_case: dict[str, Any]
) -> None:
    before = list(Investigation.objects.filter(pk=west_case["investigation"].pk).values())
    person = list(Person.objects.filter(pk=west_case["victim"].pk).values())
    record = list(SupportRecord.objects.filter(pk=west_case["support_record"].pk).values())
    _run(now=west_case["investigation"].recorded_at + dt.timedelta(days=365 * 20))
    assert list(Investigation.objects.filter(pk=west_case["investigation"].pk).values()) == before
    assert list(Person.objects.filter(pk=west_case["victim"].pk).values()) == person
    assert list(SupportRecord.objects.filter(pk=west_case["support_record"].pk).values()) == record


def test_every_anonymised_row_is_in_the_ledger_and_a_second_run_changes_nothing(
    old_records: dict[str, Any],
) -> None:
    changes = _run()
    assert changes.records["intake.investigation"] == 2 and changes.records["people.person"] == 2
    assert AnonymisedRecord.objects.count() == sum(changes.records.values())
    text = _everything()
    again = _run()
    assert sum(again.records.values()) == 0
    assert _everything() == text


def test_every_treatment_names_real_fields() -> None:
    for record_type, treatment in TREATMENTS.items():
        names = {field.name for field in treatment.model._meta.concrete_fields}
        used = {*treatment.blank, *treatment.null, *treatment.values, *treatment.month}
        assert used <= names, (record_type, used - names)
        assert treatment.model._meta.label_lower == record_type
