"""Who may do what with referrals, MARAC cases, protective measures and hand-overs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from provide.accounts.roles import ALL_ROLES
from provide.safeguarding.models import Referral
from provide.safeguarding.policies import (
    can_change_measure,
    can_create_referral,
    can_decide_referral,
    can_hand_over,
    can_manage_marac_actions,
    can_record_measure,
    can_run_marac,
    can_send_referral,
    can_share_idva_summary,
    can_view_handover,
    can_view_measures,
    can_view_referrals,
    can_work_handover,
)

pytestmark = pytest.mark.django_db
TEAM = {"safeguarding_officer"}


@pytest.mark.parametrize(
    ("policy", "allowed"),
    [
        (
            can_view_referrals,
            {
                "response_officer",
                "triage_sergeant",
                "joint_team_officer",
                "health_idva",
                "idva_manager",
                "safeguarding_officer",
            },
        ),
        (can_create_referral, {"joint_team_officer", "health_idva", "safeguarding_officer"}),
        (can_decide_referral, TEAM),
        (can_share_idva_summary, {"health_idva", "idva_manager"}),
        (can_run_marac, TEAM),
        (can_manage_marac_actions, TEAM),
        (can_view_measures, TEAM),
        (can_record_measure, TEAM),
        (can_change_measure, TEAM),
        (can_view_handover, TEAM),
        (can_hand_over, {"joint_team_officer", "safeguarding_officer"}),
        (can_work_handover, TEAM),
    ],
)
def test_each_safeguarding_door_opens_for_its_roles_only(
    policy: Callable[[Any], bool], allowed: set[str], make_user: Any
) -> None:
    assert {role.slug for role in ALL_ROLES if policy(make_user(role.slug))} == allowed
    assert not policy(AnonymousUser())


def test_a_referrer_sends_their_own_draft_and_the_team_sends_any(make_user: Any) -> None:
    officer = make_user("joint_team_officer")
    other_officer = make_user("joint_team_officer", username="second-officer")
    team = make_user("safeguarding_officer")
    own, others = Referral(created_by=officer), Referral(created_by=other_officer)
    assert can_send_referral(officer, own) and not can_send_referral(officer, others)
    assert can_send_referral(team, others)
    assert not can_send_referral(make_user("analyst"), Referral(created_by=None))
