"""Keyed pseudonyms for the analysts' extract: HMAC-SHA256 of a record's public id.

The key is ``PROVIDE_PSEUDONYM_KEY`` (or ``PROVIDE_PSEUDONYM_KEY_FILE``). Without it, a key is
derived from ``DJANGO_SECRET_KEY``, and ``provide check`` warns (retention.W001): rotating the
secret key would then change every pseudonym, so two extracts could no longer be joined.
The same record gets the same pseudonym in every extract made with the same key; nobody without
the key can compute a record's pseudonym, or go back from a pseudonym to the record.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

DERIVATION_LABEL = b"provide.retention.pseudonym-key.v1"
PSEUDONYM_HEX = 20
"""Hex digits kept of each HMAC (80 bits: no collision in any extract this service makes)."""


def pseudonym_key_is_set() -> bool:
    return bool(getattr(settings, "PROVIDE_PSEUDONYM_KEY", ""))


def pseudonym_key() -> bytes:
    """The key: ``PROVIDE_PSEUDONYM_KEY``, else one derived from ``SECRET_KEY``."""
    configured = getattr(settings, "PROVIDE_PSEUDONYM_KEY", "")
    if configured:
        return str(configured).encode()
    return hmac.new(str(settings.SECRET_KEY).encode(), DERIVATION_LABEL, hashlib.sha256).digest()


def pseudonym(kind: str, value: object, *, key: bytes) -> str:
    """The pseudonym of ``value`` (a public id) for records of ``kind`` ("person", "investigation" ...):
    the kind is part of what is hashed, so one id never gives the same pseudonym in two columns."""
    digest = hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_HEX]
