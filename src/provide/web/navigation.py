"""The service navigation: each app lists its links in ``<app>/navigation.py``.

A link shows when the user holds its permission (and, for health-only pages, a health role).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    permission: str = ""
    health_only: bool = False
    order: int = 50


@cache
def all_nav_items() -> tuple[NavItem, ...]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("provide."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.navigation")
        except ModuleNotFoundError:
            continue
        items.extend(getattr(module, "NAV_ITEMS", ()))
    return tuple(sorted(items, key=lambda item: (item.order, item.label)))


def nav_items_for(user: Any, role: Any) -> list[dict[str, str]]:
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


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("audit", "Audit log", "web:audit-log", permission="audit.view_auditevent", order=90),
)
