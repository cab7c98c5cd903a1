"""The referral lifecycle: transitions, due dates, overdue and consent rules."""

from __future__ import annotations

import datetime as dt

import pytest

from provide.core.safeguarding.lifecycle import (
    DUE_DAYS,
    NEEDS_LAWFUL_BASIS,
    NEEDS_REJECTION_REASON,
    Consent,
    Status,
    TransitionNotAllowed,
    allowed_next,
    check_transition,
    due_on_for,
    is_overdue,
    sharing_problem,
)

MONDAY = dt.date(2025, 3, 3)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (Status.DRAFT, Status.SENT),
        (Status.SENT, Status.ACCEPTED),
        (Status.ACCEPTED, Status.DONE),
    ],
)
def test_forward_moves_are_allowed(current: Status, new: Status) -> None:
    check_transition(current, new)


def test_rejection_needs_a_reason() -> None:
    with pytest.raises(TransitionNotAllowed, match=NEEDS_REJECTION_REASON):
        check_transition(Status.SENT, Status.REJECTED, reason="   ")
    check_transition(Status.SENT, Status.REJECTED, reason="Outside our area")


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (Status.DRAFT, Status.ACCEPTED),
        (Status.DRAFT, Status.DONE),
        (Status.SENT, Status.DONE),
        (Status.ACCEPTED, Status.REJECTED),
        (Status.REJECTED, Status.SENT),
        (Status.DONE, Status.SENT),
    ],
)
def test_skipping_or_reopening_is_refused(current: Status, new: Status) -> None:
    with pytest.raises(
        TransitionNotAllowed, match=f"A {current.value} referral cannot be marked {new.value}"
    ):
        check_transition(current, new, reason="a reason")


def test_rejected_and_done_are_final() -> None:
    assert allowed_next(Status.REJECTED) == frozenset()
    assert allowed_next(Status.DONE) == frozenset()


def test_due_dates_follow_the_target() -> None:
    assert due_on_for("marac", MONDAY) == dt.date(2025, 3, 4)
    assert due_on_for("dvds", MONDAY) == dt.date(2025, 3, 31)
    assert due_on_for("protection_order", MONDAY) == dt.date(2025, 3, 5)
    assert due_on_for("housing", MONDAY) == dt.date(2025, 3, 10)
    assert due_on_for("unknown-target", MONDAY) == dt.date(2025, 3, 10)
    assert set(DUE_DAYS) >= {"marac", "refuge", "gp", "childrens_services", "alarm"}


def test_overdue_only_while_with_the_service_and_past_due() -> None:
    due = MONDAY
    assert is_overdue(Status.SENT, due, MONDAY + dt.timedelta(days=1))
    assert is_overdue(Status.ACCEPTED, due, MONDAY + dt.timedelta(days=1))
    assert not is_overdue(Status.SENT, due, MONDAY)
    assert not is_overdue(Status.DONE, due, MONDAY + dt.timedelta(days=9))
    assert not is_overdue(Status.DRAFT, None, MONDAY)


def test_sharing_without_consent_needs_the_lawful_basis_in_words() -> None:
    assert sharing_problem(Consent.GIVEN, "") is None
    assert sharing_problem(Consent.REFUSED, "MARAC") == NEEDS_LAWFUL_BASIS
    assert sharing_problem(Consent.NOT_SOUGHT, "") == NEEDS_LAWFUL_BASIS
    basis = "Meets the MARAC threshold; DPA 2018 Sch 1 para 18 safeguarding"
    assert sharing_problem(Consent.REFUSED, basis) is None
