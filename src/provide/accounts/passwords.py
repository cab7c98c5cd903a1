"""Password rules in the NCSC's spirit: long, not known to attackers, not predictable.

The NCSC advises a minimum length and a deny list, and no composition rules (no "one capital,
one digit, one symbol"): those make passwords harder to remember, not harder to guess. So
Provide asks for at least 12 characters (Django's ``MinimumLengthValidator``), sets no
maximum (a long passphrase or a password manager's output always fits), and refuses:

- :class:`BreachedPasswordValidator`: passwords found in breaches (``data/breached-passwords.txt.gz``,
  44,021 passwords of 12 characters or more; see ``data/README.md``), also when written with
  the usual look-alike swaps (``P@ssw0rd1234``);
- :class:`PredictablePasswordValidator`: repeated patterns (``aaaaaaaaaaaa``, ``abcabcabcabc``),
  very few different characters, runs in alphabet, digit or keyboard order
  (``123456789012``, ``abcdefghijkl``, ``qwertyuiopas``), and passwords containing the
  service's name or the user's own username or name.

Both are listed in ``AUTH_PASSWORD_VALIDATORS``, so every form that sets a password (the admin,
``provide create-admin``, the user-management pages) applies them.
"""

from __future__ import annotations

import functools
import gzip
import itertools
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

BREACHED_LIST = Path(__file__).resolve().parent / "data" / "breached-passwords.txt.gz"
MIN_DIFFERENT_CHARACTERS = 4
"""Fewer different characters than this is a pattern, not a password (``aaaabbbbaaaa``)."""
MIN_NAME_LENGTH = 4
"""Names and usernames shorter than this are not looked for inside a password (too many false hits)."""
SEQUENCE_RUN = 3
"""A password made wholly of runs at least this long, in some character order, is a sequence."""
SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",  # 0 again after 9, as on the keyboard: 123456789012 is one run
    "qwertyuiopasdfghjklzxcvbnm",  # the letter rows of a UK keyboard, left to right
    '!"£$%^&*()',  # the shifted digit row
)
SYMBOL_LOOK_ALIKES = str.maketrans({"@": "a", "$": "s", "!": "i", "|": "l", "+": "t"})
DIGIT_LOOK_ALIKES = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"}
"""Digits read as letters only between letters (``p@ssw0rd1234`` is ``password1234``)."""

BREACHED_MESSAGE = "This password has appeared in a data breach, so attackers try it early. Choose a different one."
REPEATED_MESSAGE = "This password is a repeated pattern, like aaaaaaaaaaaa or abcabcabcabc. Choose one that is harder to guess."
FEW_CHARACTERS_MESSAGE = f"This password uses fewer than {MIN_DIFFERENT_CHARACTERS} different characters. Choose one that is harder to guess."
SEQUENCE_MESSAGE = (
    "This password is a run of characters in order, like 123456789012, abcdefghijkl or qwertyuiopas. "
    "Choose one that is harder to guess."
)
SERVICE_NAME_MESSAGE = "Your password must not contain the name of this service, %(service)s."
OWN_NAME_MESSAGE = "Your password must not contain your username or your name."


@functools.cache
def breached_passwords() -> frozenset[str]:
    """The breached passwords, lower case (read once, on first use: it is 44,021 lines)."""
    with gzip.open(BREACHED_LIST, "rt", encoding="utf-8") as lines:
        return frozenset(line.rstrip("\n") for line in lines if line.strip())


def _stands_for_letter(text: str, index: int) -> bool:
    """A look-alike digit whose neighbours are letters (or more look-alike digits, at least one letter)."""
    neighbours = text[max(index - 1, 0) : index] + text[index + 1 : index + 2]
    return (
        text[index] in DIGIT_LOOK_ALIKES
        and any(n.isalpha() for n in neighbours)
        and all(n.isalpha() or n in DIGIT_LOOK_ALIKES for n in neighbours)
    )


