"""Reading safe-contact times written in words: what can be read without guessing, and what
must be reviewed."""

from __future__ import annotations

import pytest

from provide.core.contact.reading import read_contact_times


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("weekdays 09:00-12:00", ["Monday to Friday, 09:00 to 12:00"]),
        ("school hours 09:15-15:00", ["Monday to Friday, 09:15 to 15:00"]),
        ("school hours", ["Monday to Friday, 09:00 to 15:00"]),
        ("after 18:00", ["every day, 18:00 to 24:00"]),
        ("after 6pm", ["every day, 18:00 to 24:00"]),
        ("before 10am", ["every day, 00:00 to 10:00"]),
        ("mornings only", ["every day, 08:00 to 12:00"]),
        ("evenings", ["every day, 17:00 to 22:00"]),
        ("weekends only", ["Saturday and Sunday, 00:00 to 24:00"]),
        ("between 10 and 12", ["every day, 10:00 to 12:00"]),
        ("daily 0900-1700", ["every day, 09:00 to 17:00"]),
        ("13.00 - 14.30", ["every day, 13:00 to 14:30"]),
        ("Tuesdays and Thursdays after 19:00", ["Tuesday and Thursday, 19:00 to 24:00"]),
        ("Mon-Fri 9am to 1pm; Sat 10:00-12:00",
         ["Monday to Friday, 09:00 to 13:00", "Saturday, 10:00 to 12:00"]),
        ("Monday, Wednesday 10:00-12:00", ["Monday and Wednesday, 10:00 to 12:00"]),
        ("not between 15:00 and 18:00", ["not safe: every day, 15:00 to 18:00"]),
        ("weekdays 09:00 to 12:00, not Wednesdays",
         ["Monday to Friday, 09:00 to 12:00", "not safe: Wednesday, 00:00 to 24:00"]),
        ("any time", []),
        ("", []),
    ],
)  # fmt: skip
def test_what_is_read(text: str, words: list[str]) -> None:
    reading = read_contact_times(text)
    assert reading.complete, reading.unread
    assert reading.schedule.in_words() == words


@pytest.mark.parametrize(
    "text",
    ["ring her sister first", "after 6", "22:00-02:00", "12:00-09:00", "13pm-14pm", "25:00-26:00"],
)
def test_what_cannot_be_read_without_guessing_is_left_for_review(text: str) -> None:
    reading = read_contact_times(text)
    assert not reading.complete and reading.unread == (text,)
    assert reading.schedule.in_words() == []


def test_warnings_are_read_and_what_was_read_is_kept_beside_what_was_not() -> None:
    reading = read_contact_times("09:00-12:00 · suspect may answer; no messages; ask for Jo")
    assert reading.warnings == {"suspect_may_answer", "no_messages"}
    assert reading.schedule.in_words() == ["every day, 09:00 to 12:00"]
    assert reading.unread == ("ask for Jo",)
    assert read_contact_times("no texts | no letters").warnings == {"no_sms", "no_letters"}
