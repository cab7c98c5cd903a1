"""The referral lifecycle: draft → sent → accepted / rejected (with a reason) → done.

A referral is typed as a *draft*, *sent* to the receiving service, which *accepts* it or
*rejects* it with a reason; an accepted referral is *done* when the service has finished.
Rejected and done are final. Due dates are counted in calendar days from the day it was sent
(:data:`DUE_DAYS`), so a referral is overdue when it is still with the service (sent or
accepted) after its due date.

Sharing without the victim's consent is lawful only on a stated basis (DPA 2018 Sch 1
para 18, safeguarding of individuals at risk; meeting the MARAC threshold): the words are
required (:func:`sharing_problem`) and the service layer flags the audit event.

Example::

    >>> check_transition(Status.SENT, Status.REJECTED, reason="")
    Traceback (most recent call last):
    ...
    provide.core.safeguarding.lifecycle.TransitionNotAllowed: Give the reason the referral was rejected
    >>> due_on_for("dvds", dt.date(2025, 3, 3))
    datetime.date(2025, 3, 31)
"""

from __future__ import annotations

import datetime as dt
import enum


class Status(enum.Enum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DONE = "done"


class Consent(enum.Enum):
    GIVEN = "given"
    REFUSED = "refused"
    NOT_SOUGHT = "not_sought"


#: Allowed moves. Rejected and done are final.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.SENT}),
    Status.SENT: frozenset({Status.ACCEPTED, Status.REJECTED}),
    Status.ACCEPTED: frozenset({Status.DONE}),
    Status.REJECTED: frozenset(),
    Status.DONE: frozenset(),
}

#: States in which the referral is with the receiving service (and can be overdue).
OPEN_WITH_SERVICE: frozenset[Status] = frozenset({Status.SENT, Status.ACCEPTED})

#: Days from sending to the due date, by target service. MARAC meets daily in Lancashire, so
#: a MARAC referral is due the next day; children's services and the safeguarding unit the
#: next day (same-day safeguarding); a protection order within the 48 h DVPN window; a
#: Clare's Law (DVDS) request within its 28-day target; everything else within a week.
DUE_DAYS: dict[str, int] = {
    "marac": 1,
    "safeguarding_unit": 1,
    "childrens_services": 1,
    "refuge": 1,
    "protection_order": 2,
    "dvds": 28,
    "housing": 7,
    "mental_health": 7,
    "drug_alcohol": 7,
    "alarm": 7,
    "gp": 7,
    "other": 7,
}
DEFAULT_DUE_DAYS = 7
#: Shortest lawful basis accepted, in characters: a real sentence, not "MARAC".
MIN_LAWFUL_BASIS_CHARS = 20

NOT_ALLOWED = "A {current} referral cannot be marked {new}"
NEEDS_REJECTION_REASON = "Give the reason the referral was rejected"
NEEDS_LAWFUL_BASIS = (
    "Without the victim's consent, set out the lawful basis for sharing "
    f"(at least {MIN_LAWFUL_BASIS_CHARS} characters)"
)


class TransitionNotAllowed(ValueError):
    """The move is not in :data:`TRANSITIONS`, or it lacks what it needs (a reason)."""


def allowed_next(current: Status) -> frozenset[Status]:
    """The states a referral in ``current`` may move to."""
    return TRANSITIONS[current]


def check_transition(current: Status, new: Status, *, reason: str = "") -> None:
    """Raise :class:`TransitionNotAllowed` unless ``current`` → ``new`` is allowed.

    Parameters
    ----------
    current, new : Status
    reason : str
        Required (non-blank) when ``new`` is :attr:`Status.REJECTED`.
    """
    if new not in TRANSITIONS[current]:
        raise TransitionNotAllowed(NOT_ALLOWED.format(current=current.value, new=new.value))
    if new is Status.REJECTED and not reason.strip():
        raise TransitionNotAllowed(NEEDS_REJECTION_REASON)


def due_on_for(target: str, sent_on: dt.date) -> dt.date:
    """The date a referral to ``target`` sent on ``sent_on`` is due (see :data:`DUE_DAYS`)."""
    return sent_on + dt.timedelta(days=DUE_DAYS.get(target, DEFAULT_DUE_DAYS))


def is_overdue(status: Status, due_on: dt.date | None, today: dt.date) -> bool:
    """True when the referral is still with the service after its due date."""
    return status in OPEN_WITH_SERVICE and due_on is not None and due_on < today


def sharing_problem(consent: Consent, lawful_basis: str) -> str | None:
    """Why the referral may not be shared as it stands, or None when it may.

    With consent, nothing more is needed. Without it (refused or not sought) the lawful basis
    must be set out in words of at least :data:`MIN_LAWFUL_BASIS_CHARS` characters.
    """
    if consent is Consent.GIVEN:
        return None
    if len(lawful_basis.strip()) < MIN_LAWFUL_BASIS_CHARS:
        return NEEDS_LAWFUL_BASIS
    return None


def shared_without_consent(consent: Consent) -> bool:
    return consent is not Consent.GIVEN
