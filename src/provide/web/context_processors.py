from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from provide.accounts.services import role_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    role = role_of(request.user) if hasattr(request, "user") else None  # type: ignore[arg-type]
    return {
        "service_name": settings.PROVIDE_SERVICE_NAME,
        "show_synthetic_banner": settings.PROVIDE_SHOW_SYNTHETIC_BANNER,
        "current_role": role,
    }
