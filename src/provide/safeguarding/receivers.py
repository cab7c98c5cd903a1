"""Safeguarding's answers to the visits app's signals (connected in ``SafeguardingConfig.ready``)."""

from __future__ import annotations

from typing import Any

from provide.accounts.models import User
from provide.safeguarding.follow_ups import visit_follow_ups_for
from provide.safeguarding.visit_referrals import handover_from_visit
from provide.visits.signals import FollowUp, visit_completed, visit_follow_ups


def hand_over_visit_referrals(sender: Any, *, visit: Any, user: User, **kwargs: Any) -> None:
    """A visit was finished or edited: make or reconcile its referrals and hand-over task."""
    handover_from_visit(user=user, visit=visit)


def list_visit_follow_ups(sender: Any, *, visit: Any, user: User, **kwargs: Any) -> list[FollowUp]:
    return visit_follow_ups_for(user=user, visit=visit)


def connect() -> None:
    visit_completed.connect(
        hand_over_visit_referrals, dispatch_uid="safeguarding.hand_over_visit_referrals"
    )
    visit_follow_ups.connect(
        list_visit_follow_ups, dispatch_uid="safeguarding.list_visit_follow_ups"
    )
