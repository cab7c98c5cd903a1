from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "provide.intake"
    label = "intake"
    default_auto_field = "django.db.models.BigAutoField"
