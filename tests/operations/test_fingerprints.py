"""Fingerprints: the same rows give the same checksum whatever their order on disk; any change
to a value, a row or a table is found and said in words."""

from __future__ import annotations

import sqlite3

from provide.operations.fingerprints import database_fingerprints, differences, table_fingerprint


def _db(rows: list[tuple[int, str, bytes | None]]) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT, photo BLOB)")
    connection.executemany("INSERT INTO person VALUES (?, ?, ?)", rows)
    return connection


def test_the_order_rows_were_written_in_does_not_matter() -> None:
    rows = [(1, "Ann", None), (2, "Bea", b"\x00\x01"), (3, "Cat", b"")]
    first = table_fingerprint(_db(rows).cursor(), "person")
    second = table_fingerprint(_db(list(reversed(rows))).cursor(), "person")
    assert first == second and first["rows"] == 3


def test_a_changed_value_a_missing_row_and_a_missing_table_are_each_found() -> None:
    rows = [(1, "Ann", None), (2, "Bea", None)]
    expected = database_fingerprints(_db(rows).cursor(), ["person"])
    changed = database_fingerprints(_db([(1, "Ann", None), (2, "Bee", None)]).cursor(), ["person"])
    shorter = database_fingerprints(_db(rows[:1]).cursor(), ["person"])
    assert differences(expected, expected) == []
    assert differences(expected, changed) == ["person: same number of rows, different contents"]
    assert differences(expected, shorter) == ["person: 1 rows, the backup has 2"]
    assert differences(expected, {}) == ["person: missing from the restored database"]
    assert differences({}, expected) == ["person: not in the backup"]


def test_null_and_the_text_null_differ() -> None:
    with_null = table_fingerprint(_db([(1, None, None)]).cursor(), "person")
    with_text = table_fingerprint(_db([(1, "None", None)]).cursor(), "person")
    assert with_null["sha256"] != with_text["sha256"]
