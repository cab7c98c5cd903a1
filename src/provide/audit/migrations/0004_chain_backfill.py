"""Chain the events already in the log, in the order they were written (by id)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from provide.audit.chain import GENESIS, HASHED_FIELDS, event_hash

BATCH = 1000


def chain_existing_events(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    event_model = apps.get_model("audit", "AuditEvent")
    events = event_model.objects.using(schema_editor.connection.alias).order_by("id")
    index, previous, last_id = 0, GENESIS, 0
    while rows := list(events.filter(id__gt=last_id).values("id", *HASHED_FIELDS)[:BATCH]):
        linked = []
        for row in rows:
            index += 1
            digest = event_hash(row, previous)
            linked.append(event_model(id=row["id"], chain_index=index, previous_hash=previous, hash=digest))
            previous, last_id = digest, row["id"]
        event_model.objects.using(schema_editor.connection.alias).bulk_update(
            linked, ["chain_index", "previous_hash", "hash"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_fields")]

    operations = [migrations.RunPython(chain_existing_events, migrations.RunPython.noop)]
