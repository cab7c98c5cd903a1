"""Small, seeded sampling helpers shared by the synthetic-data generator.

Every function takes the :class:`random.Random` it draws from, so a generator run is fully
determined by its seed. Streams are derived by name (:func:`stream`) so that adding draws to
one part of the generator does not shift the numbers another part sees.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")

LONDON = ZoneInfo("Europe/London")
"""Local time of every Lancashire timestamp; stored values are UTC."""


def stream(seed: int, name: str) -> random.Random:
    """Return an independent random stream for ``name`` under ``seed``.

    Seeding :class:`random.Random` with a string hashes it with SHA-512, which does not
    depend on ``PYTHONHASHSEED``: the same ``(seed, name)`` always gives the same stream.
    """
    return random.Random(f"provide-synthetic/{seed}/{name}")


class WeightedChoice(Generic[T]):
    """Draw items with fixed relative weights in O(log n) per draw."""

    __slots__ = ("_cumulative", "_items", "_total")

    def __init__(self, weighted: Sequence[tuple[T, float]]) -> None:
        if not weighted:
            raise ValueError("WeightedChoice needs at least one item")
        self._items = tuple(item for item, _ in weighted)
        self._cumulative = tuple(itertools.accumulate(weight for _, weight in weighted))
        self._total = self._cumulative[-1]

    def __call__(self, rng: random.Random) -> T:
        index = bisect.bisect_right(self._cumulative, rng.random() * self._total)
        return self._items[min(index, len(self._items) - 1)]


def poisson(rng: random.Random, mean: float) -> int:
    """Draw a Poisson count (Knuth's method for small means, a normal approximation above 60)."""
    if mean <= 0:
        return 0
    if mean > 60:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit = math.exp(-mean)
    count = 0
    product = rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def chance(rng: random.Random, probability: float) -> bool:
    """True with the given probability."""
    return rng.random() < probability


def logistic(x: float) -> float:
    """The logistic function, 1 / (1 + e^-x)."""
    return 1.0 / (1.0 + math.exp(-x))


def logit(p: float) -> float:
    """The inverse of :func:`logistic`."""
    return math.log(p / (1.0 - p))


def local_to_utc(on: date, seconds_after_midnight: float) -> datetime:
    """The UTC instant of a Europe/London wall-clock time on ``on`` (seconds may exceed a day)."""
    naive = datetime.combine(on, time()) + timedelta(seconds=int(seconds_after_midnight))
    return naive.replace(tzinfo=LONDON).astimezone(UTC)


def local_midnight_utc(on: date) -> datetime:
    """The UTC instant of local midnight at the start of ``on``."""
    return local_to_utc(on, 0)


def round_to_minutes(moment: datetime, minutes: int = 1) -> datetime:
    """Round an aware datetime down to a whole number of ``minutes``."""
    step = minutes * 60
    seconds = int(moment.timestamp())
    return datetime.fromtimestamp(seconds - seconds % step, tz=UTC)
