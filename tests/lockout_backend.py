"""django-axes' backend for the test settings: the same, but lets Django's test client in.

``Client.login()`` calls ``authenticate()`` without a request, which axes refuses outright
(it needs the request to count attempts per address). Everything that has a request (the
sign-in page, the admin, the browser tests) still goes through axes exactly as in production.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend


class TestClientLockoutBackend(AxesStandaloneBackend):
    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
