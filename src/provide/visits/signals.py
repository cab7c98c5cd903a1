"""What the visits app tells the apps above it, without importing them.

``visits`` sits below ``safeguarding`` (and ``triage``, ``planning``), so it announces what
happened on a visit through signals and the apps above connect receivers in their
``AppConfig.ready()``:

* :data:`visit_completed` — a write: sent by :mod:`provide.visits.services` inside the
  transaction that finished a visit or changed a finished one, with ``visit`` and ``user``.
  Receivers do their own writes through their own services; an exception rolls the visit
  save back with them, so the visit and what follows from it are saved together or not at all.
* :data:`visit_follow_ups` — a read: sent by the visit page to ask what follows from the
  visit (referrals, hand-over tasks). Receivers return a list of :class:`FollowUp`, already
  limited to what ``user`` may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

from provide.accounts.models import User

visit_completed = Signal()
visit_follow_ups = Signal()


@dataclass(frozen=True)
class FollowUp:
    """One thing that follows from a visit, as the visit page lists it.

    ``warning`` is set when the user should act (a referral ticked off the visit after it was
    sent, for example); the page shows it prominently and after every save.
    """

    text: str
    url: str = ""
    status: str = ""
    warning: str = ""


def visit_completed_send(*, visit: Any, user: User) -> None:
    """Tell the apps above that ``visit`` is finished (or a finished visit changed)."""
    visit_completed.send(sender=type(visit), visit=visit, user=user)


def follow_ups_for(*, user: User, visit: Any) -> list[FollowUp]:
    """Everything the apps above say follows from ``visit``, for ``user``."""
    found: list[FollowUp] = []
    for _receiver, response in visit_follow_ups.send(sender=type(visit), visit=visit, user=user):
        found.extend(item for item in response or [] if isinstance(item, FollowUp))
    return found
