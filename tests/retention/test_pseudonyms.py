"""Keyed pseudonyms: stable for a key, different per kind and per key, derived when unset."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from provide.retention.pseudonyms import (
    PSEUDONYM_HEX,
    pseudonym,
    pseudonym_key,
    pseudonym_key_is_set,
)


def test_the_configured_key_is_used(settings: Any) -> None:
    settings.PROVIDE_PSEUDONYM_KEY = "a-long-random-pseudonym-key"
    assert pseudonym_key_is_set()
    assert pseudonym_key() == b"a-long-random-pseudonym-key"


def test_without_a_key_one_is_derived_from_the_secret_key(settings: Any) -> None:
    settings.PROVIDE_PSEUDONYM_KEY = ""
    assert not pseudonym_key_is_set()
    derived = pseudonym_key()
    assert derived != settings.SECRET_KEY.encode() and len(derived) == 32
    settings.SECRET_KEY = settings.SECRET_KEY + "-rotated"
    assert pseudonym_key() != derived


def test_a_pseudonym_is_the_hmac_of_kind_and_value() -> None:
    key = b"k" * 32
    value = "0b8f5a0e-54a5-4a4e-9d0c-3b8c9f0e6c11"
    expected = hmac.new(key, f"person:{value}".encode(), hashlib.sha256).hexdigest()[:PSEUDONYM_HEX]
    assert pseudonym("person", value, key=key) == expected
    assert pseudonym("investigation", value, key=key) != expected
    assert pseudonym("person", value, key=b"j" * 32) != expected
