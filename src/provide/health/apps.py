from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "provide.health"
    label = "health"
    default_auto_field = "django.db.models.BigAutoField"