def read_as_letters(password: str) -> str:
    """The password in lower case with look-alike symbols, and digits between letters, read as
    the letters they stand for: ``P@ssw0rd1234`` → ``password1234``, ``Pr0v1de`` → ``provide``."""
    text = password.lower().translate(SYMBOL_LOOK_ALIKES)
    return "".join(
        DIGIT_LOOK_ALIKES[character] if _stands_for_letter(text, index) else character
        for index, character in enumerate(text)
    )


def _forms(password: str) -> set[str]:
    """The password in lower case, and read with look-alikes as letters."""
    return {password.lower(), read_as_letters(password)}


class BreachedPasswordValidator:
    """Refuse passwords from the breached-password list (case-insensitive, look-alikes too)."""

    def validate(self, password: str, user: Any = None) -> None:
        known = breached_passwords()
        if any(form in known for form in _forms(password)):
            raise ValidationError(BREACHED_MESSAGE, code="password_breached")

    def get_help_text(self) -> str:
        return "Your password cannot be one that is known from data breaches."


def is_repeated_pattern(password: str) -> bool:
    """True when the password is one shorter block said again and again (``abcabcabcabc``)."""
    lowered = password.lower()
    return len(lowered) > 1 and (lowered + lowered).find(lowered, 1) < len(lowered)


def _neighbours() -> frozenset[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for sequence in SEQUENCES:
        for before, after in itertools.pairwise(sequence):
            pairs.update({(before, after), (after, before)})
    return frozenset(pairs)


NEIGHBOURS = _neighbours()


def is_sequence(password: str) -> bool:
    """True when the password is wholly made of runs of ``SEQUENCE_RUN`` or more characters
    that follow each other (either way) in the alphabet, the digits or a keyboard row:
    ``123456789012``, ``abcdefghijkl``, ``qwertyuiopas``, ``abc123def456``."""
    lowered = password.lower()
    if not lowered:
        return False
    run = 1
    for before, after in itertools.pairwise(lowered):
        if (before, after) in NEIGHBOURS:
            run += 1
            continue
        if run < SEQUENCE_RUN:
            return False
        run = 1
    return run >= SEQUENCE_RUN


def _own_names(user: Any) -> list[str]:
    if user is None:
        return []
    email = str(getattr(user, "email", "") or "")
    candidates = [
        str(getattr(user, "username", "") or ""),
        str(getattr(user, "first_name", "") or ""),
        str(getattr(user, "last_name", "") or ""),
        email.split("@", 1)[0],
    ]
    return [name.lower() for name in candidates if len(name) >= MIN_NAME_LENGTH]


class PredictablePasswordValidator:
    """Refuse repeated patterns, too few different characters, sequences, and passwords that
    contain the service's name or the user's own username or name."""

    def validate(self, password: str, user: Any = None) -> None:
        errors: list[ValidationError] = []
        if is_repeated_pattern(password):
            errors.append(ValidationError(REPEATED_MESSAGE, code="password_repeated"))
        elif len(set(password.lower())) < MIN_DIFFERENT_CHARACTERS:
            errors.append(ValidationError(FEW_CHARACTERS_MESSAGE, code="password_few_characters"))
        if is_sequence(password):
            errors.append(ValidationError(SEQUENCE_MESSAGE, code="password_sequence"))
        forms = _forms(password)
        service = str(settings.PROVIDE_SERVICE_NAME)
        if any(service.lower() in form for form in forms):
            errors.append(
                ValidationError(
                    SERVICE_NAME_MESSAGE, code="password_service_name", params={"service": service}
                )
            )
        if any(name in form for name in _own_names(user) for form in forms):
            errors.append(ValidationError(OWN_NAME_MESSAGE, code="password_contains_name"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return (
            f"Your password cannot be a repeated pattern or a run such as 123456789012, and "
            f"cannot contain {settings.PROVIDE_SERVICE_NAME} or your own name."
        )
