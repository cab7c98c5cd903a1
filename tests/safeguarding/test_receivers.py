"""Safeguarding answers the visits app's signals: the hand-over on a finished visit, the follow-ups on its page."""

from __future__ import annotations

from typing import Any

import pytest

from provide.safeguarding.models import HandoverTask, Referral
from provide.safeguarding.receivers import hand_over_visit_referrals, list_visit_follow_ups
from provide.visits.models import Visit
from provide.visits.signals import follow_ups_for, visit_completed, visit_follow_ups

pytestmark = pytest.mark.django_db


def test_the_receivers_are_connected_once_with_stable_ids() -> None:
    completed = [entry[1]() for entry in visit_completed.receivers]
    follow_ups = [entry[1]() for entry in visit_follow_ups.receivers]
    assert completed.count(hand_over_visit_referrals) == 1
    assert follow_ups.count(list_visit_follow_ups) == 1


def test_a_finished_visit_sent_through_the_signal_is_handed_over(
    west_case: dict[str, Any], make_user: Any
) -> None:
    officer, visit = make_user("joint_team_officer"), west_case["visit"]
    visit.referrals_made = ["refuge"]
    visit.save()
    visit_completed.send(sender=Visit, visit=visit, user=officer)
    assert list(Referral.objects.filter(visit=visit).values_list("target", flat=True)) == ["refuge"]
    assert HandoverTask.objects.filter(visit=visit).count() == 1
    assert (
        next(f.text for f in follow_ups_for(user=officer, visit=visit))
        == "Refuge or hostel referral"
    )
