from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(**_: object) -> None:
    from provide.accounts.services import roles_sync

    roles_sync()


class AccountsConfig(AppConfig):
    name = "provide.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Runs after every app's migrations, so each app's permissions exist by the last run.
        post_migrate.connect(_sync_roles, dispatch_uid="provide.accounts.roles_sync")
