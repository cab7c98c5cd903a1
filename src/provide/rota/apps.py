from django.apps import AppConfig


class RotaConfig(AppConfig):
    name = "provide.rota"
    label = "rota"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Rota"
