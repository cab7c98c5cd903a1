"""The test OpenID Connect provider for the single sign-on tests (tests/accounts/oidc_idp)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from tests.accounts.oidc_idp.flow import configure, directory_users
from tests.accounts.oidc_idp.process import IdentityProvider, running_identity_provider


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdentityProvider]:
    """One provider for the session, started only if a test asks for it."""
    users = directory_users("sam.sergeant", "olu.officer", "ana.analyst", "nia.noone", "kim.known")
    with running_identity_provider(
        tmp_path_factory.mktemp("idp"),
        users=users,
        redirect_uris=["http://testserver/oidc/callback/"],
    ) as provider:
        yield provider


@pytest.fixture
def sso(
    settings: Any, identity_provider: IdentityProvider, areas: dict[str, Any]
) -> IdentityProvider:
    """Single sign-on on, against the test provider, with the cast's areas in place."""
    configure(settings, identity_provider)
    cache.clear()
    return identity_provider
