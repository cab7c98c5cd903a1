"""The visits app tells the apps above it what happened, without importing them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from provide.visits.models import Visit
from provide.visits.signals import (
    FollowUp,
    follow_ups_for,
    visit_completed,
    visit_completed_send,
    visit_follow_ups,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers() -> Iterator[list[Any]]:
    """A receiver above the visits app that answers with two follow-ups and some noise."""
    heard: list[Any] = []

    def answer(sender: Any, *, visit: Any, user: Any, **kwargs: Any) -> list[Any]:
        heard.append((sender, visit, user))
        return [
            FollowUp("Test follow-up", status="Open"),
            "not a follow-up",
            FollowUp("Second", warning="Act"),
        ]

    def silent(sender: Any, **kwargs: Any) -> None:
        return None

    visit_follow_ups.connect(answer, dispatch_uid="tests.answer")
    visit_follow_ups.connect(silent, dispatch_uid="tests.silent")
    yield heard
    visit_follow_ups.disconnect(dispatch_uid="tests.answer")
    visit_follow_ups.disconnect(dispatch_uid="tests.silent")


def test_follow_ups_gather_every_receivers_follow_ups_and_ignore_anything_else(
    answers: list[Any], west_case: dict[str, Any], make_user: Any
) -> None:
    officer = make_user("joint_team_officer")
    found = follow_ups_for(user=officer, visit=west_case["visit"])
    ours = [f for f in found if f.text in ("Test follow-up", "Second")]
    assert ours == [FollowUp("Test follow-up", status="Open"), FollowUp("Second", warning="Act")]
    assert all(isinstance(f, FollowUp) for f in found)
    assert answers == [(Visit, west_case["visit"], officer)]


def test_visit_completed_is_sent_with_the_visit_and_the_user(
    west_case: dict[str, Any], make_user: Any
) -> None:
    heard: list[Any] = []

    def listen(sender: Any, *, visit: Any, user: Any, **kwargs: Any) -> None:
        heard.append((sender, visit, user))

    visit_completed.connect(listen, dispatch_uid="tests.listen")
    try:
        officer = make_user("joint_team_officer")
        visit_completed_send(visit=west_case["visit"], user=officer)
    finally:
        visit_completed.disconnect(dispatch_uid="tests.listen")
    assert heard == [(Visit, west_case["visit"], officer)]


def test_a_receiver_that_fails_stops_the_sender(west_case: dict[str, Any], make_user: Any) -> None:
    def broken(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("receiver failed")

    visit_completed.connect(broken, dispatch_uid="tests.broken")
    try:
        with pytest.raises(RuntimeError, match="receiver failed"):
            visit_completed_send(visit=west_case["visit"], user=make_user("joint_team_officer"))
    finally:
        visit_completed.disconnect(dispatch_uid="tests.broken")
