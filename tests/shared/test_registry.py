"""Apps plug into shared lists by defining a module; the registry finds them in app order."""

from __future__ import annotations

from provide.people.person_sections import all_person_sections
from provide.shared.registry import app_modules
from provide.web.navigation import all_nav_items


def test_app_modules_finds_each_apps_module_in_installed_apps_order() -> None:
    names = [module.__name__ for module in app_modules("person_page")]
    assert names == [
        "provide.intake.person_page",
        "provide.visits.person_page",
        "provide.health.person_page",
    ]
    assert "provide.audit.navigation" in [module.__name__ for module in app_modules("navigation")]


def test_the_person_page_and_the_navigation_collect_every_apps_entries_in_order() -> None:
    assert [section.key for section in all_person_sections()] == [
        "investigations",
        "visits",
        "health",
    ]
    keys = [item.key for item in all_nav_items()]
    assert {"audit", "people-matches", "intake-import"} <= set(keys)
    assert keys.index("people-matches") < keys.index("audit")
