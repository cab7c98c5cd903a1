"""The service navigation: each app lists its links in ``<app>/navigation.py``.

A link shows when the user holds its permission (and, for health-only pages, a health role).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from provide.accounts.models import User
from provide.shared.navigation import NavItem
from provide.shared.registry import app_modules


@cache
def all_nav_items() -> tuple[NavItem, ...]:
    items = [
        item for module in app_modules("navigation") for item in getattr(module, "NAV_ITEMS", ())
    ]
    return tuple(sorted(items, key=lambda item: (item.order, item.label)))


def nav_items_for(user: User | AnonymousUser, role: Any) -> list[dict[str, str]]:
    if not user.is_authenticated:
        return []
    shown = []
    for item in all_nav_items():
        if item.permission and not user.has_perm(item.permission):
            continue
        if item.health_only and (role is None or not role.is_health):
            continue
        shown.append({"key": item.key, "label": item.label, "url": reverse(item.url_name)})
    return shown
