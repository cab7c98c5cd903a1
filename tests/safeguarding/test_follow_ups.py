"""What follows from a visit, for the visit page: its referrals and its hand-over task."""

from __future__ import annotations

from typing import Any

import pytest

from provide.safeguarding.follow_ups import NEEDS_COMPLETING, visit_follow_ups_for
from provide.safeguarding.models import Referral
from provide.safeguarding.visit_referrals import handover_from_visit
from provide.visits.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticked_visit(west_case: dict[str, Any], make_user: Any) -> tuple[Any, Visit]:
    officer = make_user("joint_team_officer")
    visit = west_case["visit"]
    visit.referrals_made = ["marac", "housing"]
    visit.save()
    handover_from_visit(user=officer, visit=visit)
    return officer, visit


def test_a_draft_referral_asks_to_be_completed_and_the_task_names_the_team(
    ticked_visit: tuple[Any, Visit],
) -> None:
    officer, visit = ticked_visit
    follow_ups = visit_follow_ups_for(user=officer, visit=visit)
    referrals = [f for f in follow_ups if f.text.endswith("referral")]
    assert len(referrals) == 2 and all(
        f.status == NEEDS_COMPLETING and not f.warning for f in referrals
    )
    assert all(f.url.startswith("/") for f in referrals)
    (task,) = [f for f in follow_ups if f.text.startswith("Hand-over")]
    assert task.text.startswith("Hand-over to the West safeguarding team: ")


def test_a_sent_referral_ticked_off_the_visit_warns_instead_of_withdrawing(
    ticked_visit: tuple[Any, Visit],
) -> None:
    officer, visit = ticked_visit
    Referral.objects.filter(visit=visit, target="marac").update(status=Referral.Status.SENT)
    visit.referrals_made = ["housing"]
    visit.save()
    marac = next(
        f for f in visit_follow_ups_for(user=officer, visit=visit) if f.text == "MARAC referral"
    )
    assert marac.status == "Sent"
    assert marac.warning.startswith(
        "No longer ticked on the visit, but this referral was already sent"
    )


def test_the_task_links_to_the_hand_over_list_only_for_roles_that_may_open_it(
    ticked_visit: tuple[Any, Visit], make_user: Any
) -> None:
    officer, visit = ticked_visit
    task_for_officer = visit_follow_ups_for(user=officer, visit=visit)[-1]
    task_for_team = visit_follow_ups_for(user=make_user("safeguarding_officer"), visit=visit)[-1]
    assert task_for_officer.url == "" and task_for_team.url


def test_referrals_outside_the_users_bcu_are_not_listed(
    ticked_visit: tuple[Any, Visit], make_user: Any
) -> None:
    _officer, visit = ticked_visit
    east_officer = make_user("joint_team_officer", bcu="east", username="east.officer")
    texts = [f.text for f in visit_follow_ups_for(user=east_officer, visit=visit)]
    assert not any(text.endswith("referral") for text in texts)
