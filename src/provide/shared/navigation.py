"""A link in the service navigation. Each app lists its own in ``<app>/navigation.py``.

``provide.web.navigation`` collects them and shows each one the user may open.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    """One link: shown when the user holds ``permission`` (and a health role if ``health_only``)."""

    key: str
    label: str
    url_name: str
    permission: str = ""
    health_only: bool = False
    order: int = 50
