"""The test provider's claims: standard ones from the user, and the organisation's own
(``roles``, ``bcu``, ``amr``) from the claims file the test writes (``IDP_CLAIMS_FILE``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from oidc_provider.lib.claims import ScopeClaims


def extra_claims(username: str) -> dict[str, Any]:
    """This user's entry in the claims file (read afresh on every request)."""
    if not settings.IDP_CLAIMS_FILE:
        return {}
    claims: dict[str, dict[str, Any]] = json.loads(
        Path(settings.IDP_CLAIMS_FILE).read_text(encoding="utf-8")
    )
    return claims.get(username, {})


def userinfo(claims: dict[str, Any], user: Any) -> dict[str, Any]:
    claims["name"] = user.get_full_name()
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["preferred_username"] = user.username
    claims["email"] = user.email
    claims["email_verified"] = True
    return claims


class ProvideScopeClaims(ScopeClaims):
    """The ``provide`` scope: the user's roles and BCU, as an organisation's directory sends them."""

    info_provide = ("Provide", "Your roles and BCU.")

    def scope_provide(self) -> dict[str, Any]:
        extra = extra_claims(self.user.username)
        return {key: extra[key] for key in ("roles", "bcu") if key in extra}


def id_token_hook(id_token: dict[str, Any], user: Any, **_: Any) -> dict[str, Any]:
    """Say how the user signed in (``amr``), as a provider that ran its own second factor does."""
    extra = extra_claims(user.username)
    if "amr" in extra:
        id_token["amr"] = extra["amr"]
    return id_token
