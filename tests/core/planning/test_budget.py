"""The time budget: arithmetic on a fake clock, phase shares and slices that never overrun."""

import math
import time
import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provide.core.planning.budget import MIN_SOLVER_SECONDS, SHARES, Budget, Phase
from tests.core.planning.clocks import FakeClock

PHASE_ORDER: tuple[Phase, ...] = ("bound", "search", "columns", "closing", "exact")


def test_a_budget_counts_down_on_its_clock():
    clock = FakeClock(now=50.0)
    budget = Budget(10.0, clock=clock)
    assert (budget.start, budget.seconds, budget.end) == (50.0, 10.0, 60.0)
    clock.advance(4.0)
    assert budget.elapsed() == 4.0
    assert budget.remaining() == 6.0
    assert budget.expired() is False
    clock.advance(6.0)
    assert budget.remaining() == 0.0
    assert budget.expired() is True
    clock.advance(100.0)
    assert budget.remaining() == 0.0  # never negative


def test_a_budget_may_start_at_a_given_time():
    budget = Budget(3.0, clock=FakeClock(now=10.0), start=8.0)
    assert budget.end == 11.0 and budget.remaining() == 1.0


@pytest.mark.parametrize("seconds", [-0.1, math.inf, math.nan])
def test_a_budget_refuses_a_length_it_cannot_count_down(seconds):
    with pytest.raises(ValueError, match="finite, non-negative"):
        Budget(seconds)


def test_every_phase_is_named_and_ends_in_order():
    assert set(SHARES) == set(typing.get_args(Phase))
    ends = [SHARES[phase] for phase in PHASE_ORDER]
    assert ends == sorted(ends)
    assert all(0.0 < share <= 1.0 for share in SHARES.values())
    assert SHARES["search"] < SHARES["search alone"] <= 1.0


def test_a_phase_ends_at_its_share_of_the_whole_budget():
    clock = FakeClock(now=0.0)
    budget = Budget(10.0, clock=clock)
    clock.advance(0.4)  # the bound took 0.4 s of the search's share
    search = budget.share("search")
    assert search.start == 0.4
    assert search.end == pytest.approx(SHARES["search"] * 10.0)
    assert search.remaining() == pytest.approx(SHARES["search"] * 10.0 - 0.4)


def test_what_a_phase_leaves_passes_to_the_next():
    clock = FakeClock(now=0.0)
    budget = Budget(10.0, clock=clock)
    budget.share("search")
    clock.advance(0.5)  # the search stopped early (its work budget was spent)
    columns = budget.share("columns")
    assert columns.remaining() == pytest.approx(SHARES["columns"] * 10.0 - 0.5)


def test_a_phase_that_has_already_ended_gets_nothing():
    clock = FakeClock(now=0.0)
    budget = Budget(10.0, clock=clock)
    clock.advance(8.0)
    search = budget.share("search")
    assert search.seconds == 0.0 and search.expired()


def test_slices_start_now_and_never_outlast_their_budget():
    clock = FakeClock(now=0.0)
    budget = Budget(2.0, clock=clock)
    clock.advance(0.5)
    assert budget.at_most(0.3).remaining() == pytest.approx(0.3)
    assert budget.at_most(5.0).end == budget.end
    assert budget.keeping(0.25).remaining() == pytest.approx(1.25)
    assert budget.keeping(3.0).seconds == 0.0
    rest = budget.rest()
    assert (rest.start, rest.end) == (0.5, 2.0)
    assert budget.at_most(-1.0).seconds == 0.0


@given(
    st.floats(0.0, 100.0),
    st.lists(
        st.tuples(
            st.sampled_from(["share", "at_most", "keeping", "rest"]),
            st.sampled_from(PHASE_ORDER),
            st.floats(0.0, 50.0),
            st.floats(0.0, 10.0),
        ),
        max_size=6,
    ),
)
def test_nested_slices_end_within_the_whole_budget(seconds, cuts):
    clock = FakeClock(now=0.0)
    whole = Budget(seconds, clock=clock)
    budget = whole
    for how, phase, amount, wait in cuts:
        clock.advance(wait)
        if how == "share":
            budget = budget.share(phase)
        elif how == "at_most":
            budget = budget.at_most(amount)
        elif how == "keeping":
            budget = budget.keeping(amount)
        else:
            budget = budget.rest()
        assert budget.seconds >= 0.0
        assert budget.end <= whole.end + 1e-9
        assert budget.remaining() <= whole.remaining() + 1e-9


def test_a_solver_is_never_given_less_than_the_minimum():
    clock = FakeClock(now=0.0)
    budget = Budget(1.0, clock=clock)
    assert budget.solver_seconds() == 1.0
    assert budget.solver_milliseconds() == 1000
    clock.advance(0.99)
    assert budget.solver_seconds() == MIN_SOLVER_SECONDS
    assert budget.solver_milliseconds() == round(MIN_SOLVER_SECONDS * 1000)
    clock.advance(5.0)
    assert budget.solver_milliseconds() > 0  # 0 would mean "no limit" to OR-Tools


def test_the_monotonic_deadline_is_the_time_left_from_now():
    clock = FakeClock(now=7.0)
    budget = Budget(3.0, clock=clock)
    clock.advance(1.0)
    before = time.monotonic()
    deadline = budget.monotonic_deadline()
    after = time.monotonic()
    assert before + 2.0 <= deadline <= after + 2.0


def test_the_clock_defaults_to_the_monotonic_clock():
    budget = Budget(60.0)
    assert budget.clock is time.monotonic
    assert 0.0 < budget.remaining() <= 60.0
