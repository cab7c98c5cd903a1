"""Drive single sign-on against the test provider without a browser.

The person's side (the provider's sign-in form) goes through ``requests``; Provide's side
through Django's test client, whose callback then calls the provider's token, keys and
user-info endpoints over real HTTP.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.test import Client

from tests.accounts.oidc_idp.process import CLIENT_ID, CLIENT_SECRET, IdentityProvider

IDP_PASSWORD = "directory-password-for-tests"
PROVIDER = "Test Directory"
ROLE_MAP = {
    "provide-sergeants": "triage_sergeant",
    "provide-officers": "response_officer",
    "provide-analysts": "analyst",
    "provide-admins": "administrator",
}
TEST_SERVER = "http://testserver/"


def directory_users(*usernames: str) -> list[dict[str, str]]:
    """The provider's users: ``first.last`` usernames, one password, directory email addresses."""
    return [
        {
            "username": name,
            "password": IDP_PASSWORD,
            "email": f"{name}@directory.example",
            "first_name": name.split(".")[0].title(),
            "last_name": name.split(".")[1].title(),
        }
        for name in usernames
    ]


def configure(django_settings: Any, provider: IdentityProvider | None) -> None:
    """Point Provide at ``provider`` (or switch single sign-on off with None)."""
    django_settings.PROVIDE_OIDC_ISSUER = provider.issuer if provider else ""
    django_settings.OIDC_RP_CLIENT_ID = CLIENT_ID if provider else ""
    django_settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET if provider else ""
    django_settings.PROVIDE_OIDC_PROVIDER_NAME = PROVIDER
    django_settings.PROVIDE_OIDC_ROLE_CLAIM = "roles"
    django_settings.PROVIDE_OIDC_ROLE_MAP = ROLE_MAP
    django_settings.PROVIDE_OIDC_BCU_CLAIM = "bcu"
    django_settings.OIDC_RP_SCOPES = "openid email profile provide"


def provider_sign_in(start: str, username: str, back_to: str = TEST_SERVER) -> str:
    """Sign in at the provider as a person would, from Provide's redirect to it; return the
    address the provider sends the browser back to (Provide's callback, with the code)."""
    browser = requests.Session()
    url = start
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=30)
        if response.status_code == 200 and 'name="password"' in response.text:
            form = {
                name: html.unescape(value)
                for name, value in re.findall(
                    r'<input type="hidden" name="([^"]+)" value="([^"]*)"', response.text
                )
            }
            form.update({"username": username, "password": IDP_PASSWORD})
            response = browser.post(url, data=form, allow_redirects=False, timeout=30)
        assert response.status_code == 302, response.text[:500]
        url = urljoin(url, response.headers["Location"])
        if url.startswith(back_to):
            return url
    raise AssertionError("the provider never sent the browser back to Provide")


def sso_sign_in(client: Client, username: str, next_page: str = "/") -> Any:
    """The whole authorization-code flow; returns Provide's response to the callback."""
    start = client.get("/oidc/authenticate/", {"next": next_page})
    assert start.status_code == 302
    assert start["Location"].startswith(str(settings.PROVIDE_OIDC_ISSUER) + "/authorize")
    back = urlsplit(provider_sign_in(start["Location"], username))
    return client.get(f"{back.path}?{back.query}")
