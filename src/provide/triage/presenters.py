"""What a board card shows, worked out in Python once, so the template only lays it out.

The board can hold a hundred cases on a Monday; preparing each card's words here keeps the
page inside its 300 ms budget (benchmarks/triage_board.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from provide.core.triage import ClockState, Factor
from provide.intake.presenters import custody_text
from provide.triage.models import TriageDecision
from provide.triage.selectors import BoardRow, TriageBoard

RISK_TAGS = {
    "high": ("High", "govuk-tag--red"),
    "medium": ("Medium", "govuk-tag--yellow"),
    "standard": ("Standard", "govuk-tag--grey"),
}
CLOCK_TAGS = {
    ClockState.BREACHED: ("Breached: {}", "govuk-tag--red"),
    ClockState.DUE_SOON: ("Due soon: {}", "govuk-tag--orange"),
    ClockState.ON_TIME: ("{}", "govuk-tag--grey"),
    ClockState.LIVE: ("Live incident", "govuk-tag--purple"),
    ClockState.STOPPED: ("{}", "govuk-tag--green"),
}


def when(value: dt.datetime | None) -> str:
    """``Tue 10 Jan 07:00`` in local time."""
    return timezone.localtime(value).strftime("%a %d %b %H:%M") if value is not None else ""


@dataclass(frozen=True)
class Tag:
    text: str
    css: str


@dataclass(frozen=True)
class Radio:
    id: str
    value: str
    label: str
    checked: bool


@dataclass
class CaseCard:
    id: str
    rank: int
    reference: str
    victim: str
    victim_url: str
    investigation_url: str
    decide_url: str
    tags: list[Tag]
    details: list[tuple[str, str]]
    factors: tuple[Factor, ...]
    total: int
    policy_version: int
    decided: bool
    reason_hint: str
    radios: list[Radio]
    reason_value: str = ""
    decision_errors: list[str] = field(default_factory=list)
    reason_errors: list[str] = field(default_factory=list)
    other_errors: list[str] = field(default_factory=list)
    recorded_message: str = ""

    @property
    def has_errors(self) -> bool:
        return bool(self.decision_errors or self.reason_errors or self.other_errors)


def clock_tag(row: BoardRow) -> Tag:
    text, css = CLOCK_TAGS[row.assessment.clock.state]
    return Tag(text.format(row.assessment.clock.summary), css)


def _tags(row: BoardRow) -> list[Tag]:
    case = row.assessment.case
    risk = RISK_TAGS.get(
        case.risk_grade.value if case.risk_grade else "", ("Not graded", "govuk-tag--grey")
    )
    tags = [
        Tag(*risk),
        Tag(f"{row.assessment.score.total} points", "govuk-tag--blue"),
        clock_tag(row),
    ]
    if case.custody is not None:
        tags.append(Tag("Suspect in custody", "govuk-tag--turquoise"))
    tags.append(
        Tag("Eligible", "govuk-tag--green")
        if row.assessment.eligibility.eligible
        else Tag("Not eligible", "govuk-tag--grey")
    )
    if row.decision is not None:
        tags.append(
            Tag(
                row.decision.get_decision_display(),
                "govuk-tag--pink" if row.accepted else "govuk-tag--grey",
            )
        )
        if row.decision.eligibility_overridden:
            tags.append(Tag("Policy overridden", "govuk-tag--yellow"))
    if not row.investigation.has_location:
        tags.append(Tag("No location: the plan cannot include her", "govuk-tag--red"))
    return tags


def _details(row: BoardRow) -> list[tuple[str, str]]:
    inv, assessment = row.investigation, row.assessment
    district: Any = inv.district
    recorded = when(inv.recorded_at) + (f" · {district.name}" if district is not None else "")
    if inv.first_police_visit_at is None:
        clock = "No police visit recorded yet: live incident"
    else:
        clock = (
            f"First police visit {when(inv.first_police_visit_at)}; due by "
            f"{when(assessment.clock.due_by)} ({assessment.clock.summary})"
        )
    details = [("Recorded", recorded), ("24-hour clock", clock)]
    if not inv.has_location:
        details.append(
            ("Location", "None: open the investigation to place her by postcode, or plan by hand")
        )
    if assessment.case.language_need:
        details.append(("Language", f"Needs {assessment.case.language_need}"))
    if assessment.case.custody is not None:
        details.append(("Custody", custody_text(assessment.case.custody, assessment.score.as_of)))
    details.append(("Eligibility", assessment.eligibility.reason))
    if assessment.rank_note:
        details.append(("Rank", assessment.rank_note))
    if row.live and not row.decided:
        details.append(("Rank", "Live incident raised in Provide: at the top until you decide"))
    if row.case is not None and row.case.state not in ("new", "triaged", "accepted"):
        details.append(("Case", row.case.get_state_display()))
    decision = row.decision
    if decision is not None:
        by: Any = decision.decided_by
        details.append(
            (
                "Decision",
                f"{decision.get_decision_display()}: {decision.reasons} "
                f"({by or 'unknown'}, {when(decision.decided_at)}, policy version "
                f"{decision.policy.version})",
            )
        )
    return details


def case_card(
    row: BoardRow, *, query: str = "", form: Any = None, recorded: bool = False
) -> CaseCard:
    """The card of one board row; ``form`` is a bound DecisionForm with errors, if any."""
    inv = row.investigation
    ident = str(inv.public_id)
    suffix = f"?{query}" if query else ""
    chosen = form.data.get("decision") if form is not None else None
    card = CaseCard(
        id=ident,
        rank=row.rank,
        reference=inv.investigation_ref,
        victim=str(inv.victim),
        victim_url=reverse("people:person-detail", args=[inv.victim.public_id]),
        investigation_url=reverse("web:investigation-detail", args=[ident]),
        decide_url=reverse("triage:case-decide", args=[ident]) + suffix,
        tags=_tags(row),
        details=_details(row),
        factors=row.assessment.score.factors,
        total=row.assessment.score.total,
        policy_version=row.assessment.score.policy_version,
        decided=row.decision is not None,
        reason_hint=(
            "Needed if you do not accept this eligible case, for a consultation, or if the victim "
            "is supported elsewhere."
            if row.assessment.eligibility.eligible
            else "Needed if you accept this case (you override the policy), for a consultation, or if "
            "the victim is supported elsewhere."
        ),
        radios=[
            Radio(f"decision-{ident}-{n}", value, label, value == chosen)
            for n, (value, label) in enumerate(TriageDecision.Decision.choices, start=1)
        ],
    )
    if form is not None:
        card.reason_value = form.data.get("reason", "")
        card.decision_errors = list(form.errors.get("decision", []))
        card.reason_errors = list(form.errors.get("reason", []))
        card.other_errors = list(form.non_field_errors())
    if recorded and row.decision is not None:
        card.recorded_message = (
            f"Decision recorded: {row.decision.get_decision_display()} "
            f"(policy version {row.decision.policy.version})."
        )
    return card


# --- which cases the board shows: undecided first, decided folded away ---------------------

SHOW_UNDECIDED, SHOW_DECIDED, SHOW_ALL = "undecided", "decided", "all"
SHOW_CHOICES = (SHOW_UNDECIDED, SHOW_DECIDED, SHOW_ALL)
"""The board's ``?show=`` filter; undecided cases are the default view."""


