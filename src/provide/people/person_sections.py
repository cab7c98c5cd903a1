"""Sections of the person page that apps above people add, each in ``<app>/person_page.py``.

people sits below intake, visits and health, so it cannot import them. Each of those apps
lists its :class:`PersonSection`: a template and a function that reads what it shows through
that app's own access-checked selectors (and returns None when the user may not see it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from provide.accounts.http import AuthenticatedRequest
from provide.accounts.models import User
from provide.people.models import Person
from provide.shared.registry import app_modules


@dataclass(frozen=True)
class PersonSection:
    key: str
    template: str
    context: Callable[[User, Person], dict[str, Any] | None]
    order: int = 50


@cache
def all_person_sections() -> tuple[PersonSection, ...]:
    sections = [
        s for module in app_modules("person_page") for s in getattr(module, "PERSON_SECTIONS", ())
    ]
    return tuple(sorted(sections, key=lambda section: (section.order, section.key)))


def person_sections_for(request: AuthenticatedRequest, person: Person) -> list[SafeString]:
    """Every section ``request.user`` may see, rendered, in page order."""
    rendered = []
    for section in all_person_sections():
        context = section.context(request.user, person)
        if context is not None:
            rendered.append(render_to_string(section.template, context, request=request))
    return rendered
