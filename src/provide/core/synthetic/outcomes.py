"""Home Office outcome codes for closed synthetic crimes (DOMAIN.md §5).

Crimes close a few weeks to several months after they are recorded; those still open at the
end of the window have no outcome. The mix follows national DA figures: outcome 16 (victim
does not support) about 55%, 15 (victim supports, evidence lacking) about 20%, charge about
9%. A suspect charged and remanded in custody closes with outcome 1 on that day. A victim who
accepted prosecution support at a joint-team visit makes a positive outcome about twice as
likely, which is the effect the evaluation looks for after go-live.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from provide.core.synthetic.investigations import DraftInvestigation
from provide.core.synthetic.sampling import LONDON, WeightedChoice

OUTCOME_WEIGHTS: dict[str, float] = {
    "16": 55.0,
    "15": 20.0,
    "1": 6.5,
    "1A": 0.5,
    "3": 2.0,
    "8": 3.0,
    "22": 1.0,
    "14": 2.0,
    "10": 2.0,
    "21": 2.0,
    "18": 1.5,
    "9": 1.0,
    "20": 1.0,
    "17": 0.5,
}
"""Relative frequency of each outcome among closed DA crimes not charged in custody."""

POSITIVE_OUTCOMES = frozenset({"1", "1A", "2", "3", "4", "6", "7", "8"})
"""Outcome codes counted as positive (FORMATS.md measure definitions)."""

SUPPORT_POSITIVE_FACTOR = 2.2
SUPPORT_WITHDRAWAL_FACTOR = 0.6
CLOSURE_MEDIAN_DAYS = 40.0

_BASE = WeightedChoice(list(OUTCOME_WEIGHTS.items()))
_SUPPORTED = WeightedChoice(
    [
        (
            code,
            weight
            * (
                SUPPORT_POSITIVE_FACTOR
                if code in POSITIVE_OUTCOMES
                else SUPPORT_WITHDRAWAL_FACTOR
                if code == "16"
                else 1.0
            ),
        )
        for code, weight in OUTCOME_WEIGHTS.items()
    ]
)


def assign_outcomes(drafts: list[DraftInvestigation], end_on: date, rng: random.Random) -> None:
    """Close the crimes that would be closed by ``end_on``, in place."""
    for draft in drafts:
        if not draft.crime:
            continue
        recorded_on = draft.recorded_at.astimezone(LONDON).date()
        days = min(400, max(3, round(rng.lognormvariate(math.log(CLOSURE_MEDIAN_DAYS), 0.8))))
        if draft.charged_on is not None:
            draft.outcome_code, draft.outcome_on = "1", draft.charged_on
            continue
        closed_on = recorded_on + timedelta(days=days)
        if closed_on >= end_on:
            continue
        choose = _SUPPORTED if draft.prosecution_support else _BASE
        draft.outcome_code, draft.outcome_on = choose(rng), closed_on