def show_from(value: str | None) -> str:
    """The ``?show=`` value, or the default (undecided) for a missing or unknown one."""
    return value if value in SHOW_CHOICES else SHOW_UNDECIDED


@dataclass(frozen=True)
class FilterLink:
    show: str
    text: str
    count: int
    current: bool
    url: str


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    cards: list[CaseCard]
    empty: str
    intro: str = ""


@dataclass(frozen=True)
class BoardView:
    """What the queue shows under one ``show`` filter, with every count."""

    show: str
    links: list[FilterLink]
    sections: list[Section]
    undecided: int
    decided: int

    @property
    def folded(self) -> int:
        """Decided cases hidden under the default view."""
        return self.decided if self.show == SHOW_UNDECIDED else 0


def board_view(
    board: TriageBoard,
    show: str,
    cards: Any,
    urls: dict[str, str],
    pinned: frozenset[str] = frozenset(),
) -> BoardView:
    """Sections of cards for ``show``. ``cards`` turns rows into cards, ``urls`` gives the
    board's URL for each filter, and ``pinned`` cases (a decision form with errors) are shown
    whatever the filter, so an error is never hidden."""

    def pinned_here(row: BoardRow) -> bool:
        return show != SHOW_ALL and str(row.investigation.public_id) in pinned

    undecided = [
        row
        for row in board.rows
        if not row.decided or (show == SHOW_UNDECIDED and pinned_here(row))
    ]
    decided = [
        row for row in board.rows if row.decided or (show == SHOW_DECIDED and pinned_here(row))
    ]
    carried = board.carried_over_rows
    undecided_count = board.to_decide + len(carried)
    decided_count = len(board.rows) - board.to_decide
    sections: list[Section] = []
    if show in (SHOW_UNDECIDED, SHOW_ALL):
        sections += [
            Section(
                "eligible",
                "Eligible under the policy: to decide",
                cards([r for r in undecided if r.assessment.eligibility.eligible]),
                "No eligible case is waiting for a decision.",
            ),
            Section(
                "ineligible",
                "Not eligible under the policy: to decide",
                cards([r for r in undecided if not r.assessment.eligibility.eligible]),
                "None.",
                "You can still accept one of these for a joint visit: give your reason and it is "
                "recorded as an override.",
            ),
        ]
        if carried:
            sections.append(
                Section(
                    "carried-over",
                    "Carried over from earlier days: still to decide",
                    cards(carried),
                    "None.",
                )
            )
    if show in (SHOW_DECIDED, SHOW_ALL):
        sections.append(
            Section(
                "decided", "Decided", cards(decided), "No case on this board has been decided yet."
            )
        )
    counts = {
        SHOW_UNDECIDED: ("To decide", undecided_count),
        SHOW_DECIDED: ("Decided", decided_count),
        SHOW_ALL: ("All cases", undecided_count + decided_count),
    }
    links = [
        FilterLink(key, text, count, show == key, urls[key])
        for key, (text, count) in counts.items()
    ]
    return BoardView(
        show=show, links=links, sections=sections, undecided=undecided_count, decided=decided_count
    )
