"""An assessment as counts: what is due, held, coming up and kept, per side and record type.

The retention page, the dry-run report and the audit event of every run show these counts and
nothing else: no name, no reference, no date of anyone's record.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from provide.retention.assessment import (
    HEALTH_TYPES,
    HOLD_LABELS,
    POLICE_TYPES,
    Assessment,
)
from provide.retention.models import Side

UPCOMING_DAYS = 90
"""Records whose date falls within this many days are listed as coming up (time to place a hold)."""

STATES = ("due", "held", "upcoming", "kept")


@dataclass(frozen=True)
class TypeLine:
    """One record type: rows due now, held past their date, coming up, kept, and anonymised before."""

    record_type: str
    label: str
    due: int
    held: int
    upcoming: int
    kept: int
    anonymised: int


@dataclass(frozen=True)
class SideSummary:
    side: str
    lines: list[TypeLine]
    units: dict[str, int]
    """Linked groups (police) or people's records (health) in each state."""
    held_reasons: list[tuple[str, int]]
    """(reason in words, units held for it); a unit held for two reasons counts under both."""
    mopi_groups: list[tuple[int, int]]
    """Police: (MoPI group, linked groups not yet anonymised)."""
    reviews_due: int
    """Police: group 1 linked groups whose ten-yearly review falls within the coming days."""


def _state(dispose_on: dt.date, held: bool, today: dt.date) -> str:
    if dispose_on <= today:
        return "held" if held else "due"
    return "upcoming" if dispose_on <= today + dt.timedelta(days=UPCOMING_DAYS) else "kept"


def summarise(assessment: Assessment, side: str) -> SideSummary:
    """The counts of one side (``Side.POLICE`` or ``Side.HEALTH``)."""
    today = assessment.today
    labels = POLICE_TYPES if side == Side.POLICE else HEALTH_TYPES
    counts: dict[str, Counter[str]] = {record_type: Counter() for record_type in labels}
    units: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    groups: Counter[int] = Counter()
    reviews = 0
    for unit in assessment.units:
        if unit.side != side:
            continue
        for record_type, anonymised in unit.anonymised.items():
            counts[record_type]["anonymised"] += anonymised
        if not unit.pending:
            continue
        state = _state(unit.dispose_on, bool(unit.held), today)
        units[state] += 1
        for record_type, ids in unit.pending.items():
            counts[record_type][state] += len(ids)
        if state == "held":
            reasons.update(unit.held)
        if unit.group is not None:
            groups[unit.group] += 1
            if unit.group == 1 and unit.review_on <= today + dt.timedelta(days=UPCOMING_DAYS):
                reviews += 1
    return SideSummary(
        side=side,
        lines=[
            TypeLine(
                record_type,
                label,
                due=counts[record_type]["due"],
                held=counts[record_type]["held"],
                upcoming=counts[record_type]["upcoming"],
                kept=counts[record_type]["kept"],
                anonymised=counts[record_type]["anonymised"],
            )
            for record_type, label in labels.items()
        ],
        units={state: units[state] for state in STATES},
        held_reasons=[(HOLD_LABELS[reason], count) for reason, count in sorted(reasons.items())],
        mopi_groups=sorted(groups.items()) if side == Side.POLICE else [],
        reviews_due=reviews,
    )


def _side_json(summary: SideSummary) -> dict[str, Any]:
    found: dict[str, Any] = {
        "records": {
            line.record_type: {
                "due": line.due,
                "held": line.held,
                "upcoming": line.upcoming,
                "kept": line.kept,
                "anonymised_before": line.anonymised,
            }
            for line in summary.lines
        },
        "units": summary.units,
        "held_reasons": dict(summary.held_reasons),
    }
    if summary.side == Side.POLICE:
        found["mopi_groups"] = {str(group): count for group, count in summary.mopi_groups}
        found["group_1_reviews_due"] = summary.reviews_due
    return found


def summary_json(assessment: Assessment) -> dict[str, Any]:
    """Both sides and the people, as one JSON object (the dry-run report and the audit event)."""
    return {
        "as_of": assessment.today.isoformat(),
        "police": _side_json(summarise(assessment, Side.POLICE)),
        "health": _side_json(summarise(assessment, Side.HEALTH)),
        "people": {
            "due": len(assessment.people_due),
            "anonymised_before": assessment.people_anonymised,
            "total": assessment.people_total,
        },
    }
