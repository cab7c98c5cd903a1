"""Every event has its place in the chain; the database refuses UPDATE and DELETE of an audit
row on SQLite and PostgreSQL, and TRUNCATE on PostgreSQL (provide.audit.triggers)."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from provide.audit.triggers import create_triggers, drop_triggers


def put_triggers_on(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    create_triggers(schema_editor)


def take_triggers_off(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    drop_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chain_backfill")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="chain_index",
            field=models.PositiveBigIntegerField(
                editable=False, unique=True, help_text="Position in the hash chain: 1, 2, 3 ... with no gaps."
            ),
        ),
        # Last: on SQLite, altering the field rebuilds the table, which drops its triggers.
        migrations.RunPython(put_triggers_on, take_triggers_off),
    ]
