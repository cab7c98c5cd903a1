"""Made-up name pools from a seeded Faker en_GB."""

from __future__ import annotations

from provide.core.synthetic.names import build_name_pools
from provide.core.synthetic.sampling import stream


def test_the_same_seed_gives_the_same_pools_and_another_seed_other_names() -> None:
    assert build_name_pools(seed=3, size=40) == build_name_pools(seed=3, size=40)
    assert build_name_pools(seed=3, size=40).family != build_name_pools(seed=4, size=40).family


def test_pools_have_the_asked_size_with_twice_as_many_family_names() -> None:
    pools = build_name_pools(seed=3, size=40)
    assert len(pools.female) == len(pools.male) == 40 and len(pools.family) == 80


def test_given_names_are_drawn_from_the_pool_for_the_persons_sex() -> None:
    pools = build_name_pools(seed=3, size=40)
    rng = stream(3, "names")
    assert all(pools.given(rng, "female") in pools.female for _ in range(50))
    assert all(pools.given(rng, "male") in pools.male for _ in range(50))
    assert all(pools.surname(rng) in pools.family for _ in range(50))
