"""The police side: records placed with their people, people linked, groups dated and held."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.areas.models import Area
from provide.intake.models import CustodyEpisode, Investigation
from provide.people.models import Person
from provide.retention.police_groups import police_side, police_units
from provide.retention.units import Unit
from provide.safeguarding.models import MaracAction, MaracCase, Referral
from provide.visits.models import Consultation
from tests.retention.conftest import AS_OF

pytestmark = pytest.mark.django_db
UTC = dt.UTC
TODAY = AS_OF.date()


def _group_of(person: Person, held: set[int] | None = None) -> Unit:
    _units, by_person = police_units(police_side(today=TODAY, done=set()), held or set())
    return by_person[person.pk]


def test_every_police_record_is_placed_in_the_victims_group(old_records: dict[str, Any]) -> None:
    group = _group_of(old_records["victim"])
    assert group.people == tuple(sorted((old_records["victim"].pk, old_records["suspect"].pk)))
    assert {record_type: len(ids) for record_type, ids in group.pending.items()} == {
        "intake.investigation": 2, "intake.riskassessment": 1, "intake.custodyepisode": 1, "cases.case": 2,
        "cases.caseevent": len(group.pending["cases.caseevent"]), "triage.triagedecision": 1, "visits.visit": 1,
        "visits.policevisitrecord": 1, "visits.consultation": 1, "safeguarding.referral": 1,
        "safeguarding.handovertask": 1,
    }  # fmt: skip
    ids = sorted(pk for pk, _at, _keys in group.investigations)
    assert ids == [old_records["first"].pk, old_records["second"].pk]
    # the evaluation's victim and suspect keys
    assert {keys for _pk, _at, keys in group.investigations} == {("P-OLD-1", "P-OLD-2")}


def test_a_suspects_recent_investigation_keeps_the_whole_linked_group(
    old_records: dict[str, Any], areas: dict[str, Area]
) -> None:
    other_victim = Person.objects.create(given_name="Newer", synthetic=True)
    Investigation.objects.create(investigation_ref="LC/2027/1", recorded_at=dt.datetime(2027, 1, 5, tzinfo=UTC),
                                 bcu=areas["west"], victim=other_victim, suspect=old_records["suspect"],
                                 abuse_types=["physical"])  # fmt: skip
    group = _group_of(old_records["victim"])
    assert other_victim.pk in group.people
    assert group.dispose_on == dt.date(2037, 1, 5)
    assert not group.due(TODAY)


def test_people_sharing_a_force_id_are_one_group(old_records: dict[str, Any]) -> None:
    twin = Person.objects.create(force_person_ref="P-OLD-1", given_name="Unmerged duplicate")
    assert twin.pk in _group_of(old_records["victim"]).people


def test_a_marac_hearing_makes_the_group_a_public_protection_matter(
    old_records: dict[str, Any],
) -> None:
    MaracCase.objects.create(victim=old_records["victim"], criterion="professional_judgement",
                             meeting_on=dt.date(2012, 6, 1))  # fmt: skip
    group = _group_of(old_records["victim"])
    assert group.group == 1
    assert group.dispose_on == dt.date(2080, 3, 14)  # the victim, the younger, turns 100
    assert group.review_on == dt.date(2032, 5, 17)  # every ten years from the first record


@pytest.mark.parametrize(
    ("make_hold", "reason"),
    [
        (lambda r: CustodyEpisode.objects.filter(pk=r["custody"].pk).update(status="bailed", released_at=None),
         "custody_or_bail"),
        (lambda r: type(r["case"]).objects.filter(pk=r["case"].pk).update(state="handed_over"), "open_case"),
        (lambda r: MaracAction.objects.create(
            case=MaracCase.objects.create(victim=r["victim"], criterion="repeat", meeting_on=dt.date(2012, 6, 1)),
            agency="Housing", action="Move"), "pending_marac"),
        (lambda r: MaracCase.objects.create(victim=r["victim"], criterion="repeat", meeting_on=dt.date(2030, 7, 1)),
         "pending_marac"),
        (lambda r: Referral.objects.filter(victim=r["victim"]).update(status="sent"), "open_referral"),
    ],
)  # fmt: skip
def test_police_records_past_their_date_are_held(
    old_records: dict[str, Any], make_hold: Any, reason: str
) -> None:
    make_hold(old_records)
    group = _group_of(old_records["victim"])
    assert reason in group.held
    assert not group.due(TODAY)


def test_a_legal_hold_on_anyone_in_the_group_holds_it(old_records: dict[str, Any]) -> None:
    group = _group_of(old_records["victim"], held={old_records["suspect"].pk})
    assert group.held == ("legal_hold",)


def test_a_rows_own_dates_come_before_when_it_was_made(old_records: dict[str, Any]) -> None:
    # The referral was typed in today but closed in 2012: 2012 counts, not today.
    assert _group_of(old_records["victim"]).dispose_on == dt.date(2022, 11, 20)
    Referral.objects.filter(victim=old_records["victim"]).update(closed_at=None)
    assert _group_of(old_records["victim"]).dispose_on > dt.date(
        2030, 1, 1
    )  # only its creation is left


def test_advice_about_no_investigation_is_reviewed_on_its_own(old_records: dict[str, Any]) -> None:
    advice = Consultation.objects.create(officer=old_records["officer"], asked_at=dt.datetime(2013, 2, 1, tzinfo=UTC),
                                         topic="General question")  # fmt: skip
    units, _by_person = police_units(police_side(today=TODAY, done=set()), set())
    [group] = [unit for unit in units if unit.pending.get("visits.consultation") == [advice.pk]]
    assert group.people == () and group.group == 3 and group.dispose_on == dt.date(2019, 2, 1)
