"""Custody episodes for suspects: arrest soon after the incident, then release or charge.

About half of the suspects in crimes are arrested (more for high risk), most at or soon after
the first police visit. The custody officer expects release within 24 hours, sometimes up to
36 hours (PACE). The episode ends charged and remanded, bailed, released under investigation
(RUI), with no further action (NFA) or simply released. Events after the end of the generated
window are left out: that suspect is still in custody when the extract is taken.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from provide.core.synthetic.geography import Bcu
from provide.core.synthetic.investigations import DraftInvestigation
from provide.core.synthetic.sampling import LONDON, WeightedChoice, chance, round_to_minutes

ARREST_RATE = {"high": 0.8, "medium": 0.5, "standard": 0.3}
"""Chance the suspect of a crime is arrested, by risk grade."""
ARREST_RATE_NON_CRIME = 0.04
ARRESTED_AT_SCENE = 0.7
"""Share arrested within 90 minutes of the first police visit; the rest within three days."""

RELEASE_EVENTS: dict[str, WeightedChoice[str]] = {
    grade: WeightedChoice(
        [
            ("charged_remanded", remand),
            ("bailed", 18.0),
            ("released_rui", 42.0),
            ("released_nfa", 20.0),
            ("released", 20.0 - remand),
        ]
    )
    for grade, remand in (("high", 15.0), ("medium", 7.0), ("standard", 3.0))
}


@dataclass(frozen=True)
class SyntheticCustodyEvent:
    """One row of the custody feed (FORMATS.md C)."""

    custody_ref: str
    suspect_ref: str
    investigation_ref: str
    event: str
    event_at: datetime
    expected_release_at: datetime | None


def generate_custody(
    *, bcu: Bcu, drafts: list[DraftInvestigation], end_at: datetime, rng: random.Random
) -> list[SyntheticCustodyEvent]:
    """Arrest and release events for the BCU's suspects; sets ``charged_on`` when remanded."""
    events: list[SyntheticCustodyEvent] = []
    number = 0
    for draft in drafts:
        rate = ARREST_RATE[draft.risk_grade] if draft.crime else ARREST_RATE_NON_CRIME
        if not chance(rng, rate):
            continue
        if chance(rng, ARRESTED_AT_SCENE):
            delay = timedelta(minutes=rng.uniform(0, 90))
        else:
            delay = timedelta(hours=rng.uniform(3, 72))
        arrested_at = round_to_minutes(draft.first_police_visit_at + delay)
        if arrested_at >= end_at:
            continue
        clock_hours = 24.0 if chance(rng, 0.7) else rng.uniform(24, 36)
        expected = round_to_minutes(arrested_at + timedelta(hours=clock_hours), 15)
        number += 1
        ref = f"SYN-C-{bcu.code}-{number:06d}"
        draft.custody_refs.append(ref)
        suspect_ref = draft.suspect.person_ref
        events.append(
            SyntheticCustodyEvent(ref, suspect_ref, draft.investigation_ref, "arrested",
                                  arrested_at, expected)
        )  # fmt: skip
        released_at = round_to_minutes(
            arrested_at + (expected - arrested_at) * rng.uniform(0.25, 1.0)
        )
        if released_at >= end_at:
            continue
        event = RELEASE_EVENTS[draft.risk_grade](rng)
        if event == "charged_remanded" and not draft.crime:
            event = "released_nfa"  # no crime, no charge (same draws: the data stay seeded)
        if event == "charged_remanded":
            draft.charged_on = released_at.astimezone(LONDON).date()
        events.append(
            SyntheticCustodyEvent(ref, suspect_ref, draft.investigation_ref, event,
                                  released_at, None)
        )  # fmt: skip
    events.sort(key=lambda e: (e.event_at, e.custody_ref))
    return events
