from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "provide.areas"
    label = "areas"
    default_auto_field = "django.db.models.BigAutoField"
