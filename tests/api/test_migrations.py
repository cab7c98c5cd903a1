"""Upgrading removes DRF's old token table, where every key was kept in plain text."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_drops_the_plaintext_token_table_and_its_migration_records(db: Any) -> None:
    # Given a database from before the change: the old table with a key in it, and its records
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id bigint)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES ('42d575ab01e3e2e7a95cf270f90957b928a9831c', NULL, 1)"
        )
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('authtoken', '0001_initial', "
            "CURRENT_TIMESTAMP)"
        )
    call_command("migrate", "api", "zero", verbosity=0)
    assert "authtoken_token" in connection.introspection.table_names()
    # When the migration runs
    call_command("migrate", "api", verbosity=0)
    # Then the table and the records are gone, and the hashed tokens' table is there
    tables = connection.introspection.table_names()
    assert "authtoken_token" not in tables and "knox_authtoken" in tables
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone() == (0,)
