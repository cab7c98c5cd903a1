"""API tokens moved from DRF's authtoken (keys stored as they are) to django-rest-knox (stored
hashed, with an expiry). Removing the app from INSTALLED_APPS leaves its table behind, and with
it every old key in plain text: drop it. The old tokens stop working either way; holders ask
for a new one with ``provide api-token``."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("knox", "0009_extend_authtoken_field")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
        # So that the app, if ever installed again, creates its table afresh.
        migrations.RunSQL("DELETE FROM django_migrations WHERE app = 'authtoken'",
                          reverse_sql=migrations.RunSQL.noop),
    ]
