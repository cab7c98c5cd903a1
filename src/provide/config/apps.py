from django.apps import AppConfig


class ProvideConfigConfig(AppConfig):
    """Registers the start-up system checks; config is the top layer, so no app imports it."""

    name = "provide.config"
    label = "provide_config"

    def ready(self) -> None:
        from provide.config import checks  # noqa: F401  (registers the system checks)
