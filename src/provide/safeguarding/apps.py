from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "provide.safeguarding"
    label = "safeguarding"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from provide.safeguarding import receivers

        receivers.connect()
