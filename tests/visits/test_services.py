"""Writes of visits and consultations: each permission-checked, audited, and the visit form's
saves merged field by field (see also test_concurrency.py: the same merges through two
browser sessions, and two database connections racing)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from provide.audit.models import AuditEvent
from provide.cases.models import Case
from provide.health.models import SupportRecord
from provide.shared.access import RecordNotFound
from provide.visits import services
from provide.visits.models import Consultation, PoliceVisitRecord, Visit
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 6, 14, 12, 0, tzinfo=dt.UTC)
POLICE_BLANK = {
    "evidence_gathered": None,
    "body_worn_video": None,
    "statement_taken": None,
    "safety_actions": "",
}


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("joint_team_officer")


@pytest.fixture
def idva(make_user: Any) -> Any:
    return make_user("health_idva")


def record(user: Any, visit: Visit, *, version: int | None = None, **kwargs: Any) -> Visit:
    return services.visit_record(
        user=user,
        visit_id=visit.public_id,
        lock_version=visit.lock_version if version is None else version,
        **kwargs,
    )


# --- plain -----------------------------------------------------------------------------------


def test_plain_times_are_utc_to_the_minute() -> None:
    local = dt.datetime(2026, 6, 14, 9, 30, 45, 123, tzinfo=LONDON)
    assert services.plain(local) == "2026-06-14T08:30:00+00:00"
    assert services.plain(dt.datetime(2026, 6, 14, 8, 30, tzinfo=dt.UTC)) == services.plain(local)


def test_plain_lists_ignore_order_and_text_ignores_edges_and_line_endings() -> None:
    assert services.plain(["marac", "housing"]) == services.plain(("housing", "marac"))
    assert services.plain(["marac", "housing"]) == ["housing", "marac"]
    assert services.plain("  Alarm fitted\r\nDVPN considered ") == "Alarm fitted\nDVPN considered"
    assert [services.plain(v) for v in (True, False, None, 3)] == [True, False, None, 3]


# --- visit_sections and visit_snapshot -------------------------------------------------------


def test_each_role_sees_the_sections_it_may(
    make_user: Any, officer: Any, idva: Any, planned_visit: Visit
) -> None:
    assert set(services.visit_sections(officer, planned_visit)) == {"shared", "police"}
    assert set(services.visit_sections(idva, planned_visit)) == {"shared", "health"}
    sergeant = make_user("triage_sergeant")
    assert set(services.visit_sections(sergeant, planned_visit)) == {"shared"}


def test_sections_hold_the_stored_values_and_blanks_before_anything_is_recorded(
    officer: Any, planned_visit: Visit
) -> None:
    sections = services.visit_sections(officer, planned_visit)
    assert sections["shared"] == {
        "arrived_at": None,
        "place_type": "",
        "suspect_present": None,
        "contact_result": "",
        "referrals_made": [],
    }
    assert sections["police"] == POLICE_BLANK
    PoliceVisitRecord.objects.create(visit=planned_visit, statement_taken=True, safety_actions="x")
    police = services.visit_sections(officer, planned_visit)["police"]
    assert police == {**POLICE_BLANK, "statement_taken": True, "safety_actions": "x"}


def test_the_snapshot_is_the_plain_form_of_every_section(
    officer: Any, planned_visit: Visit
) -> None:
    planned_visit.arrived_at = dt.datetime(2026, 6, 14, 9, 30, 59, tzinfo=LONDON)
    planned_visit.referrals_made = ["marac", "housing"]
    planned_visit.save()
    snapshot = services.visit_snapshot(user=officer, visit=planned_visit)
    assert snapshot["shared"]["arrived_at"] == "2026-06-14T08:30:00+00:00"
    assert snapshot["shared"]["referrals_made"] == ["housing", "marac"]
    assert snapshot["police"] == POLICE_BLANK


# --- visit_record: who may save what ---------------------------------------------------------


def test_roles_that_cannot_record_visits_are_refused(make_user: Any, planned_visit: Visit) -> None:
    for slug in ("triage_sergeant", "analyst", "idva_manager", "safeguarding_officer"):
        with pytest.raises(services.VisitNotAllowed, match=services.NOT_ALLOWED_VISIT):
            record(make_user(slug), planned_visit, values={"shared": {"contact_result": "engaged"}})
    planned_visit.refresh_from_db()
    assert planned_visit.contact_result == "" and planned_visit.lock_version == 1


def test_each_side_may_write_only_its_own_section(
    officer: Any, idva: Any, planned_visit: Visit
) -> None:
    with pytest.raises(services.VisitNotAllowed, match=services.NOT_ALLOWED_HEALTH):
        record(officer, planned_visit, values={"health": {"notes": "officer tries"}})
    with pytest.raises(services.VisitNotAllowed, match=services.NOT_ALLOWED_POLICE):
        record(idva, planned_visit, values={"police": {"statement_taken": True}})
    assert not SupportRecord.objects.filter(visit=planned_visit).exists()
    assert not PoliceVisitRecord.objects.exists()


def test_a_field_the_section_does_not_have_is_a_programming_error(
    officer: Any, planned_visit: Visit
) -> None:
    with pytest.raises(ValueError, match=r"unknown fields in shared: \['support_accepted'\]"):
        record(officer, planned_visit, values={"shared": {"support_accepted": True}})


def test_a_visit_outside_the_users_area_or_unknown_is_not_found(
    make_user: Any, planned_visit: Visit
) -> None:
    east_officer = make_user("joint_team_officer", bcu="east", username="east.officer")
    for visit_id in (planned_visit.public_id, "00000000-0000-0000-0000-000000000000", "nope"):
        with pytest.raises(RecordNotFound):
            services.visit_record(
                user=east_officer,
                visit_id=visit_id,
                lock_version=1,
                values={"shared": {"contact_result": "engaged"}},
            )


# --- visit_record: saving ----------------------------------------------------------------------


def test_a_first_save_makes_a_planned_visit_a_draft_and_audits_what_changed(
    officer: Any, planned_visit: Visit
) -> None:
    saved = record(
        officer,
        planned_visit,
        values={"shared": {"contact_result": "engaged", "referrals_made": ["marac"]}},
    )
    assert saved.record_status == Visit.RecordStatus.DRAFT and saved.lock_version == 2
    planned_visit.refresh_from_db()
    assert planned_visit.contact_result == "engaged" and planned_visit.referrals_made == ["marac"]
    assert planned_visit.updated_by == officer
    event = assert_audited(
        "visits.visit_updated", action="update", actor=officer, subject=planned_visit
    )
    assert set(event.changes) == {"contact_result", "referrals_made", "record_status"}


def test_the_police_record_is_created_then_updated_each_time_audited(
    officer: Any, planned_visit: Visit
) -> None:
    record(officer, planned_visit, values={"police": {"statement_taken": True}})
    planned_visit.refresh_from_db()
    record(officer, planned_visit, values={"police": {"safety_actions": " Alarm fitted "}})
    police = PoliceVisitRecord.objects.get(visit=planned_visit)
    assert police.statement_taken is True and police.safety_actions == " Alarm fitted "
    assert_audited("visits.police_record_created", action="create", actor=officer)
    updated = assert_audited("visits.police_record_updated", action="update", actor=officer)
    assert set(updated.changes) == {"safety_actions"}


def test_saving_what_is_already_stored_writes_nothing(officer: Any, planned_visit: Visit) -> None:
    events = AuditEvent.objects.count()
    saved = record(
        officer,
        planned_visit,
        values={"shared": {"contact_result": "", "referrals_made": []}, "police": POLICE_BLANK},
    )
    assert saved.lock_version == 1 and saved.record_status == Visit.RecordStatus.PLANNED
    assert AuditEvent.objects.count() == events and not PoliceVisitRecord.objects.exists()


def test_finishing_needs_the_arrival_and_the_contact_result(
    officer: Any, planned_visit: Visit
) -> None:
    with pytest.raises(services.VisitIncomplete) as incomplete:
        record(officer, planned_visit, values={"shared": {"place_type": "home"}}, finish=True)
    assert incomplete.value.errors == {
        "shared-arrived_at": services.NEEDS_ARRIVAL,
        "shared-contact_result": services.NEEDS_CONTACT,
    }
    planned_visit.refresh_from_db()
    assert planned_visit.place_type == "" and planned_visit.lock_version == 1


def test_finishing_completes_the_visit_and_moves_the_case(
    officer: Any, planned_visit: Visit
) -> None:
    arrived = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) - dt.timedelta(minutes=30)
    values = {"shared": {"arrived_at": arrived, "contact_result": "engaged"}}
    finished = record(officer, planned_visit, values=values, finish=True)
    assert finished.record_status == Visit.RecordStatus.COMPLETE
    case = Case.objects.get(investigation=planned_visit.investigation)
    assert case.state == "seen" and case.seen_at == arrived


def test_the_idvas_answer_on_support_becomes_the_shared_fact(
    idva: Any, planned_visit: Visit
) -> None:
    record(idva, planned_visit, values={"health": {"idva_support_accepted": True, "notes": "n"}})
    planned_visit.refresh_from_db()
    assert planned_visit.support_accepted is True and planned_visit.lock_version == 2
    support = SupportRecord.objects.get(visit=planned_visit)
    assert support.idva_support_accepted is True and support.notes == "n"
    changes = assert_audited("visits.visit_updated", action="update", subject=planned_visit).changes
    assert "support_accepted" in changes and "notes" not in changes


# --- visit_record: merging with someone else's save ----------------------------------------


def test_a_stale_form_keeps_the_other_persons_fields_and_applies_this_users(
    officer: Any, idva: Any, planned_visit: Visit
) -> None:
    base = services.visit_snapshot(user=officer, visit=planned_visit)
    record(idva, planned_visit, values={"shared": {"place_type": "gp"}})  # now version 2
    saved = record(
        officer,
        planned_visit,
        version=1,
        base=base,
        values={"shared": {"place_type": "", "contact_result": "engaged"}},  # place untouched
    )
    assert saved.lock_version == 3
    planned_visit.refresh_from_db()
    assert planned_visit.place_type == "gp" and planned_visit.contact_result == "engaged"


def test_the_same_field_changed_two_ways_is_a_conflict_and_nothing_is_written(
    officer: Any, idva: Any, planned_visit: Visit
) -> None:
    base = services.visit_snapshot(user=officer, visit=planned_visit)
    record(idva, planned_visit, values={"shared": {"contact_result": "declined"}})
    with pytest.raises(services.VisitConflict) as raised:
        record(
            officer,
            planned_visit,
            version=1,
            base=base,
            values={
                "shared": {"contact_result": "engaged", "place_type": "home"},
                "police": {"statement_taken": True},
            },
        )
    conflict = raised.value
    assert conflict.conflicts == [
        services.FieldConflict("shared", "contact_result", "engaged", "declined")
    ]
    assert conflict.visit.pk == planned_visit.pk
    assert conflict.current["shared"]["contact_result"] == "declined"
    planned_visit.refresh_from_db()
    assert (planned_visit.place_type, planned_visit.lock_version) == ("", 2)
    assert not PoliceVisitRecord.objects.exists()


def test_both_changing_a_field_to_the_same_value_is_no_conflict(
    officer: Any, idva: Any, planned_visit: Visit
) -> None:
    base = services.visit_snapshot(user=officer, visit=planned_visit)
    record(idva, planned_visit, values={"shared": {"referrals_made": ["marac", "housing"]}})
    record(
        officer,
        planned_visit,
        version=1,
        base=base,
        values={"shared": {"referrals_made": ["housing", "marac"]}},
    )
    planned_visit.refresh_from_db()
    assert sorted(planned_visit.referrals_made) == ["housing", "marac"]


def test_a_stale_form_without_its_base_is_a_conflict_on_every_field_that_differs(
    officer: Any, idva: Any, planned_visit: Visit
) -> None:
    record(idva, planned_visit, values={"shared": {"place_type": "gp"}})
    with pytest.raises(services.VisitConflict) as raised:
        record(officer, planned_visit, version=1, values={"shared": {"place_type": "home"}})
    assert [(c.field, c.mine, c.theirs) for c in raised.value.conflicts] == [
        ("place_type", "home", "gp")
    ]


# --- visit_plan ------------------------------------------------------------------------------


def test_planning_a_visit_creates_it_for_the_investigations_victim(
    officer: Any, west_case: dict[str, Any]
) -> None:
    with time_machine.travel(NOW, tick=False):
        visit = services.visit_plan(
            user=officer, investigation=west_case["investigation"], mode=Visit.Mode.LIVE
        )
    assert visit.victim == west_case["victim"] and visit.mode == "live"
    assert visit.record_status == Visit.RecordStatus.PLANNED and visit.planned_at == NOW
    assert_audited("visits.visit_planned", action="create", actor=officer, subject=visit)
    later = services.visit_plan(
        user=officer, investigation=west_case["investigation"], planned_at=NOW + dt.timedelta(1)
    )
    assert later.planned_at == NOW + dt.timedelta(1) and later.mode == "post-incident"


def test_roles_that_cannot_start_visits_cannot_plan_one(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    with pytest.raises(services.VisitNotAllowed):
        services.visit_plan(user=make_user("analyst"), investigation=west_case["investigation"])
    assert Visit.objects.count() == 1  # west_case's own


# --- consultations ---------------------------------------------------------------------------


def test_an_officer_logs_a_consultation_trimmed_and_audited(
    make_user: Any, idva: Any, west_case: dict[str, Any]
) -> None:
    officer = make_user("response_officer")
    with time_machine.travel(NOW, tick=False):
        consultation = services.consultation_log(
            user=officer,
            topic="  Risk and safety ",
            advice=" Refer to MARAC\n",
            idva=idva,
            investigation=west_case["investigation"],
        )
    assert (consultation.topic, consultation.advice) == ("Risk and safety", "Refer to MARAC")
    assert consultation.asked_at == NOW and consultation.officer == officer
    assert_audited(
        "visits.consultation_logged", action="create", actor=officer, subject=consultation
    )


def test_only_police_roles_log_consultations(idva: Any, make_user: Any) -> None:
    for user in (idva, make_user("analyst")):
        with pytest.raises(services.VisitNotAllowed, match=services.NOT_ALLOWED_CONSULTATION):
            services.consultation_log(user=user, topic="Other")
    assert not Consultation.objects.exists()


def test_an_idva_advises_on_a_consultation_asked_of_no_one_and_it_becomes_theirs(
    officer: Any, idva: Any
) -> None:
    consultation = services.consultation_log(user=officer, topic="Other", advice="first")
    advised = services.consultation_advise(
        user=idva, consultation=consultation, advice="  Offer a referral  "
    )
    assert advised.advice == "Offer a referral" and advised.idva == idva
    event = assert_audited(
        "visits.consultation_advised", action="update", actor=idva, subject=consultation
    )
    assert event.changes == {"advice": ["first", "Offer a referral"]}


def test_only_the_idva_asked_may_advise(officer: Any, idva: Any, make_user: Any) -> None:
    other_idva = make_user("health_idva", username="other.idva")
    consultation = services.consultation_log(user=officer, topic="Other", idva=idva)
    for user in (other_idva, officer):
        with pytest.raises(services.VisitNotAllowed, match=services.NOT_ALLOWED_ADVICE):
            services.consultation_advise(user=user, consultation=consultation, advice="mine")
    consultation.refresh_from_db()
    assert consultation.advice == ""


# --- visit_attempt_record --------------------------------------------------------------------


def test_an_attempt_completes_the_cases_planned_visit(officer: Any, planned_visit: Visit) -> None:
    arrived = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    visit = services.visit_attempt_record(
        user=officer,
        investigation=planned_visit.investigation,
        arrived_at=arrived,
        result="no_contact",
        place_type="home",
    )
    assert visit.pk == planned_visit.pk and visit.lock_version == 2, "an open form sees it moved"
    assert (visit.record_status, visit.contact_result, visit.place_type) == (
        "complete",
        "no_contact",
        "home",
    )
    event = assert_audited("visits.visit_recorded", action="update", actor=officer, subject=visit)
    assert event.changes["contact_result"] == [None, "no_contact"]
    case = Case.objects.get(investigation=planned_visit.investigation)
    assert case.state == "attempted" and case.attempts == 1


def test_an_attempt_without_a_planned_visit_makes_a_complete_one(
    officer: Any, west_case: dict[str, Any]
) -> None:
    arrived = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    visit = services.visit_attempt_record(
        user=officer,
        investigation=west_case["investigation"],
        arrived_at=arrived,
        result="engaged",
        mode="live",
    )
    assert visit.pk != west_case["visit"].pk and visit.mode == "live"
    assert visit.planned_at == arrived and visit.record_status == "complete"
    assert_audited("visits.visit_recorded", action="create", actor=officer, subject=visit)
    assert Case.objects.get(investigation=west_case["investigation"]).state == "seen"


def test_an_attempt_with_an_unknown_result_or_in_the_future_is_refused(
    officer: Any, planned_visit: Visit
) -> None:
    investigation = planned_visit.investigation
    with pytest.raises(ValueError, match="unknown result 'lost'"):
        services.visit_attempt_record(
            user=officer, investigation=investigation, arrived_at=NOW, result="lost"
        )
    with (
        time_machine.travel(NOW, tick=False),
        pytest.raises(ValueError, match=services.NOT_FUTURE_ARRIVAL),
    ):
        services.visit_attempt_record(
            user=officer,
            investigation=investigation,
            arrived_at=NOW + dt.timedelta(minutes=6),
            result="engaged",
        )
    planned_visit.refresh_from_db()
    assert planned_visit.record_status == "planned"


def test_roles_that_cannot_record_visits_cannot_record_an_attempt(
    make_user: Any, planned_visit: Visit
) -> None:
    with pytest.raises(services.VisitNotAllowed):
        services.visit_attempt_record(
            user=make_user("triage_sergeant"),
            investigation=planned_visit.investigation,
            arrived_at=NOW - dt.timedelta(days=365),
            result="engaged",
        )


# --- visit_record_from_tracker ---------------------------------------------------------------


def tracker_row(west_case: dict[str, Any], **fields: Any) -> SupportRecord:
    values = {
        "tracker_id": "T-9",
        "investigation": west_case["investigation"],
        "victim": west_case["victim"],
        "bcu": west_case["support_record"].bcu,
        "mode": "post-incident",
        "idva_visit_at": dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC),
        "referrals": ["marac"],
        **fields,
    }
    return SupportRecord.objects.create(**values)


@pytest.mark.parametrize(
    ("accepted", "result"), [(True, "engaged"), (False, "declined"), (None, "")]
)
def test_a_new_tracker_row_is_a_visit_that_happened(
    west_case: dict[str, Any], accepted: bool | None, result: str
) -> None:
    row = tracker_row(west_case, idva_support_accepted=accepted)
    visit = services.visit_record_from_tracker(record=row, created=True)
    assert visit is not None
    row.refresh_from_db()
    assert row.visit == visit and visit.record_status == "complete"
    assert visit.arrived_at == visit.planned_at == row.idva_visit_at
    assert (visit.contact_result, visit.support_accepted) == (result, accepted)
    assert visit.referrals_made == ["marac"] and visit.victim == west_case["victim"]


def test_a_consultation_row_or_a_row_without_a_victim_has_no_visit(
    west_case: dict[str, Any],
) -> None:
    consultation = tracker_row(west_case, mode="consultation")
    anonymous = tracker_row(west_case, tracker_id="T-10", victim=None)
    for row in (consultation, anonymous):
        assert services.visit_record_from_tracker(record=row, created=True) is None
        row.refresh_from_db()
        assert row.visit is None


def test_an_updated_tracker_row_updates_its_visit_and_moves_its_version_on(
    west_case: dict[str, Any],
) -> None:
    row = tracker_row(west_case, idva_support_accepted=True)
    visit = services.visit_record_from_tracker(record=row, created=True)
    assert visit is not None and visit.lock_version == 1
    corrected = dt.datetime(2026, 6, 1, 11, tzinfo=dt.UTC)
    SupportRecord.objects.filter(pk=row.pk).update(
        idva_visit_at=corrected, idva_support_accepted=False, referrals=["housing"]
    )
    row.refresh_from_db()
    services.visit_record_from_tracker(record=row, created=False)
    visit.refresh_from_db()
    assert visit.arrived_at == corrected and visit.lock_version == 2
    assert (visit.support_accepted, visit.contact_result) == (False, "declined")
    assert visit.referrals_made == ["housing"]
    assert Visit.objects.filter(investigation=west_case["investigation"]).count() == 2


def test_an_updated_row_without_a_visit_leaves_visits_alone(west_case: dict[str, Any]) -> None:
    row = tracker_row(west_case, mode="consultation")
    assert services.visit_record_from_tracker(record=row, created=False) is None
    assert Visit.objects.count() == 1
