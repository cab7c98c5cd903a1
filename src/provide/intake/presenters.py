"""Custody in words: the one sentence the triage board, its hand-over and the investigation
page all show for the suspect's custody window."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from provide.core.triage import CustodyStatus, CustodyWindow

NOT_IN_CUSTODY = "Not in custody"


def _when(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%a %d %b %H:%M")


def custody_text(custody: CustodyWindow | None, as_of: dt.datetime) -> str:
    """The custody window in words at ``as_of`` (:data:`NOT_IN_CUSTODY` when there is none)."""
    if custody is None:
        return NOT_IN_CUSTODY
    ref = f" ({custody.custody_ref})" if custody.custody_ref else ""
    if custody.status is CustodyStatus.REMANDED:
        return f"Charged and remanded in custody{ref}"
    hours = custody.hours_to_release(as_of)
    arrested = _when(custody.arrested_at)
    if hours is None or custody.expected_release_at is None:
        return f"In police custody since {arrested}{ref}; expected release not recorded"
    release = _when(custody.expected_release_at)
    if hours <= 0:
        return (
            f"Expected release at {release} has passed{ref}: check with custody "
            "whether the suspect is still detained"
        )
    return f"In police custody since {arrested}{ref}; expected release {release}, in {hours:.0f} h"
