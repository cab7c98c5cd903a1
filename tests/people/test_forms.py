"""Person forms: the break-glass reason (the one rule), a safe phone number, the duplicate
review's decision and the reason for undoing a merge."""

from __future__ import annotations

import pytest

from provide.audit.break_glass import REASON_MISSING, REASON_NOT_WORDS, REASON_TOO_SHORT
from provide.people.forms import BreakGlassForm, MatchDecisionForm, SafeContactForm, UnmergeForm


@pytest.mark.parametrize(
    ("reason", "problem"),
    [
        ("", REASON_MISSING),
        ("why", REASON_TOO_SHORT),
        ("aaaaaaaaaaaa", REASON_NOT_WORDS),
        ("1234567890!", REASON_NOT_WORDS),
    ],
)
def test_break_glass_refuses_what_the_rule_refuses(reason: str, problem: str) -> None:
    form = BreakGlassForm({"reason": reason})
    assert not form.is_valid()
    assert form.errors["reason"] == [problem]


def test_break_glass_keeps_the_reason_trimmed_with_single_spaces() -> None:
    form = BreakGlassForm({"reason": "  Victim moved   to Blackpool;\nchecking history  "})
    assert form.is_valid()
    assert form.cleaned_data["reason"] == "Victim moved to Blackpool; checking history"


@pytest.mark.parametrize("phone", ["07700 900982", "+44 (0)7700-900982", " 01253 123456 ", ""])
def test_safe_phone_accepts_phone_numbers_or_nothing(phone: str) -> None:
    form = SafeContactForm({"safe_phone": phone})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["safe_phone"] == phone.strip()


@pytest.mark.parametrize("phone", ["call me", "077009009", "07700 900982 ext 5", "07700.900.982"])
def test_safe_phone_refuses_words_short_numbers_and_other_characters(phone: str) -> None:
    form = SafeContactForm({"safe_phone": phone})
    assert form.errors == {"safe_phone": ["Enter a phone number, like 07700 900 982"]}


def test_safe_contact_restrictions_are_ticked_or_not() -> None:
    form = SafeContactForm({"no_sms": "on", "suspect_may_answer": "on"})
    assert form.is_valid()
    assert {
        name: form.cleaned_data[name]
        for name in ("no_messages", "suspect_may_answer", "no_letters", "no_sms")
    } == {"no_messages": False, "suspect_may_answer": True, "no_letters": False, "no_sms": True}


def test_the_review_needs_a_decision_and_the_reason_is_optional() -> None:
    assert MatchDecisionForm({}).errors == {
        "decision": ["Select whether these are the same person"]
    }
    assert not MatchDecisionForm({"decision": "maybe"}).is_valid()
    form = MatchDecisionForm({"decision": "distinct"})
    assert form.is_valid() and form.cleaned_data == {"decision": "distinct", "reason": ""}


def test_undoing_a_merge_needs_a_reason() -> None:
    assert UnmergeForm({"reason": ""}).errors == {"reason": ["Give a reason for undoing the merge"]}
    assert UnmergeForm({"reason": "Different dates of birth"}).is_valid()
