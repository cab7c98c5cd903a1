from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from provide.accounts.services import role_of
from provide.web.navigation import nav_items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = role_of(user) if user is not None else None
    return {
        "service_name": settings.PROVIDE_SERVICE_NAME,
        "show_synthetic_banner": settings.PROVIDE_SHOW_SYNTHETIC_BANNER,
        "current_role": role,
        "nav_items": nav_items_for(user, role) if user is not None else [],
    }
