"""Scoring whether two person records are the same person, and finding candidates fast.

A record is compared on name, date of birth and postcode (:func:`score_match`):

================  ======  ===============================================================
part              weight  credit
================  ======  ===============================================================
name              0.45    agreement of family and given names, half each: Jaro-Winkler
                          rescaled so that 0.7 or less is 0 and 1 is 1 (best of written
                          and swapped order; an initial matching a full name is 0.7)
date of birth     0.40    exact 1.0; day and month transposed 0.7; either unknown 0.5;
                          different 0 - and a known, different date caps the score at 0.6
postcode          0.15    same 1.0; same outward code 0.5; either unknown 0.5; else 0
================  ======  ===============================================================

Decisions (:func:`decide`): ``link`` at :data:`AUTO_LINK_SCORE` (0.90) or more - in practice
the same name and date of birth with the same or an unknown postcode; ``review`` from
:data:`REVIEW_SCORE` (0.80) - a person must decide; below that, ``new``. Records that both
carry a force person id are never auto-linked here: different ids are the force's own
statement that they are different records, so at most they are queued for review.

:class:`CandidateIndex` blocks records by date of birth (and its transposition) and, for
records without one, by family name and postcode district, so a new record is scored against
a handful of candidates rather than every person held.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date

from provide.core.linking.names import (
    jaro_winkler,
    normalise_name,
    normalise_postcode,
    outward_code,
    transposed,
)

NAME_WEIGHT, DOB_WEIGHT, POSTCODE_WEIGHT = 0.45, 0.40, 0.15
"""Weights of the three parts of the score (they sum to 1)."""
AUTO_LINK_SCORE = 0.90
"""Score at or above which a record without a force id is linked without review."""
REVIEW_SCORE = 0.80
"""Score at or above which a possible match is queued for a person to review."""
DIFFERENT_DOB_CAP = 0.6
"""Highest score two records with known, different dates of birth can reach."""
NAME_FLOOR = 0.7
"""Jaro-Winkler similarity at or below which two names count as not agreeing at all."""


@dataclass(frozen=True)
class PersonRecord:
    """The identifying details of one person record.

    Attributes
    ----------
    key : Hashable
        The caller's id for the record (a database id, or a file reference).
    given_name, family_name : str
        As written; compared after :func:`~provide.core.linking.names.normalise_name`.
    date_of_birth : date or None
    postcode : str
    force_ref : str
        The force's person id, blank when the source has none.
    """

    key: Hashable
    given_name: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    postcode: str = ""
    force_ref: str = ""
    given_key: str = field(init=False, repr=False, compare=False)
    family_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Normalised once: a record is compared with many candidates.
        object.__setattr__(self, "given_key", normalise_name(self.given_name))
        object.__setattr__(self, "family_key", normalise_name(self.family_name))


@dataclass(frozen=True)
class MatchScore:
    """A similarity score in [0, 1] with the reasons that made it."""

    score: float
    reasons: tuple[str, ...]


def _agreement(similarity: float) -> float:
    """Map a Jaro-Winkler similarity to agreement: 0.7 or less is 0 (different names - two
    unrelated names often score 0.6-0.8), 1.0 is 1, linear between."""
    return max(0.0, (similarity - NAME_FLOOR) / (1.0 - NAME_FLOOR))


def _given_agreement(x: str, y: str) -> float:
    if not x or not y:
        return 0.5
    x_first, y_first = x.split()[0], y.split()[0]
    if len(x_first) == 1 or len(y_first) == 1:
        return 0.7 if x_first[0] == y_first[0] else 0.0
    return _agreement(max(jaro_winkler(x, y), jaro_winkler(x_first, y_first)))


def _name_similarity(a: PersonRecord, b: PersonRecord) -> float:
    """Agreement of family and given names, each counting half; 0.95 of the swapped-order
    agreement when that is better (a form filled in the wrong way round)."""
    if not (a.family_key or a.given_key) or not (b.family_key or b.given_key):
        return 0.0
    in_order = (0.5 * _agreement(jaro_winkler(a.family_key, b.family_key))
                + 0.5 * _given_agreement(a.given_key, b.given_key))  # fmt: skip
    swapped = (0.5 * _agreement(jaro_winkler(a.family_key, b.given_key))
               + 0.5 * _given_agreement(a.given_key, b.family_key))  # fmt: skip
    return max(in_order, 0.95 * swapped)


def _dob_credit(a: date | None, b: date | None) -> tuple[float, str]:
    if a is None or b is None:
        return 0.5, "date of birth not known for both"
    if a == b:
        return 1.0, "same date of birth"
    if transposed(a) == b:
        return 0.7, "date of birth with day and month swapped"
    return 0.0, "different date of birth"


def _postcode_credit(a: str, b: str) -> tuple[float, str]:
    pa, pb = normalise_postcode(a), normalise_postcode(b)
    if not pa or not pb:
        return 0.5, "postcode not known for both"
    if pa == pb:
        return 1.0, "same postcode"
    if outward_code(pa) == outward_code(pb):
        return 0.5, "same postcode district"
    return 0.0, "different postcode"


def score_match(a: PersonRecord, b: PersonRecord) -> MatchScore:
    """Score how likely two records are the same person.

    Returns
    -------
    MatchScore
        ``score`` in [0, 1] (see the module table) and the reasons, e.g.
        ``("name 1.00", "same date of birth", "same postcode")``.

    Examples
    --------
    >>> a = PersonRecord(1, "Marion", "Collier", date(1997, 11, 1), "PR4 9NN")
    >>> b = PersonRecord(2, "Marian", "Collier", date(1997, 11, 1), "PR4 9NN")
    >>> round(score_match(a, b).score, 2)
    0.95
    """
    name = _name_similarity(a, b)
    dob, dob_reason = _dob_credit(a.date_of_birth, b.date_of_birth)
    postcode, postcode_reason = _postcode_credit(a.postcode, b.postcode)
    score = NAME_WEIGHT * name + DOB_WEIGHT * dob + POSTCODE_WEIGHT * postcode
    if dob_reason == "different date of birth":
        score = min(score, DIFFERENT_DOB_CAP)
    return MatchScore(round(score, 4), (f"name {name:.2f}", dob_reason, postcode_reason))


def consistent(a: PersonRecord, b: PersonRecord, *, minimum_name: float = 0.9) -> bool:
    """True when two records could be the same person as far as they go: names alike and no
    known, conflicting date of birth. Used to keep an existing link (not to make a new one).

    Examples
    --------
    >>> consistent(PersonRecord(1, "Kyle", "Unknown"), PersonRecord(2, "Kyle", "Unknown"))
    True
    >>> consistent(PersonRecord(1, "Kyle", "Unknown", date(1990, 1, 2)),
    ...            PersonRecord(2, "Kyle", "Unknown", date(1991, 1, 2)))
    False
    """
    if _dob_credit(a.date_of_birth, b.date_of_birth)[0] == 0.0:
        return False
    return _name_similarity(a, b) >= minimum_name


def decide(a: PersonRecord, b: PersonRecord, match: MatchScore) -> str:
    """``"link"``, ``"review"`` or ``"new"`` for a scored pair (see the module docstring)."""
    if match.score < REVIEW_SCORE:
        return "new"
    both_have_ids = bool(a.force_ref) and bool(b.force_ref)
    if match.score >= AUTO_LINK_SCORE and not both_have_ids:
        return "link"
    if both_have_ids and a.force_ref == b.force_ref:
        return "link"
    return "review"


def _blocking_keys(record: PersonRecord, *, querying: bool = False) -> list[tuple[str, object]]:
    """Date of birth (and its transposition) with the first three letters of either name, so
    a typing slip in one name still meets its twin through the other; and family name with
    postcode district. A record with a date of birth looks only in the date blocks (a
    candidate without one could not reach the automatic-link score anyway); one without a
    date of birth looks in the name block."""
    keys: list[tuple[str, object]] = []
    if record.date_of_birth is not None:
        dates = [record.date_of_birth]
        swapped = transposed(record.date_of_birth)
        if swapped is not None:
            dates.append(swapped)
        prefixes = {prefix for prefix in (record.family_key[:3], record.given_key[:3]) if prefix}
        keys.extend(("dob", (day, prefix)) for day in dates for prefix in sorted(prefixes))
    if record.family_key and not (querying and record.date_of_birth is not None):
        keys.append(("family+district", (record.family_key[:4], outward_code(record.postcode))))
    return keys


class CandidateIndex:
    """An in-memory blocking index of person records.

    Examples
    --------
    >>> index = CandidateIndex()
    >>> index.add(PersonRecord(1, "Marion", "Collier", date(1997, 11, 1), "PR4 9NN"))
    >>> best = index.best_match(PersonRecord("new", "Marion", "Colier", date(1997, 11, 1)))
    >>> best[0].key, round(best[1].score, 2)
    (1, 0.9)
    """

    def __init__(self, records: Iterable[PersonRecord] = ()) -> None:
        self._blocks: dict[tuple[str, object], list[PersonRecord]] = defaultdict(list)
        for record in records:
            self.add(record)

    def add(self, record: PersonRecord) -> None:
        """Index ``record`` under each of its blocking keys."""
        for key in _blocking_keys(record):
            self._blocks[key].append(record)

    def candidates(self, record: PersonRecord) -> list[PersonRecord]:
        """Records sharing a blocking key with ``record`` (itself excluded), first-seen order."""
        seen: dict[Hashable, PersonRecord] = {}
        for key in _blocking_keys(record, querying=True):
            for other in self._blocks.get(key, ()):
                if other.key != record.key and other.key not in seen:
                    seen[other.key] = other
        return list(seen.values())

    def matches(
        self, record: PersonRecord, *, minimum: float = REVIEW_SCORE
    ) -> list[tuple[PersonRecord, MatchScore]]:
        """Candidates scoring at least ``minimum``, best first."""
        scored = [(other, score_match(record, other)) for other in self.candidates(record)]
        kept = [(other, match) for other, match in scored if match.score >= minimum]
        return sorted(kept, key=lambda pair: -pair[1].score)

    def best_match(
        self, record: PersonRecord, *, minimum: float = REVIEW_SCORE
    ) -> tuple[PersonRecord, MatchScore] | None:
        """The best candidate scoring at least ``minimum``, or None."""
        found = self.matches(record, minimum=minimum)
        return found[0] if found else None
