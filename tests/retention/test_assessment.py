"""Which records are due, which are held and why: the assessment reads, never writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.areas.models import Area
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.retention.assessment import retention_assess
from provide.retention.models import AnonymisedRecord, LegalHold, RetentionRun, Side
from tests.retention.conftest import AS_OF

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def _police_unit(assessment: Any, person: Person) -> Any:
    return next(u for u in assessment.units if u.side == Side.POLICE and person.pk in u.people)


def _health_unit(assessment: Any, person: Person) -> Any:
    return next(u for u in assessment.units if u.side == Side.HEALTH and person.pk in u.people)


def test_old_group_2_records_and_the_health_record_are_due(old_records: dict[str, Any]) -> None:
    assessment = retention_assess(now=AS_OF)
    police = _police_unit(assessment, old_records["victim"])
    assert police.people == tuple(sorted((old_records["victim"].pk, old_records["suspect"].pk)))
    assert police.group == 2
    assert police.dispose_on == dt.date(2022, 11, 20)  # ten years after the second investigation
    assert police.due(assessment.today)
    assert sorted(police.pending["intake.investigation"]) == sorted(
        [old_records["first"].pk, old_records["second"].pk]
    )
    assert set(police.pending) == {
        "intake.investigation",
        "intake.riskassessment",
        "intake.custodyepisode",
        "cases.case",
        "cases.caseevent",
        "triage.triagedecision",
        "visits.visit",
        "visits.policevisitrecord",
        "visits.consultation",
        "safeguarding.referral",
        "safeguarding.handovertask",
    }
    health = _health_unit(assessment, old_records["victim"])
    assert health.dispose_on == dt.date(2020, 6, 12)  # 8 years after the last appointment
    assert set(health.pending) == {
        "health.supportrecord",
        "health.healthappointment",
        "health.healthidentity",
    }
    assert assessment.people_due == sorted([old_records["victim"].pk, old_records["suspect"].pk])


def test_nothing_is_due_before_the_clear_period_ends(old_records: dict[str, Any]) -> None:
    before = retention_assess(now=dt.datetime(2022, 11, 19, 12, tzinfo=UTC))
    assert not _police_unit(before, old_records["victim"]).due(before.today)
    on_the_day = retention_assess(now=dt.datetime(2022, 11, 20, 12, tzinfo=UTC))
    assert _police_unit(on_the_day, old_records["victim"]).due(on_the_day.today)


def test_a_police_hold_does_not_hold_the_health_side_and_a_health_hold_not_the_police_side(
    old_records: dict[str, Any],
) -> None:
    hold = LegalHold.objects.create(person=old_records["victim"], side="police", reason="Inquiry")
    assessment = retention_assess(now=AS_OF)
    assert _health_unit(assessment, old_records["victim"]).due(assessment.today)
    hold.side = "health"
    hold.save()
    assessment = retention_assess(now=AS_OF)
    assert _police_unit(assessment, old_records["victim"]).due(assessment.today)
    assert _health_unit(assessment, old_records["victim"]).held == ("legal_hold",)
    assert (
        old_records["victim"].pk not in assessment.people_due
    )  # the name stays while the trust keeps records
    assert old_records["suspect"].pk in assessment.people_due


def test_the_health_side_is_held_by_a_draft_a_future_appointment_or_an_open_case(
    old_records: dict[str, Any],
) -> None:
    record = old_records["support_record"]
    record.record_status = "draft"
    record.save()
    appointment = old_records["appointment"]
    appointment.starts_at, appointment.ends_at = (
        AS_OF + dt.timedelta(days=3),
        AS_OF + dt.timedelta(days=3, hours=1),
    )
    appointment.save()
    type(old_records["case"]).objects.filter(pk=old_records["case"].pk).update(state="seen")
    unit = _health_unit(retention_assess(now=AS_OF), old_records["victim"])
    assert unit.held == ("draft_tracker_record", "future_appointment", "open_case")


def test_a_child_victims_health_record_is_kept_until_the_25th_birthday(
    old_records: dict[str, Any],
) -> None:
    Person.objects.filter(pk=old_records["victim"].pk).update(date_of_birth=dt.date(2000, 1, 1))
    unit = _health_unit(retention_assess(now=AS_OF), old_records["victim"])
    assert unit.dispose_on == dt.date(2025, 1, 1)


def test_anonymised_rows_are_counted_as_such_not_again(old_records: dict[str, Any]) -> None:
    run = RetentionRun.objects.create(dry_run=False, as_of=AS_OF.date())
    AnonymisedRecord.objects.create(
        run=run, record_type="intake.investigation", object_pk=old_records["first"].pk
    )
    unit = _police_unit(retention_assess(now=AS_OF), old_records["victim"])
    assert unit.pending["intake.investigation"] == [old_records["second"].pk]
    assert unit.anonymised["intake.investigation"] == 1


def test_the_assessment_reads_each_table_once(
    old_records: dict[str, Any], django_assert_max_num_queries: Any, areas: dict[str, Area]
) -> None:
    for number in range(30):
        victim = Person.objects.create(given_name=f"Extra {number}", synthetic=True)
        Investigation.objects.create(
            investigation_ref=f"X/{number}", recorded_at=AS_OF, bcu=areas["west"], victim=victim
        )
    with django_assert_max_num_queries(25):
        retention_assess(now=AS_OF)
