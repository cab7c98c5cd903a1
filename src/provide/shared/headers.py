"""Response headers every page carries, beyond those Django and django-csp set.

- :class:`NoStoreMiddleware`: nothing but static files may be kept by a browser or a proxy
  (``Cache-Control: no-store``). Pages and downloads hold personal data, and police and NHS
  devices are shared: the back button after sign-out, or the next user of the machine, must not
  find a copy in the cache.
- :class:`PermissionsPolicyMiddleware`: no page may use the camera, the microphone, the
  location or any other powerful browser feature (``Permissions-Policy``).

Both sit after WhiteNoise in ``MIDDLEWARE``, so static files (served by WhiteNoise before they
reach these) keep their long cache lifetimes; a static path that reaches Django anyway (a
missing file) is left as Django answers it.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

NO_STORE = "no-store"

PERMISSIONS_POLICY: dict[str, str] = {
    "accelerometer": "()",
    "autoplay": "()",
    "camera": "()",
    "display-capture": "()",
    "encrypted-media": "()",
    "fullscreen": "()",
    # No page reads the device's location: the route pages hand directions to the phone's own
    # maps app. A page that needs it would change this to "(self)".
    "geolocation": "()",
    "gyroscope": "()",
    "hid": "()",
    "idle-detection": "()",
    "magnetometer": "()",
    "microphone": "()",
    "midi": "()",
    "payment": "()",
    "picture-in-picture": "()",
    "screen-wake-lock": "()",
    "serial": "()",
    "usb": "()",
    "xr-spatial-tracking": "()",
}
"""Every feature a page may not use, as ``Permissions-Policy`` allowlists (``()`` is none).
Passkeys (``publickey-credentials-get``) keep the browser's default, this site only."""

Handler = Callable[[HttpRequest], HttpResponseBase]


def permissions_policy_header(policy: dict[str, str]) -> str:
    """``{"camera": "()", "geolocation": "(self)"}`` -> ``camera=(), geolocation=(self)``."""
    return ", ".join(f"{feature}={allowlist}" for feature, allowlist in policy.items())


def is_static_path(path: str) -> bool:
    """True for a URL under ``STATIC_URL`` (which may be a full URL or a path)."""
    prefix = urlsplit(str(settings.STATIC_URL)).path or "/static/"
    return path.startswith(prefix if prefix.endswith("/") else prefix + "/")


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response but static files.

    A response already marked ``no-store`` (Django's ``never_cache``) keeps its header; any
    other caching a view asked for is replaced, because a page of this site may always hold
    personal data.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if is_static_path(request.path_info):
            return response
        directives = {part.strip().lower() for part in response.get("Cache-Control", "").split(",")}
        if NO_STORE not in directives:
            response["Cache-Control"] = NO_STORE
        return response


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` from :data:`PERMISSIONS_POLICY` on every response."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.header = permissions_policy_header(PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response
