"""What the investigation page gathers besides the investigation itself: the suspect's
custody (read as the triage board reads it), the triage decisions and the visits.

The investigation was fetched by ``intake.selectors.investigation_get_for``, which checked the
user's access and audited the view; each part here checks the user may see that kind of record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from provide.accounts.models import User
from provide.core.triage import CustodyWindow
from provide.intake.models import CustodyEpisode, Investigation
from provide.intake.presenters import custody_text
from provide.intake.selectors import custody_windows, suspect_custody_episodes
from provide.triage.models import TriageDecision
from provide.visits.models import Visit
from provide.visits.selectors import visit_list_for


@dataclass(frozen=True)
class SuspectCustody:
    """The suspect's custody at ``as_of``, in the board's words, and every episode on record."""

    as_of: dt.datetime
    window: CustodyWindow | None
    text: str
    episodes: list[CustodyEpisode]


def suspect_custody(investigation: Investigation, as_of: dt.datetime) -> SuspectCustody:
    suspect_id = investigation.suspect_id
    window = custody_windows([suspect_id], as_of).get(suspect_id) if suspect_id else None
    return SuspectCustody(
        as_of=as_of,
        window=window,
        text=custody_text(window, as_of),
        episodes=list(suspect_custody_episodes(suspect_id)),
    )


def triage_decisions(*, user: User, investigation: Investigation) -> list[TriageDecision]:
    """Every triage decision on the investigation, latest first (none without the permission)."""
    if not user.has_perm("triage.view_triagedecision"):
        return []
    return list(
        TriageDecision.objects.filter(investigation=investigation)
        .select_related("decided_by", "policy")
        .order_by("-decided_at", "-id")
    )


def investigation_visits(*, user: User, investigation: Investigation) -> QuerySet[Visit]:
    """The shared visit records for the investigation, latest first."""
    return (
        visit_list_for(user=user)
        .filter(investigation=investigation)
        .order_by("-arrived_at", "-planned_at")
    )
