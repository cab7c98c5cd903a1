"""API tokens end with the person's access: signing out of the web pages, or being deactivated,
deletes every API token they hold (:func:`provide.api.tokens.api_tokens_revoke`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from provide.accounts.models import User
from provide.api.tokens import api_tokens_revoke

SIGNED_OUT = "signed out"
DEACTIVATED = "account deactivated"


@receiver(user_logged_out, dispatch_uid="provide.api.revoke_tokens_on_sign_out")
def revoke_tokens_on_sign_out(sender: Any, request: Any, user: User | None, **_: Any) -> None:
    if user is not None and user.pk is not None:
        api_tokens_revoke(user=user, reason=SIGNED_OUT, actor=user)


@receiver(post_save, sender=User, dispatch_uid="provide.api.revoke_tokens_on_deactivation")
def revoke_tokens_on_deactivation(sender: Any, instance: User, raw: bool = False, **_: Any) -> None:
    if not raw and not instance.is_active:
        api_tokens_revoke(user=instance, reason=DEACTIVATED)
