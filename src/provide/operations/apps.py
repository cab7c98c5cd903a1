from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "provide.operations"
    label = "operations"
    verbose_name = "Operations: backups"
