"""Who may open the evaluation dashboard, and at what level of detail.

* Health roles holding the permission (the IDVA manager) see the full tracker-derived
  figures, data-quality notes included.
* Everyone else holding the permission (the analyst; police supervisors) sees only the
  *published* figures: aggregate, with counts below 5 suppressed and the others rounded to 5
  (:func:`provide.core.evaluation.publish`). SPEC §6: health-side data is never visible to
  police, and analysts see pseudonymised data only — aggregate published statistics are
  neither, and no tracker row, tracker id or victim id ever reaches the page.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from provide.accounts.models import User
from provide.accounts.policies import can_view_health_record

VIEW_PERMISSION = "evaluation.view_dashboard"


def can_view_evaluation(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm(VIEW_PERMISSION))


def can_view_full_evaluation(user: User | AnonymousUser) -> bool:
    """Unsuppressed figures and data-quality notes: health roles only."""
    return can_view_evaluation(user) and can_view_health_record(user)
