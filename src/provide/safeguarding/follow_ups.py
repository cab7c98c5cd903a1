"""What follows from a visit, for the visit page: its referrals and its hand-over task.

Answers :data:`provide.visits.signals.visit_follow_ups`. Reads go through the safeguarding
selectors, so a user sees only the referrals and tasks their role and BCU allow.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from provide.accounts.models import User
from provide.safeguarding import policies, selectors
from provide.safeguarding.models import HandoverTask, Referral
from provide.safeguarding.visit_referrals import ticked_targets
from provide.visits.signals import FollowUp

SENT_NOT_TICKED = (
    "No longer ticked on the visit, but this referral was already {status}, so it has not been withdrawn. "
    "Ask the safeguarding team if it should be."
)
NEEDS_COMPLETING = "Draft: add consent and reasons, then send it."


def _referral_follow_up(referral: Referral, ticked: list[str]) -> FollowUp:
    warning = ""
    if referral.target not in ticked and referral.status != Referral.Status.DRAFT:
        warning = SENT_NOT_TICKED.format(status=referral.get_status_display().lower())
    return FollowUp(
        text=f"{referral.get_target_display()} referral",
        url=reverse("safeguarding:referral-detail", args=[referral.public_id]),
        status=NEEDS_COMPLETING
        if referral.status == Referral.Status.DRAFT
        else referral.get_status_display(),
        warning=warning,
    )


def _task_follow_up(user: User, task: HandoverTask) -> FollowUp:
    url = reverse("safeguarding:handover-list") if policies.can_view_handover(user) else ""
    return FollowUp(
        text=f"Hand-over to the {task.team.name} safeguarding team: {task.title}",
        url=url,
        status=task.get_status_display(),
    )


def visit_follow_ups_for(*, user: User, visit: Any) -> list[FollowUp]:
    """The referrals made from ``visit`` and its hand-over tasks, as ``user`` may see them.

    The visit page is already access-checked; a hand-over task is shown to the visit's users
    (they made it), linked only for roles that may open the hand-over list.
    """
    ticked = ticked_targets(visit)
    referrals = (
        selectors.referral_list_for(user=user, open_only=False)
        .filter(visit=visit)
        .order_by("created_at")
    )
    tasks = HandoverTask.objects.filter(visit=visit).select_related("team").order_by("created_at")
    return [
        *(_referral_follow_up(r, ticked) for r in referrals),
        *(_task_follow_up(user, t) for t in tasks),
    ]
