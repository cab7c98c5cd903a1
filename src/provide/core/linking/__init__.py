"""Person linking: is this victim or suspect someone we already hold?

Pure Python, no Django. Records carrying the force's person id are linked by that id by the
caller; this package scores the rest on name, date of birth and postcode
(:func:`score_match`), decides link / review / new (:func:`decide`) and finds candidates
quickly (:class:`CandidateIndex`). See docs/models/linking.md.
"""

from provide.core.linking.matching import (
    AUTO_LINK_SCORE,
    DIFFERENT_DOB_CAP,
    REVIEW_SCORE,
    CandidateIndex,
    MatchScore,
    PersonRecord,
    consistent,
    decide,
    score_match,
)
from provide.core.linking.names import (
    jaro,
    jaro_winkler,
    normalise_name,
    normalise_postcode,
    outward_code,
    split_full_name,
    transposed,
)

__all__ = [
    "AUTO_LINK_SCORE",
    "DIFFERENT_DOB_CAP",
    "REVIEW_SCORE",
    "CandidateIndex",
    "MatchScore",
    "PersonRecord",
    "consistent",
    "decide",
    "jaro",
    "jaro_winkler",
    "normalise_name",
    "normalise_postcode",
    "outward_code",
    "score_match",
    "split_full_name",
    "transposed",
]
