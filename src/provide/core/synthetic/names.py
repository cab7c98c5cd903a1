"""Pools of British names drawn once per seed from Faker's ``en_GB`` provider.

Faker is slow per call, so the generator asks it for a few thousand names up front and then
samples from these pools with its own seeded :class:`random.Random`. Pools keep Faker's
duplicates, so common names stay common.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker import Faker

POOL_SIZE = 1500
"""Names drawn per pool; large enough that families and staff rarely collide by accident."""


@dataclass(frozen=True)
class NamePools:
    """Given names by sex and family names, all from Faker ``en_GB``."""

    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]

    def given(self, rng: random.Random, sex: str) -> str:
        """A given name for a person of ``sex`` ("female" or "male")."""
        return rng.choice(self.female if sex == "female" else self.male)

    def surname(self, rng: random.Random) -> str:
        """A family name."""
        return rng.choice(self.family)


def build_name_pools(seed: int, size: int = POOL_SIZE) -> NamePools:
    """Draw the name pools for ``seed`` from a seeded ``Faker("en_GB")``."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    female = tuple(fake.first_name_female() for _ in range(size))
    male = tuple(fake.first_name_male() for _ in range(size))
    family = tuple(fake.last_name() for _ in range(size * 2))
    return NamePools(female=female, male=male, family=family)
