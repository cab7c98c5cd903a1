from django.apps import AppConfig
from django.db.backends.signals import connection_created

from provide.audit.maintenance import register_maintenance_function


class AuditConfig(AppConfig):
    name = "provide.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every SQLite connection needs the function the audit table's DELETE trigger asks.
        connection_created.connect(
            register_maintenance_function, dispatch_uid="provide.audit.maintenance"
        )
