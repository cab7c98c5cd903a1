from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "provide.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from provide.config import checks  # noqa: F401  (registers the system checks)
