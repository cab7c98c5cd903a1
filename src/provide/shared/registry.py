"""Plug-in points: an app adds to a shared list by defining a module, not by editing the list.

``<app>/navigation.py`` (links), ``<app>/api_routes.py`` (API routes) and
``<app>/person_page.py`` (sections of the person page) are found here, in ``INSTALLED_APPS``
order, so a lower layer can show what a higher one adds without importing it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> list[ModuleType]:
    """The module ``<app>.<name>`` of every installed Provide app that has one."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("provide."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.{name}"))
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.{name}":
                raise
    return modules
