"""Read safe-contact times written in words into a :class:`ContactSchedule`.

Officers and IDVAs have written safe-contact times as free text for years ("weekdays
09:00-12:00", "after 18:00", "school hours 09:15-15:00 · suspect may answer"). This reads what
can be read without guessing and says what could not, so a person reviews it:

* parts are separated by ``;``, ``·``, ``|`` or a new line (a comma too, when each side reads
  on its own);
* a part names days ("weekdays", "weekends", "Mon-Fri", "Monday to Friday", "Tuesdays",
  "every day"), times ("09:00-12:00", "9am to 1pm", "between 10 and 12", "after 18:00",
  "before 10:00", "mornings", "afternoons", "evenings", "school hours"), or both; a part that
  starts with "not", "never" or "avoid" is a range when contact is **not** safe;
* "any time" says there is no restriction; "suspect may answer", "no messages", "no texts",
  "no letters" and "no voicemail" are read as the matching warnings;
* an hour on its own below 8 without am/pm ("after 6") is ambiguous and is not read.

Anything else in a part makes the part unread: the reading is then not ``complete``, and the
record must be reviewed. What was read is still returned (a safe range only ever narrows when
a visit may be made).

Examples
--------
>>> reading = read_contact_times("weekdays 09:00-12:00 · suspect may answer")
>>> reading.schedule.in_words(), sorted(reading.warnings), reading.complete
(['Monday to Friday, 09:00 to 12:00'], ['suspect_may_answer'], True)
>>> read_contact_times("after 18:00").schedule.in_words()
['every day, 18:00 to 24:00']
>>> read_contact_times("ring her sister first").complete
False
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from provide.core.contact.schedule import (
    EVERY_DAY,
    MINUTES_IN_DAY,
    WEEKDAYS,
    WEEKEND,
    ContactSchedule,
    WeeklyRange,
)

__all__ = ["WARNINGS", "ContactReading", "read_contact_times"]

WARNINGS = {
    "suspect_may_answer": r"suspect (?:may|might|could|can) answer",
    "no_messages": r"(?:no|do not leave|don't leave) (?:messages?|voicemails?)",
    "no_sms": r"no (?:texts?|sms|text messages?)",
    "no_letters": r"no (?:letters?|post)",
}
"""The warnings a part may carry, by the Person field each turns on."""

ANY_TIME = re.compile(r"^(?:at )?any ?time(?: of day)?$|^anytime$|^no restrictions?$")
NEGATION = re.compile(r"^(?:not|never|avoid|unsafe|do not (?:call|visit|contact))\b[: ]*")
SEPARATORS = re.compile(r"[;·|\n]+")

_DAY_STEMS = {
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_DAY = r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
DAY_RANGE = re.compile(rf"\b{_DAY}\s*(?:-|–|to|until|till)\s*{_DAY}\b")
DAY_ONE = re.compile(rf"\b{_DAY}\b")
DAY_WORDS = [
    (re.compile(r"\bweek ?days?\b|\bworking days\b"), WEEKDAYS),
    (re.compile(r"\bweek ?ends?\b"), WEEKEND),
    (re.compile(r"\bevery ?day\b|\bdaily\b|\ball week\b|\bany day\b"), EVERY_DAY),
]

_TIME = (
    r"(\d{4})(?!\d)|(\d{1,2})(?:[:.](\d{2}))?(?!\d)\s*(am|pm|a\.m\.|p\.m\.)?|(noon|midday|midnight)"
)
TIME_RANGE = re.compile(
    rf"(?:between\s+|from\s+)?(?:{_TIME})\s*(?:-|–|to|until|till|and)\s*(?:{_TIME})"
)
TIME_AFTER = re.compile(rf"\b(?:after|from)\s+(?:{_TIME})")
TIME_BEFORE = re.compile(rf"\b(?:before|until|till|up to)\s+(?:{_TIME})")
PART_OF_DAY = [
    (re.compile(r"\bschool hours\b"), (540, 900)),
    (re.compile(r"\bmornings?\b"), (480, 720)),
    (re.compile(r"\bafternoons?\b"), (720, 1020)),
    (re.compile(r"\bevenings?\b"), (1020, 1320)),
    (re.compile(r"\bday ?time\b"), (540, 1020)),
]
FILLER = re.compile(
    r"\b(?:only|on|at|in|the|and|or|safe|safest|best|call|calls|contact|visit|visits|"
    r"ok|okay|fine|is|are|times?|hours|between|from|please|to|s)\b|[,.:()\-–]"
)


class _Unreadable(Exception):
    """A time that cannot be read without guessing."""


@dataclass(frozen=True)
class ContactReading:
    """What a safe-contact text says.

    Attributes
    ----------
    schedule : ContactSchedule
        The ranges read.
    warnings : frozenset of str
        The warnings read (keys of :data:`WARNINGS`).
    unread : tuple of str
        The parts that could not be read, as written.
    """

    schedule: ContactSchedule
    warnings: frozenset[str]
    unread: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """True when every part was read."""
        return not self.unread


def _minute(match: re.Match[str], offset: int, *, is_end: bool) -> int:
    compact, hours, minutes, meridiem, word = match.groups()[offset : offset + 5]
    if word:
        if word == "midnight":
            return MINUTES_IN_DAY if is_end else 0
        return 720
    if compact:
        hours, minutes = compact[:2], compact[2:]
    hour = int(hours)
    minute = int(minutes or 0)
    if meridiem:
        if not 1 <= hour <= 12:
            raise _Unreadable
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    elif minutes is None and hour < 8:
        raise _Unreadable  # "after 6": morning or evening?
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise _Unreadable
    return hour * 60 + minute


def _days(text: str) -> tuple[frozenset[int] | None, str]:
    days: set[int] = set()
    for pattern, chosen in DAY_WORDS:
        if pattern.search(text):
            days |= chosen
            text = pattern.sub(" ", text)
    for match in DAY_RANGE.finditer(text):
        first, last = _DAY_STEMS[match.group(1)], _DAY_STEMS[match.group(2)]
        span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
        days |= set(span)
    text = DAY_RANGE.sub(" ", text)
    for match in DAY_ONE.finditer(text):
        days.add(_DAY_STEMS[match.group(1)])
    text = DAY_ONE.sub(" ", text)
    return (frozenset(days) or None), text


def _times(text: str) -> tuple[tuple[int, int] | None, bool, str]:
    """The time range a part names, whether it was "school hours", and the rest of the text."""
    school = bool(PART_OF_DAY[0][0].search(text))
    text = PART_OF_DAY[0][0].sub(" ", text) if school and re.search(r"\d", text) else text
    if match := TIME_RANGE.search(text):
        span = (_minute(match, 0, is_end=False), _minute(match, 5, is_end=True))
        return span, school, text.replace(match.group(0), " ")
    if match := TIME_AFTER.search(text):
        return (
            (_minute(match, 0, is_end=False), MINUTES_IN_DAY),
            school,
            text.replace(match.group(0), " "),
        )
    if match := TIME_BEFORE.search(text):
        return (0, _minute(match, 0, is_end=True)), school, text.replace(match.group(0), " ")
    for pattern, span in PART_OF_DAY:
        if pattern.search(text):
            return span, school, pattern.sub(" ", text)
    return None, school, text


def _read_part(part: str) -> tuple[list[WeeklyRange], set[str]] | None:
    """The ranges and warnings of one part, or None when it cannot be read."""
    text = part.strip().lower()
    warnings = set()
    for name, pattern in WARNINGS.items():
        if re.search(pattern, text):
            warnings.add(name)
            text = re.sub(pattern, " ", text)
    text = text.strip(" ,.:-")
    if not text:
        return [], warnings
    if ANY_TIME.match(text):
        return [], warnings
    safe = not NEGATION.match(text)
    text = NEGATION.sub("", text)
    try:
        days, text = _days(text)
        span, school, text = _times(text)
    except _Unreadable:
        return None
    if FILLER.sub(" ", text).strip():
        return None  # words left over that say something this reader does not understand
    if days is None and span is None:
        return None
    if days is None:
        days = WEEKDAYS if school else EVERY_DAY
    start, end = span or (0, MINUTES_IN_DAY)
    if start >= end:
        return None  # "22:00-02:00" crosses midnight; "12:00-09:00" is inverted
    return [WeeklyRange(days=days, start=start, end=end, safe=safe)], warnings


def read_contact_times(text: str) -> ContactReading:
    """Read a safe-contact text (see the module's rules)."""
    ranges: list[WeeklyRange] = []
    warnings: set[str] = set()
    unread: list[str] = []
    for part in (p.strip() for p in SEPARATORS.split(text or "")):
        if not part:
            continue
        read = _read_part(part)
        if read is None and "," in part:
            pieces = [_read_part(piece) for piece in part.split(",")]
            if all(piece is not None for piece in pieces):
                read = (
                    [r for piece in pieces if piece for r in piece[0]],
                    {w for piece in pieces if piece for w in piece[1]},
                )
        if read is None:
            unread.append(part)
            continue
        ranges.extend(read[0])
        warnings |= read[1]
    return ContactReading(ContactSchedule(tuple(ranges)), frozenset(warnings), tuple(unread))
