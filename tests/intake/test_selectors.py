"""Access-checked reads of investigations and imports, and the one reading of the suspect's custody."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from provide.core.triage import CustodyStatus
from provide.intake.models import CustodyEpisode, IntakeImport, Investigation
from provide.intake.selectors import (
    custody_now_for,
    custody_window_from,
    custody_windows,
    intake_import_get_for,
    intake_import_list_for,
    investigation_get_for,
    investigation_list_for,
    investigation_risk_counts_for,
    suspect_custody_episodes,
)
from provide.intake.services import custody_import
from provide.people.models import Person
from provide.shared.access import RecordNotFound
from tests.audit_assertions import assert_audited
from tests.intake.builders import custody_row, write_custody

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2023, 6, 1, 12, tzinfo=dt.UTC)


def hours(n: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=n)


@pytest.fixture
def suspect() -> Person:
    return Person.objects.create(force_person_ref="P200", family_name="Suspect", synthetic=True)


def episode(
    suspect: Person,
    ref: str,
    arrested: float,
    status: str = "in_custody",
    released: float | None = None,
    expected: float | None = 24,
) -> CustodyEpisode:
    return CustodyEpisode.objects.create(
        custody_ref=ref,
        suspect=suspect,
        arrested_at=hours(arrested),
        status=status,
        released_at=hours(released) if released is not None else None,
        expected_release_at=hours(arrested + expected) if expected else None,
    )


def test_investigations_by_bcu_and_period(
    make_user: Any, west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    sergeant, recorded = make_user("triage_sergeant"), west_case["investigation"].recorded_at
    assert list(investigation_list_for(user=sergeant)) == [west_case["investigation"]]
    assert (
        list(investigation_list_for(user=sergeant, since=recorded + dt.timedelta(seconds=1))) == []
    )
    assert list(investigation_list_for(user=sergeant, until=recorded)) == []
    analyst = make_user("analyst")
    assert list(investigation_list_for(user=analyst)) == []


def test_risk_counts_name_ungraded_cases_unknown(
    make_user: Any, west_case: dict[str, Any], areas: Any
) -> None:
    investigation = west_case["investigation"]
    Investigation.objects.create(
        investigation_ref="WB/2026/000002",
        recorded_at=investigation.recorded_at,
        bcu=areas["west"],
        victim=investigation.victim,
        risk_grade="",
    )
    counts = investigation_risk_counts_for(
        user=make_user("triage_sergeant"), since=investigation.recorded_at - dt.timedelta(days=1)
    )
    assert counts == {"high": 1, "unknown": 1}


def test_opening_an_investigation_is_audited_and_another_bcus_looks_missing(
    make_user: Any, west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    sergeant = make_user("triage_sergeant")
    investigation = investigation_get_for(
        user=sergeant, investigation_id=west_case["investigation"].public_id
    )
    assert_audited(
        "intake.investigation_viewed", action="view", actor=sergeant, subject=investigation
    )
    for investigation_id in (east_case["investigation"].public_id, "not-a-uuid"):
        with pytest.raises(RecordNotFound):
            investigation_get_for(user=sergeant, investigation_id=investigation_id)


def test_custody_windows_take_each_suspects_latest_open_episode(suspect: Person) -> None:
    episode(suspect, "C-OLD", arrested=-200, status="released", released=-190)
    episode(suspect, "C-1", arrested=-2, released=6, status="bailed")
    other = Person.objects.create(family_name="Other", synthetic=True)
    episode(other, "C-2", arrested=-1)
    windows = custody_windows([suspect.pk, other.pk, suspect.pk], as_of=T0)
    assert {pk: w.custody_ref for pk, w in windows.items()} == {suspect.pk: "C-1", other.pk: "C-2"}
    assert windows[suspect.pk].status is CustodyStatus.IN_CUSTODY
    assert windows[suspect.pk].expected_release_at == hours(22)
    assert custody_windows([suspect.pk], as_of=hours(6)) == {}
    assert custody_windows([suspect.pk], as_of=hours(-3)) == {}
    assert custody_windows([], as_of=T0) == {}


def test_a_remand_with_no_release_is_held_for_court(suspect: Person) -> None:
    remand = episode(suspect, "C-R", arrested=-48, status="charged_remanded", expected=None)
    window = custody_windows([suspect.pk], as_of=T0)[suspect.pk]
    assert window.status is CustodyStatus.REMANDED and window.expected_release_at is None
    assert custody_window_from(remand, T0) == window


def test_a_suspect_remanded_through_the_custody_feed_stays_in_custody(
    suspect: Person, tmp_path: Path
) -> None:
    rows = [
        custody_row("C-1", "arrested", event_at="2023-06-01T15:30"),
        custody_row("C-1", "charged_remanded", event_at="2023-06-02T10:00"),
    ]
    custody_import(actor=None, path=write_custody(tmp_path / "custody.csv", rows))
    assert CustodyEpisode.objects.filter(suspect=suspect, status="charged_remanded").exists()
    window = custody_windows([suspect.pk], as_of=dt.datetime(2023, 6, 3, tzinfo=dt.UTC)).get(
        suspect.pk
    )
    assert window is not None and window.status is CustodyStatus.REMANDED


def test_custody_now_lists_suspects_in_police_custody_in_the_users_bcu(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    suspect = west_case["investigation"].suspect
    held = CustodyEpisode.objects.create(
        custody_ref="C-W",
        suspect=suspect,
        investigation=west_case["investigation"],
        arrested_at=hours(-1),
        expected_release_at=hours(20),
    )
    sergeant = make_user("triage_sergeant")
    assert list(custody_now_for(user=sergeant, as_of=T0)) == [held]
    assert list(custody_now_for(user=sergeant, as_of=hours(-2))) == []
    east = make_user("triage_sergeant", bcu="east", username="east.sergeant")
    assert list(custody_now_for(user=east, as_of=T0)) == []


def test_a_suspects_episodes_latest_first(suspect: Person) -> None:
    first, second = (
        episode(suspect, "C-1", arrested=-100, status="released", released=-90),
        episode(suspect, "C-2", 0),
    )
    assert list(suspect_custody_episodes(suspect.pk)) == [second, first]
    assert list(suspect_custody_episodes(None)) == []


def test_imports_are_listed_only_for_users_who_may_import(make_user: Any) -> None:
    administrator = make_user("administrator")
    record = IntakeImport.objects.create(
        kind="custody", file_name="c.csv", file_sha256="0" * 64, uploaded_by=administrator
    )
    assert list(intake_import_list_for(user=administrator)) == [record]
    assert intake_import_get_for(user=administrator, import_id=record.public_id) == record
    analyst = make_user("analyst")
    assert list(intake_import_list_for(user=analyst)) == []
    with pytest.raises(RecordNotFound):
        intake_import_get_for(user=analyst, import_id=record.public_id)
