"""Normalising names, dates of birth and postcodes, and comparing names.

Pure standard library. :func:`jaro_winkler` is the string similarity used for names
(Winkler 1990): it rewards a shared prefix, which suits typing errors at the ends of names
and shortened forms (``Kate`` / ``Katherine`` scores lower than ``Catherine`` /
``Katherine``, as it should: they may be different people).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_NOT_LETTER = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
_POSTCODE = re.compile(r"[^A-Z0-9]")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})


def normalise_name(text: str | None) -> str:
    """Lower case, accents removed, punctuation dropped, hyphens and spaces as one space.

    Examples
    --------
    >>> normalise_name("  O'Brien-Smith ")
    'obrien smith'
    >>> normalise_name("Zoë")
    'zoe'
    """
    if not text:
        return ""
    if text.isascii() and text.isalpha():
        return "" if text.lower() in _TITLES else text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    ascii_text = ascii_text.replace("-", " ").replace("'", "").replace("’", "")
    words = _SPACES.sub(" ", _NOT_LETTER.sub(" ", ascii_text)).split()
    return " ".join(word for word in words if word not in _TITLES)


def split_full_name(text: str | None) -> tuple[str, str]:
    """Split a full name into (given names, family name), as written.

    ``"Family, Given"`` (comma) is family first; otherwise the last word is the family name.

    Examples
    --------
    >>> split_full_name("Marion Anne Collier"), split_full_name("Collier, Marion")
    (('Marion Anne', 'Collier'), ('Marion', 'Collier'))
    """
    if not text or not text.strip():
        return "", ""
    cleaned = _SPACES.sub(" ", text.strip())
    if "," in cleaned:
        family, _, given = cleaned.partition(",")
        return given.strip(), family.strip()
    if " " not in cleaned:
        return "", cleaned
    given, _, family = cleaned.rpartition(" ")
    return given, family


def normalise_postcode(text: str | None) -> str:
    """Upper case with no spaces: ``"fy1 1aa"`` -> ``"FY11AA"``."""
    return _POSTCODE.sub("", (text or "").upper())


def outward_code(postcode: str | None) -> str:
    """The outward code (district) of a UK postcode: ``"FY1 1AA"`` -> ``"FY1"``."""
    normalised = normalise_postcode(postcode)
    return normalised[:-3] if len(normalised) > 4 else normalised


def transposed(day_of_birth: date) -> date | None:
    """The date with day and month swapped (a US-style typing slip), or None if impossible.

    Examples
    --------
    >>> transposed(date(1990, 3, 4)), transposed(date(1990, 3, 14))
    (datetime.date(1990, 4, 3), None)
    """
    if day_of_birth.day == day_of_birth.month:
        return None
    try:
        return date(day_of_birth.year, day_of_birth.day, day_of_birth.month)
    except ValueError:
        return None


def jaro(a: str, b: str) -> float:
    """Jaro similarity of two strings, 0 (nothing shared) to 1 (equal)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(0, max(len(a), len(b)) // 2 - 1)
    a_matched = [False] * len(a)
    b_matched = [False] * len(b)
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not b_matched[j] and b[j] == ch:
                a_matched[i] = b_matched[j] = True
                matches += 1
                break
    if matches == 0:
        return 0.0
    a_chars = [ch for ch, hit in zip(a, a_matched, strict=True) if hit]
    b_chars = [ch for ch, hit in zip(b, b_matched, strict=True) if hit]
    transpositions = sum(1 for x, y in zip(a_chars, b_chars, strict=True) if x != y) / 2
    return (matches / len(a) + matches / len(b) + (matches - transpositions) / matches) / 3


def jaro_winkler(a: str, b: str, *, prefix_scale: float = 0.1) -> float:
    """Jaro-Winkler similarity (prefix of up to 4 characters boosted by ``prefix_scale``).

    Examples
    --------
    >>> round(jaro_winkler("martha", "marhta"), 3)
    0.961
    >>> jaro_winkler("smith", "smith")
    1.0
    """
    similarity = jaro(a, b)
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return similarity + prefix * prefix_scale * (1 - similarity)
