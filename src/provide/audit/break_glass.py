"""The break-glass rule: the reason a user must give to open a record outside their area.

One rule for every door — the person page's form, the API's ``X-Access-Reason`` header and the
selector that writes the flagged audit event all call :func:`break_glass_reason_problem` or
:func:`clean_break_glass_reason`, so a reason the web form refuses is refused by the API too.

A reason is accepted when, after trimming (and collapsing runs of spaces, tabs and new lines
into one space), it

* is at least :data:`MIN_LENGTH` (10) and at most :data:`MAX_LENGTH` (500) characters long;
* has at least :data:`MIN_DISTINCT_LETTERS` (3) different letters, so ``"1234567890"`` or
  ``"!!!!!!!!!!"`` is not a reason;
* is not one short run of characters repeated (``"aaaaaaaaaa"``, ``"ab ab ab ab ab"``,
  ``"xyzxyzxyzxyz"``), ignoring case and spaces.

There is no list of allowed values: the reason is free text a reviewer reads (flagged events
in the audit log), so it must say why in the user's own words.
"""

from __future__ import annotations

import re

MIN_LENGTH = 10
"""Fewest characters in a trimmed reason."""

MAX_LENGTH = 500
"""Most characters in a trimmed reason (the form's limit, and the header's)."""

MIN_DISTINCT_LETTERS = 3
"""Fewest different letters (case-insensitive) a reason must hold."""

LONGEST_REPEATED_UNIT = 4
"""A reason that is a run of up to this many characters repeated is refused."""

REASON_MISSING = "Give a reason to open a record outside your area"
REASON_TOO_SHORT = f"The reason must be at least {MIN_LENGTH} characters"
REASON_TOO_LONG = f"The reason must be {MAX_LENGTH} characters or fewer"
REASON_NOT_WORDS = "Give a real reason in words, not the same characters repeated"

_SPACES = re.compile(r"\s+")


class BreakGlassReasonInvalid(ValueError):
    """The reason given for a break-glass read does not meet the rule; ``str()`` says why."""


def normalise_reason(text: str) -> str:
    """The reason as it is checked and recorded: trimmed, inner whitespace as single spaces.

    >>> normalise_reason("  Called by  the\\nvictim  ")
    'Called by the victim'
    """
    return _SPACES.sub(" ", text or "").strip()


def _is_repetition(text: str) -> bool:
    compact = text.replace(" ", "").casefold()
    for size in range(1, LONGEST_REPEATED_UNIT + 1):
        unit = compact[:size]
        if (
            len(compact) > size
            and unit * (len(compact) // size) + unit[: len(compact) % size] == compact
        ):
            return True
    return False


def break_glass_reason_problem(text: str) -> str | None:
    """Why ``text`` is not an acceptable break-glass reason, or None when it is.

    >>> break_glass_reason_problem("y")
    'The reason must be at least 10 characters'
    >>> break_glass_reason_problem("aaaaaaaaaaaa")
    'Give a real reason in words, not the same characters repeated'
    >>> break_glass_reason_problem("Victim moved here from East BCU last week") is None
    True
    """
    reason = normalise_reason(text)
    if not reason:
        return REASON_MISSING
    if len(reason) < MIN_LENGTH:
        return REASON_TOO_SHORT
    if len(reason) > MAX_LENGTH:
        return REASON_TOO_LONG
    letters = {character.casefold() for character in reason if character.isalpha()}
    if len(letters) < MIN_DISTINCT_LETTERS or _is_repetition(reason):
        return REASON_NOT_WORDS
    return None


def clean_break_glass_reason(text: str) -> str:
    """The normalised reason, or :class:`BreakGlassReasonInvalid` saying what is wrong."""
    problem = break_glass_reason_problem(text)
    if problem is not None:
        raise BreakGlassReasonInvalid(problem)
    return normalise_reason(text)
