"""The hash chain's fields (filled by 0004). The triggers come off here, for 0004 to write the
new fields into existing rows, and go back on, stricter, in 0005."""

import importlib

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from provide.audit.triggers import drop_triggers


def take_triggers_off(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    drop_triggers(schema_editor)


def put_back_0002_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    importlib.import_module("provide.audit.migrations.0002_append_only_triggers").create_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.RunPython(take_triggers_off, put_back_0002_triggers),
        migrations.AddField(
            model_name="auditevent",
            name="chain_index",
            field=models.PositiveBigIntegerField(
                editable=False, null=True, help_text="Position in the hash chain: 1, 2, 3 ... with no gaps."
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(
                default="", editable=False, max_length=64,
                help_text="The hash of the event before this one (64 zeros for the first).",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(
                default="", editable=False, max_length=64,
                help_text="SHA-256 of this event's fields and the previous hash, in hex.",
            ),
            preserve_default=False,
        ),
    ]
