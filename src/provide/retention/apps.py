from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "provide.retention"
    label = "retention"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Retention and rights"

    def ready(self) -> None:
        from provide.retention import checks  # noqa: F401  (registers the system checks)
