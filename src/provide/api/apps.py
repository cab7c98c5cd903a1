from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "provide.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from provide.api import receivers  # noqa: F401  (connects the token revocation receivers)
