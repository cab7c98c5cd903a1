"""Row counts and checksums of every table: what a backup promises and a restore must match.

A fingerprint is computed over a database connection (Django's, or a DB-API connection opened
on a restored copy), table by table: the number of rows, and a SHA-256 over every row in a
fixed order (all columns, ascending), each value written as text. Two databases of the same
engine with the same rows have the same fingerprints.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

TableFingerprint = dict[str, Any]
"""``{"rows": int, "sha256": str}``."""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, memoryview | bytes | bytearray):
        return bytes(value).hex()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).isoformat()  # whatever the session's time zone
    return str(value)


def table_fingerprint(cursor: Any, table: str) -> TableFingerprint:
    """The row count and checksum of one table, read through a DB-API ``cursor``."""
    cursor.execute(f"SELECT * FROM {_quoted(table)} WHERE 1 = 0")  # noqa: S608 - a known table
    width = len(cursor.description)
    order = ", ".join(str(position) for position in range(1, width + 1))
    cursor.execute(f"SELECT * FROM {_quoted(table)} ORDER BY {order}")  # noqa: S608
    digest = hashlib.sha256()
    rows = 0
    while batch := cursor.fetchmany(2000):
        for row in batch:
            digest.update("\x1f".join(_text(value) for value in row).encode())
            digest.update(b"\x1e")
            rows += 1
    return {"rows": rows, "sha256": digest.hexdigest()}


def database_fingerprints(cursor: Any, tables: Iterable[str]) -> dict[str, TableFingerprint]:
    """Fingerprints of ``tables``, by name, in name order."""
    return {table: table_fingerprint(cursor, table) for table in sorted(tables)}


def differences(
    expected: dict[str, TableFingerprint], found: dict[str, TableFingerprint]
) -> list[str]:
    """What differs between two sets of fingerprints, in words (empty when they match)."""
    problems = []
    for table in sorted(set(expected) | set(found)):
        if table not in found:
            problems.append(f"{table}: missing from the restored database")
        elif table not in expected:
            problems.append(f"{table}: not in the backup")
        elif expected[table]["rows"] != found[table]["rows"]:
            problems.append(
                f"{table}: {found[table]['rows']} rows, the backup has {expected[table]['rows']}"
            )
        elif expected[table]["sha256"] != found[table]["sha256"]:
            problems.append(f"{table}: same number of rows, different contents")
    return problems
