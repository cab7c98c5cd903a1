"""Linked groups: people one record names, merged people and people sharing a force id."""

from __future__ import annotations

from provide.retention.components import DisjointSets, linked_groups


def test_disjoint_sets_join_and_find() -> None:
    sets = DisjointSets([1, 2, 3, 4, 5])
    sets.union(1, 2)
    sets.union(4, 5)
    sets.union(2, 5)
    assert sets.find(1) == sets.find(4) != sets.find(3)
    assert sorted(sorted(group) for group in sets.groups().values()) == [[1, 2, 4, 5], [3]]


def test_linked_groups_follow_records_and_shared_ids() -> None:
    groups = linked_groups(
        people=[1, 2, 3, 4, 5, 6, 7],
        links=[(1, 2), (2, 3), (4, None), (None, 8)],
        shared_keys=[(5, "P-9"), (6, "P-9"), (7, ""), (4, "")],
    )
    assert groups[1] == groups[2] == groups[3]
    assert groups[5] == groups[6]
    assert len({groups[1], groups[4], groups[5], groups[7], groups[8]}) == 5
