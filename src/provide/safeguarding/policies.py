"""Who may do what with referrals, MARAC cases, protective measures and hand-overs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from provide.accounts.models import User
from provide.health.policies import can_view_health_field


def _has(user: User | AnonymousUser, permission: str) -> bool:
    return bool(user.is_authenticated and user.has_perm(permission))


def can_view_referrals(user: User | AnonymousUser) -> bool:
    """Police, health and safeguarding roles see the shared referral status; analysts do not."""
    return _has(user, "safeguarding.view_referral")


def can_create_referral(user: User | AnonymousUser) -> bool:
    return _has(user, "safeguarding.add_referral")


def can_send_referral(user: User | AnonymousUser, referral: Any) -> bool:
    """The referrer sends their own draft; the safeguarding team can send any."""
    return _has(user, "safeguarding.change_referral") or (
        can_create_referral(user) and referral.created_by_id == user.pk
    )


def can_decide_referral(user: User | AnonymousUser) -> bool:
    """Accept, reject and close: the safeguarding team / MARAC coordinator."""
    return _has(user, "safeguarding.change_referral")


def can_share_idva_summary(user: User | AnonymousUser) -> bool:
    """Only the IDVA (a health role) may put health-side information on a referral."""
    return can_view_health_field(user)


def can_view_idva_summary(user: User | AnonymousUser, referral: Any) -> bool:
    """The IDVA's shared summary on ``referral``, on any surface (page, draft, PDF, API): the
    health-side wall (:func:`provide.health.policies.can_view_health_field`), which lets the
    safeguarding team see it only once the referral is sent, never on a draft."""
    return can_view_health_field(user, shared_with_partners=referral.status != "draft")


def can_run_marac(user: User | AnonymousUser) -> bool:
    return _has(user, "safeguarding.add_maraccase") and _has(user, "safeguarding.change_maraccase")


def can_manage_marac_actions(user: User | AnonymousUser) -> bool:
    return _has(user, "safeguarding.add_maracaction") and _has(
        user, "safeguarding.change_maracaction"
    )


def can_view_measures(user: User | AnonymousUser) -> bool:
    return _has(user, "safeguarding.view_protectivemeasure")


def can_record_measure(user: User | AnonymousUser) -> bool:
    return _has(user, "safeguarding.add_protectivemeasure")


def can_change_measure(user: User | AnonymousUser) -> bool:
    return _has(user, "safeguarding.change_protectivemeasure")


def can_view_handover(user: User | AnonymousUser) -> bool:
    return _has(user, "safeguarding.view_handovertask")


def can_hand_over(user: User | AnonymousUser) -> bool:
    return _has(user, "safeguarding.add_handovertask")


def can_work_handover(user: User | AnonymousUser) -> bool:
    return _has(user, "safeguarding.change_handovertask")
