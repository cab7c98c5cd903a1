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
        _connect_sign_in_signals()


def _connect_sign_in_signals() -> None:
    """Audit each new lockout (django-axes), and start the idle clocks at sign-in."""
    from axes.signals import user_locked_out  # type: ignore[import-untyped, unused-ignore]
    from django.contrib.auth.signals import user_logged_in

    from provide.accounts import idle, lockout

    user_locked_out.connect(
        lockout.record_lockout, dispatch_uid="provide.accounts.lockout.record_lockout"
    )
    user_logged_in.connect(
        idle.start_session_clock, dispatch_uid="provide.accounts.idle.start_session_clock"
    )
