"""Reads for the evaluation dashboard: the database's tracker and investigations as the core's
tables, the evaluation each role may see, and where cases stand now.

These use a handful of rows built here; ``test_same_numbers.py`` checks the same reads against
``provide evaluate`` on an export of the larger synthetic programme (conftest.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from provide.areas.models import Area
from provide.core.cases import CaseState
from provide.core.evaluation import Selection, publish, report_document
from provide.evaluation.selectors import (
    LOOK_AROUND,
    SOURCES,
    EvaluationNotAllowed,
    JourneyStep,
    bcu_list,
    case_journey_for,
    evaluation_build,
    evaluation_inputs,
    evaluation_report_for,
)
from provide.health.models import SupportRecord
from provide.intake.models import Investigation
from provide.people.models import Person

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def _at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def small(areas: dict[str, Area]) -> dict[str, Any]:
    """Three investigations and three tracker rows in West (2021), one far older East one."""
    known = Person.objects.create(force_person_ref="P-1", family_name="Known", synthetic=True)
    unreferenced = Person.objects.create(family_name="NoRef", synthetic=True)
    suspect = Person.objects.create(force_person_ref="S-1", family_name="Suspect", synthetic=True)
    inv = {
        "linked": Investigation.objects.create(
            investigation_ref="WB/1",
            recorded_at=_at(2021, 5, 1),
            bcu=areas["west"],
            victim=known,
            suspect=suspect,
            risk_grade="high",
            outcome_code="1",
        ),
        "unreferenced": Investigation.objects.create(
            investigation_ref="WB/2",
            recorded_at=_at(2021, 6, 1),
            bcu=areas["west"],
            victim=unreferenced,
        ),
        "old": Investigation.objects.create(
            investigation_ref="EB/9",
            recorded_at=_at(2015, 1, 1),
            bcu=areas["east"],
            victim=Person.objects.create(force_person_ref="P-9", synthetic=True),
        ),
    }
    records = [
        SupportRecord.objects.create(
            tracker_id="T-1",
            investigation=inv["linked"],
            victim=known,
            bcu=areas["west"],
            mode="live",
            police_visit_at=_at(2021, 5, 1, 11),
            idva_visit_at=_at(2021, 5, 1, 13),
            idva_support_accepted=True,
            engaged_safeguarding=False,
        ),
        SupportRecord.objects.create(
            tracker_id="T-2",
            investigation_ref="WB/2",
            victim=unreferenced,
            bcu=areas["west"],
            police_visit_at=_at(2021, 6, 1, 11),
            idva_visit_at=_at(2021, 6, 3, 11),
            record_status=SupportRecord.RecordStatus.DRAFT,
        ),
        SupportRecord.objects.create(tracker_id="T-3", bcu=areas["east"], mode=""),
    ]
    return {"investigations": inv, "records": records, "unreferenced": unreferenced}


def test_bcu_list_is_every_bcu_by_name(areas: dict[str, Area]) -> None:
    Area.objects.create(name="Central", kind=Area.Kind.BCU)
    assert [area.name for area in bcu_list()] == ["Central", "East", "West"]


def test_inputs_shape_the_tracker_as_the_core_reads_it(small: dict[str, Any]) -> None:
    inputs = evaluation_inputs(Selection())
    tracker = inputs.tracker.set_index("tracker_id")
    assert list(tracker.index) == ["T-1", "T-2", "T-3"]
    assert tracker.loc["T-1", "investigation_ref"] == "WB/1", "the linked investigation's reference"
    assert tracker.loc["T-2", "investigation_ref"] == "WB/2", "the reference the row gives"
    assert tracker.loc["T-1", "victim_id"] == "P-1"
    assert tracker.loc["T-2", "victim_id"] == f"person:{small['unreferenced'].pk}"
    assert tracker.isna().loc["T-3", "victim_id"] and tracker.isna().loc["T-3", "mode"]
    assert tracker.loc["T-1", "bcu"] == "West" and tracker.loc["T-3", "bcu"] == "East"
    assert tracker.loc["T-1", "idva_visit_at"] == _at(2021, 5, 1, 13)
    assert str(tracker["idva_support_accepted"].dtype) == "boolean"
    assert bool(tracker.loc["T-1", "idva_support_accepted"]) is True
    assert bool(tracker.loc["T-1", "engaged_safeguarding"]) is False
    assert tracker.isna().loc["T-2", "idva_support_accepted"], "blank stays unknown, not no"
    assert "services" not in tracker.columns and "notes" not in tracker.columns
    assert inputs.draft_rows == 1


def test_inputs_carry_the_whole_extract_span_suspects_and_go_live(small: dict[str, Any]) -> None:
    inputs = evaluation_inputs(Selection(date_from=dt.date(2021, 5, 1)))
    assert inputs.first_recorded_at == _at(2015, 1, 1) and inputs.last_recorded_at == _at(
        2021, 6, 1
    )
    assert inputs.extract_has_suspects is True
    assert inputs.go_live == {"East": dt.date(2023, 1, 9), "West": dt.date(2020, 4, 1)}
    investigations = inputs.investigations.set_index("investigation_ref")
    assert investigations.loc["WB/1", "suspect_id"] == "S-1"
    assert investigations.isna().loc["WB/2", "suspect_id"]
    assert investigations.loc["WB/2", "victim_id"] == f"person:{small['unreferenced'].pk}"
    assert investigations.isna().loc["WB/2", "risk_grade"], "a blank grade is unknown"
    assert investigations.loc["WB/1", "outcome_code"] == "1"


def test_a_period_loads_investigations_a_year_either_side_and_those_the_tracker_names(
    small: dict[str, Any], areas: dict[str, Area]
) -> None:
    victim = Person.objects.create(force_person_ref="P-5", synthetic=True)
    start = dt.datetime(2021, 5, 1, tzinfo=dt.UTC)

    def recorded(ref: str, at: dt.datetime) -> None:
        Investigation.objects.create(
            investigation_ref=ref, recorded_at=at, bcu=areas["east"], victim=victim
        )

    recorded("EB/near", start - LOOK_AROUND + dt.timedelta(days=2))
    recorded("EB/far", start - LOOK_AROUND - dt.timedelta(days=2))
    windowed = evaluation_inputs(Selection(date_from=dt.date(2021, 5, 1)))
    refs = set(windowed.investigations["investigation_ref"])
    assert "EB/near" in refs and "EB/far" not in refs
    assert {"WB/1", "WB/2"} <= refs
    assert "EB/9" not in refs, "six years before the period, and no tracker row names it"
    every = evaluation_inputs(Selection())
    assert set(every.investigations["investigation_ref"]) == refs | {"EB/far", "EB/9"}


def test_an_investigation_the_tracker_names_is_loaded_whenever_it_was_recorded(
    small: dict[str, Any],
) -> None:
    old = small["investigations"]["old"]
    SupportRecord.objects.filter(tracker_id="T-3").update(investigation_ref=old.investigation_ref)
    windowed = evaluation_inputs(
        Selection(date_to=dt.date(2021, 12, 31), date_from=dt.date(2021, 1, 1))
    )
    assert "EB/9" in set(windowed.investigations["investigation_ref"])


def test_an_empty_database_gives_empty_tables(areas: dict[str, Area]) -> None:
    inputs = evaluation_inputs(Selection())
    assert len(inputs.tracker) == 0 and len(inputs.investigations) == 0
    assert inputs.first_recorded_at is None and inputs.last_recorded_at is None
    assert inputs.extract_has_suspects is False and inputs.draft_rows == 0
    report = evaluation_build(inputs, Selection())
    assert report.measures.tracker_rows == 0 and report.measures.investigations is None


def test_build_notes_drafts_and_names_the_database_as_the_source(small: dict[str, Any]) -> None:
    report = evaluation_build(evaluation_inputs(Selection()), Selection())
    document = report_document(report)
    assert document["sources"] == SOURCES
    assert document["notes"][0] == (
        "1 tracker row(s) are drafts (the IDVA has not finished the record); "
        "their blank answers count as unknown"
    )
    assert report.measures.tracker_rows == 3


def test_without_investigations_the_report_is_the_trackers_alone(areas: dict[str, Area]) -> None:
    SupportRecord.objects.create(tracker_id="T-1", bcu=areas["west"], idva_visit_at=_at(2021, 1, 1))
    report = evaluation_build(evaluation_inputs(Selection()), Selection())
    assert report.measures.investigations is None
    assert report_document(report)["sources"] == {"tracker": SOURCES["tracker"]}
    assert not [note for note in report_document(report)["notes"] if "draft" in note]


def test_the_span_and_the_suspect_question_come_from_the_whole_extract(
    small: dict[str, Any],
) -> None:
    selection = Selection(date_from=dt.date(2021, 5, 1))
    inv = evaluation_build(evaluation_inputs(selection), selection).measures.investigations
    assert inv is not None
    assert (inv.first_recorded_at, inv.last_recorded_at) == (_at(2015, 1, 1), _at(2021, 6, 1))
    assert inv.repeat_suspect is not None
    Investigation.objects.update(suspect=None)
    without = evaluation_build(evaluation_inputs(selection), selection).measures.investigations
    assert without is not None and without.repeat_suspect is None, "no suspect ids: not asked"


@pytest.mark.parametrize(
    "slug", ["response_officer", "joint_team_officer", "health_idva", "administrator"]
)
def test_roles_without_the_dashboard_may_not_see_the_evaluation(
    slug: str, make_user: Any, small: dict[str, Any]
) -> None:
    with pytest.raises(EvaluationNotAllowed):
        evaluation_report_for(user=make_user(slug), selection=Selection())


def test_the_idva_manager_gets_full_figures_and_the_others_the_published_ones(
    make_user: Any, small: dict[str, Any]
) -> None:
    selection = Selection(bcu="West")
    moment = dt.datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        full = evaluation_report_for(user=make_user("idva_manager"), selection=selection)
        published = evaluation_report_for(user=make_user("analyst"), selection=selection)
    assert full.published is False and published.published is True
    assert full.selection == published.selection == selection
    assert full.document["generated_at"] == published.document["generated_at"]
    assert dt.datetime.fromisoformat(full.document["generated_at"]) == moment
    assert full.formats_json["tracker_rows"] == 2 and full.formats_json["suppressed"] is False
    assert published.formats_json == publish(full.formats_json)
    expected = publish({k: v for k, v in full.document.items() if k != "generated_at"})
    assert {k: v for k, v in published.document.items() if k != "generated_at"} == expected
    assert published.formats_json["tracker_rows"] == "<5"


def test_case_journey_counts_states_and_publishes_small_counts_hidden(
    personas: dict[str, Any], west_case: Any
) -> None:
    published = {
        step.state: step for step in case_journey_for(user=personas["analyst"], bcu_name="West")
    }
    assert published["new"].count == 1 and published["new"].shown == "fewer than 5"
    assert published["closed"].count == 0 and published["closed"].shown == "fewer than 5"
    full = {
        step.state: step
        for step in case_journey_for(user=personas["idva_manager"], bcu_name="West")
    }
    assert (full["new"].shown, full["closed"].shown) == ("1", "0")
    assert all(
        step.count == 0 for step in case_journey_for(user=personas["analyst"], bcu_name="East")
    )
    with pytest.raises(PermissionDenied):
        case_journey_for(user=personas["response_officer"], bcu_name=None)


def test_the_case_journey_names_every_state_in_lifecycle_order(
    personas: dict[str, Any], west_case: Any, east_case: Any
) -> None:
    every = case_journey_for(user=personas["idva_manager"], bcu_name=None)
    assert [(step.state, step.label) for step in every] == [(s.value, s.label) for s in CaseState]
    new = next(step for step in every if step.state == "new")
    assert new.count == 2, "no BCU: West's and East's new cases"


def test_published_journey_counts_are_rounded_so_bcus_cannot_be_differenced() -> None:
    """All BCUs 108, West 100: published 110 and 100, so East's 8 reads as anything from 6 to 14."""
    every, west = JourneyStep("new", "New", 108), JourneyStep("new", "New", 100)
    assert (every.shown, west.shown) == ("110", "100")
    assert JourneyStep("new", "New", 1288).shown == "1,290"
    assert JourneyStep("new", "New", 1288, published=False).shown == "1,288"
