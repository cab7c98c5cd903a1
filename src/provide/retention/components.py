"""Linked groups of people: the unit the police side of the schedule reviews together.

Two people are linked when one police record names both (a victim and the suspect of an
investigation, a custody episode and its investigation's victim ...), when one was merged into
the other, or when they share the force's person id. Reviewing a linked group together keeps a
victim's history whole while any of it is held (a suspect's open case keeps the earlier
investigations about the same victim), which is what MoPI asks of a nominal's records, and it
keeps every repeat the evaluation counts inside one group, so anonymising a group never changes
another group's figures. Pure Python.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

NodeT = TypeVar("NodeT", bound=Hashable)


class DisjointSets(Generic[NodeT]):
    """Union-find with path halving and union by size."""

    def __init__(self, nodes: Iterable[NodeT] = ()) -> None:
        self._parent: dict[NodeT, NodeT] = {}
        self._size: dict[NodeT, int] = {}
        for node in nodes:
            self.add(node)

    def add(self, node: NodeT) -> None:
        if node not in self._parent:
            self._parent[node] = node
            self._size[node] = 1

    def find(self, node: NodeT) -> NodeT:
        self.add(node)
        parent = self._parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(self, first: NodeT, second: NodeT) -> NodeT:
        """Join the sets of ``first`` and ``second``; returns the root of the joined set."""
        a, b = self.find(first), self.find(second)
        if a == b:
            return a
        if self._size[a] < self._size[b]:
            a, b = b, a
        self._parent[b] = a
        self._size[a] += self._size[b]
        return a

    def groups(self) -> dict[NodeT, list[NodeT]]:
        """Every set, keyed by its root, members in the order they were added."""
        found: dict[NodeT, list[NodeT]] = {}
        for node in self._parent:
            found.setdefault(self.find(node), []).append(node)
        return found


def linked_groups(
    people: Iterable[int],
    links: Iterable[tuple[int | None, int | None]],
    shared_keys: Iterable[tuple[int, str]] = (),
) -> dict[int, int]:
    """The linked group of every person, as ``{person: root person}``.

    ``links`` are pairs of people one record names (``None`` ends are ignored);
    ``shared_keys`` are ``(person, key)`` pairs that link everyone with the same non-empty key
    (the force's person id).
    """
    sets: DisjointSets[int] = DisjointSets(people)
    for first, second in links:
        if first is not None and second is not None:
            sets.union(first, second)
        elif first is not None:
            sets.add(first)
        elif second is not None:
            sets.add(second)
    holder: dict[str, int] = {}
    for person, key in shared_keys:
        if key:
            sets.union(holder.setdefault(key, person), person)
    return {person: root for root, members in sets.groups().items() for person in members}
