"""Referrals ticked on a visit become draft referrals and ONE hand-over task for the BCU's
safeguarding team — once, whatever the edits and retries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from provide.audit.models import AuditEvent
from provide.core.safeguarding.targets import REFERRAL_TARGETS
from provide.safeguarding import services
from provide.safeguarding.follow_ups import visit_follow_ups_for
from provide.safeguarding.models import HandoverTask, Referral, ReferralService
from provide.safeguarding.visit_referrals import handover_from_visit
from provide.visits.models import Visit
from provide.visits.services import visit_record
from provide.visits.signals import follow_ups_for, visit_completed, visit_follow_ups

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(west_case: dict[str, Any]) -> Visit:
    return Visit.objects.create(
        mode=Visit.Mode.POST_INCIDENT,
        investigation=west_case["investigation"],
        victim=west_case["victim"],
        record_status=Visit.RecordStatus.PLANNED,
        planned_at=west_case["investigation"].recorded_at,
    )


@pytest.fixture
def officer(make_user: Callable[..., Any]) -> Any:
    return make_user("joint_team_officer")


def _save(user: Any, visit: Visit, targets: list[str], *, finish: bool = True) -> Visit:
    visit.refresh_from_db()
    shared = {
        "arrived_at": timezone.now() - dt.timedelta(minutes=30),
        "contact_result": "engaged",
        "referrals_made": targets,
    }
    return visit_record(
        user=user,
        visit_id=visit.public_id,
        lock_version=visit.lock_version,
        values={"shared": shared},
        finish=finish,
    )


def _task(visit: Visit) -> HandoverTask:
    return HandoverTask.objects.get(visit=visit, source=HandoverTask.Source.VISIT_REFERRALS)


def _listed(task: HandoverTask) -> list[str]:
    return sorted(task.referrals.values_list("target", flat=True))


def test_finishing_a_visit_makes_a_draft_referral_per_tick_and_one_task(
    officer: Any, visit: Visit
) -> None:
    _save(officer, visit, ["marac", "refuge"])

    referrals = Referral.objects.filter(visit=visit).order_by("target")
    assert [r.target for r in referrals] == ["marac", "refuge"]
    for referral in referrals:
        assert referral.status == Referral.Status.DRAFT
        assert (referral.victim, referral.investigation, referral.created_by) == (
            visit.victim,
            visit.investigation,
            officer,
        )
    task = _task(visit)
    assert task.team == visit.investigation.bcu and task.victim == visit.victim
    assert _listed(task) == ["marac", "refuge"]
    assert "MARAC" in task.title and "Refuge or hostel" in task.title
    visit.refresh_from_db()
    # MARAC and refuge: the day after the visit (its own date, also just after midnight)
    assert task.due_on == timezone.localdate(visit.arrived_at) + dt.timedelta(days=1)
    assert AuditEvent.objects.filter(
        event="safeguarding.handover_created", object_id=str(task.public_id), actor=officer
    ).exists()
    assert (
        AuditEvent.objects.filter(event="safeguarding.referral_created", actor=officer).count() == 2
    )


def test_a_draft_save_makes_nothing_until_the_visit_is_finished(officer: Any, visit: Visit) -> None:
    _save(officer, visit, ["marac"], finish=False)
    assert not Referral.objects.filter(visit=visit).exists()
    assert not HandoverTask.objects.filter(visit=visit).exists()


def test_saving_again_or_retrying_makes_no_duplicates(officer: Any, visit: Visit) -> None:
    _save(officer, visit, ["marac", "housing"])
    audit_before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    _save(officer, visit, ["marac", "housing"])
    visit.refresh_from_db()
    handover_from_visit(user=officer, visit=visit)  # a retried receiver

    assert Referral.objects.filter(visit=visit).count() == 2
    assert HandoverTask.objects.filter(visit=visit).count() == 1
    assert not AuditEvent.objects.filter(
        pk__gt=audit_before, event__startswith="safeguarding."
    ).exists()


def test_adding_a_tick_later_adds_only_the_missing_referral_to_the_same_task(
    officer: Any, visit: Visit
) -> None:
    _save(officer, visit, ["marac"])
    task = _task(visit)
    first = Referral.objects.get(visit=visit, target="marac")

    _save(officer, visit, ["marac", "housing"])

    assert Referral.objects.filter(visit=visit).count() == 2
    assert Referral.objects.get(visit=visit, target="marac") == first
    assert _task(visit).pk == task.pk and _listed(_task(visit)) == ["housing", "marac"]
    event = AuditEvent.objects.get(
        event="safeguarding.handover_updated", object_id=str(task.public_id)
    )
    assert event.changes["referrals"] == [["MARAC"], ["MARAC", "Housing"]]


def test_removing_the_tick_of_a_draft_withdraws_it(officer: Any, visit: Visit) -> None:
    _save(officer, visit, ["marac", "housing"])
    housing = Referral.objects.get(visit=visit, target="housing")

    _save(officer, visit, ["marac"])

    assert not Referral.objects.filter(pk=housing.pk).exists()
    assert _listed(_task(visit)) == ["marac"]
    assert "Withdrawn, no longer ticked on the visit: Housing." in _task(visit).details
    assert AuditEvent.objects.filter(
        event="safeguarding.referral_withdrawn", object_id=str(housing.public_id), actor=officer
    ).exists()


def test_removing_the_tick_of_a_sent_referral_never_deletes_it_and_warns(
    officer: Any, visit: Visit
) -> None:
    _save(officer, visit, ["marac", "housing"])
    housing = Referral.objects.get(visit=visit, target="housing")
    services.referral_draft_update(user=officer, referral=housing, consent="given")
    services.referral_send(user=officer, referral=housing)

    visit = _save(officer, visit, ["marac"])

    housing.refresh_from_db()
    assert housing.status == Referral.Status.SENT
    assert _listed(_task(visit)) == ["housing", "marac"]
    assert "no longer ticked on the visit, but already sent: kept" in _task(visit).details
    warnings = [f.warning for f in follow_ups_for(user=officer, visit=visit) if f.warning]
    assert len(warnings) == 1 and "already sent" in warnings[0]


def test_a_new_tick_reopens_a_task_already_done(officer: Any, visit: Visit, make_user: Any) -> None:
    _save(officer, visit, ["marac"])
    services.handover_set_status(
        user=make_user("safeguarding_officer"), task=_task(visit), status="done"
    )

    _save(officer, visit, ["marac", "alarm"])

    task = _task(visit)
    assert task.status == HandoverTask.Status.OPEN and task.done_at is None


def test_the_idva_ticking_referrals_hands_over_too(make_user: Any, visit: Visit) -> None:
    idva = make_user("health_idva")
    _save(idva, visit, ["gp"])
    assert _listed(_task(visit)) == ["gp"] and _task(visit).created_by == idva


def test_a_referral_made_by_hand_from_the_visit_is_reused_when_ticked(
    officer: Any, visit: Visit
) -> None:
    by_hand = services.referral_create(
        user=officer, victim=visit.victim, target="refuge", consent="given", visit=visit
    )
    _save(officer, visit, ["refuge"])
    assert list(Referral.objects.filter(visit=visit)) == [by_hand]
    assert _listed(_task(visit)) == ["refuge"]
    with pytest.raises(services.SafeguardingError, match="already made from this visit"):
        services.referral_create(
            user=officer, victim=visit.victim, target="refuge", consent="given", visit=visit
        )


def test_the_database_refuses_a_second_referral_for_the_same_visit_and_service(
    officer: Any, visit: Visit
) -> None:
    Referral.objects.create(victim=visit.victim, visit=visit, target="marac")
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(victim=visit.victim, visit=visit, target="marac")


def test_the_database_refuses_a_second_referral_task_for_a_visit(visit: Visit) -> None:
    fields = {
        "team": visit.investigation.bcu,
        "victim": visit.victim,
        "visit": visit,
        "title": "t",
        "source": HandoverTask.Source.VISIT_REFERRALS,
    }
    HandoverTask.objects.create(**fields)
    HandoverTask.objects.create(
        **{**fields, "source": HandoverTask.Source.BY_HAND}
    )  # by hand: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        HandoverTask.objects.create(**fields)


def test_a_marac_draft_from_a_visit_needs_reasons_and_a_basis_before_it_is_sent(
    officer: Any, visit: Visit
) -> None:
    _save(officer, visit, ["marac"])
    marac = Referral.objects.get(visit=visit, target="marac")
    with pytest.raises(services.SafeguardingError, match="Set out why"):
        services.referral_send(user=officer, referral=marac)
    with pytest.raises(services.SafeguardingError, match="lawful basis"):
        services.referral_draft_update(user=officer, referral=marac, reasons="Threats to kill")

    services.referral_draft_update(
        user=officer, referral=marac, reasons="Threats to kill", consent="given"
    )
    sent = services.referral_send(user=officer, referral=marac)

    assert sent.status == Referral.Status.SENT
    event = AuditEvent.objects.get(
        event="safeguarding.referral_updated", object_id=str(marac.public_id)
    )
    assert event.changes["consent"] == ["not_sought", "given"]
    with pytest.raises(services.SafeguardingError, match="Only a draft"):
        services.referral_draft_update(user=officer, referral=marac, reasons="More")


def test_safeguarding_listens_to_the_visit_signals() -> None:
    def names(signal: Any) -> set[str]:
        return {getattr(entry[1](), "__name__", "") for entry in signal.receivers}

    assert "hand_over_visit_referrals" in names(visit_completed)
    assert "list_visit_follow_ups" in names(visit_follow_ups)


def test_the_signal_alone_makes_the_hand_over(officer: Any, visit: Visit) -> None:
    visit.referrals_made = ["dvds"]
    visit.save()
    visit_completed.send(sender=Visit, visit=visit, user=officer)
    assert _listed(_task(visit)) == ["dvds"]


def test_follow_ups_show_only_what_the_user_may_see(
    officer: Any, visit: Visit, make_user: Any
) -> None:
    _save(officer, visit, ["marac"])
    mine = visit_follow_ups_for(user=officer, visit=visit)
    assert mine[0].text == "MARAC referral" and mine[0].url
    assert mine[1].text.startswith("Hand-over to the West safeguarding team") and not mine[1].url
    east_officer = make_user("joint_team_officer", bcu="east", username="east.officer")
    assert "MARAC referral" not in [
        f.text for f in visit_follow_ups_for(user=east_officer, visit=visit)
    ]
    assert visit_follow_ups_for(user=make_user("safeguarding_officer"), visit=visit)[1].url


def test_the_shared_vocabulary_of_services_matches_the_referral_model() -> None:
    assert tuple(ReferralService.Target.choices) == REFERRAL_TARGETS
