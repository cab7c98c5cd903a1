"""The seeded problem generators: the safe-contact family makes each victim's windows as the
product does (her safe-contact text read into start windows, a health appointment met while it
lasts, custody release closing every window), leaves out cases no shift can hold, and repeats
by seed."""

import datetime as dt
import random
from collections import Counter

import pytest

from provide.core.contact import read_contact_times
from provide.core.planning.problem import TimeWindow
from provide.core.planning.solve import solve_plan
from provide.core.planning.validate import validate_plan
from provide.core.synthetic.people import SAFE_CONTACT_TIMES
from tests.core.planning.realistic import (
    CLINICS,
    PROGRAMME_SHIFTS,
    SAFE_CONTACT_DAY,
    safe_contact_problem,
    start_windows,
)

SAFE = "her safe-contact times"
APPOINTMENT = "a discreet contact window"
CUSTODY = "the suspect's expected release"
SEEDS = range(10)


def texts():
    """Every safe-contact text the synthetic people use, drawn through their public sampler."""
    rng = random.Random(0)
    return {SAFE_CONTACT_TIMES(rng) for _ in range(2000)}


def day_of(seed):
    return SAFE_CONTACT_DAY + dt.timedelta(days=seed % 5)


def windows_read(day, duration):
    """The start windows each restricting text gives a visit of ``duration`` on ``day``."""
    found = set()
    for text in texts():
        periods = read_contact_times(text).schedule.periods_on(day)
        if periods is not None:
            found.add(start_windows(periods, duration))
    return found


def test_start_windows_keep_the_whole_visit_inside_a_period():
    periods = ((540, 720), (1080, 1110), (1200, 1440))
    assert start_windows(periods, 45) == (TimeWindow(540, 675), TimeWindow(1200, 1395))
    assert start_windows(((540, 600),), 60) == (TimeWindow(540, 540),)
    assert start_windows(((540, 600),), 61) == ()


def test_the_same_seed_gives_the_same_problem_and_seeds_differ():
    assert safe_contact_problem(seed=3, n_visits=40) == safe_contact_problem(seed=3, n_visits=40)
    assert safe_contact_problem(seed=3).visits != safe_contact_problem(seed=4).visits


@pytest.mark.parametrize("n_visits", [25, 40, 60])
def test_teams_work_the_programme_shifts_and_every_case_is_generated(n_visits):
    problem = safe_contact_problem(seed=1, n_visits=n_visits)
    assert len(problem.visits) == n_visits
    assert len({v.id for v in problem.visits}) == n_visits
    assert [t.shift for t in problem.teams] == [PROGRAMME_SHIFTS[k % 2][0] for k in range(4)]
    assert all(t.break_rule is None for t in problem.teams)


def test_safe_contact_windows_are_her_text_read_for_the_day():
    for seed in SEEDS:
        problem = safe_contact_problem(seed=seed)
        for visit in problem.visits:
            if visit.reason_context == SAFE:
                allowed = windows_read(day_of(seed), visit.duration_minutes)
                assert visit.time_windows in allowed, (seed, visit.id)


def test_no_window_means_her_text_puts_no_restriction():
    unrestricted = [
        v for seed in SEEDS for v in safe_contact_problem(seed=seed).visits if not v.time_windows
    ]
    assert unrestricted
    assert all(v.reason_context is None for v in unrestricted)


def test_an_appointment_is_met_at_the_clinic_while_it_lasts():
    met = [
        (seed, v)
        for seed in SEEDS
        for v in safe_contact_problem(seed=seed).visits
        if v.reason_context == APPOINTMENT
    ]
    assert 0.08 <= len(met) / (60 * len(SEEDS)) <= 0.25  # about 15 % of the victims
    for _, visit in met:
        (window,) = visit.time_windows
        assert 30 <= window.end_minute - window.start_minute <= 60
        assert window.start_minute >= 420 and window.end_minute <= 1320
        assert visit.location in CLINICS


def test_custody_release_closes_every_window():
    held = [
        v
        for seed in SEEDS
        for v in safe_contact_problem(seed=seed).visits
        if v.reason_context == CUSTODY
    ]
    assert held
    for visit in held:
        assert visit.time_windows
        assert max(w.end_minute for w in visit.time_windows) < 1260


def test_every_case_can_start_and_finish_inside_some_shift():
    for seed in SEEDS:
        problem = safe_contact_problem(seed=seed)
        for visit in problem.visits:
            d = visit.duration_minutes
            assert not visit.time_windows or any(
                max(w.start_minute, t.shift.start_minute)
                <= min(w.end_minute, t.shift.end_minute - d)
                for w in visit.time_windows
                for t in problem.teams
            ), (seed, visit.id)


def test_all_kinds_of_window_appear():
    kinds = Counter(
        v.reason_context for seed in SEEDS for v in safe_contact_problem(seed=seed).visits
    )
    assert set(kinds) == {SAFE, APPOINTMENT, CUSTODY, None}


def her_periods(visit, day):
    """The safe periods of the text her windows were read from."""
    for text in texts():
        periods = read_contact_times(text).schedule.periods_on(day)
        if periods is not None and start_windows(periods, visit.duration_minutes) == (
            visit.time_windows
        ):
            return periods
    raise AssertionError(f"{visit.id}: no safe-contact text gives these windows")


def test_a_planned_visit_starts_and_ends_inside_her_safe_period():
    problem = safe_contact_problem(seed=2, n_visits=25)
    result = solve_plan(problem, time_limit_seconds=30, work_budget=20_000, exact=False)
    assert validate_plan(problem, result) == []
    by_id = {v.id: v for v in problem.visits}
    planned = [s for r in result.routes for s in r.stops if s.visit_id is not None]
    safe = [s for s in planned if by_id[s.visit_id].reason_context == SAFE]
    assert len(planned) >= 12 and safe
    for stop in safe:
        periods = her_periods(by_id[stop.visit_id], day_of(2))
        assert any(a <= stop.start_minute and stop.departure_minute <= b for a, b in periods)
