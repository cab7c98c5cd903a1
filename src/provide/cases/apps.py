from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "provide.cases"
    label = "cases"
    verbose_name = "Cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from provide.cases import receivers  # noqa: F401  (connects the signal receivers)
