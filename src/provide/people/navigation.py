"""Links this app adds to the service navigation (see provide.web.navigation)."""

from provide.shared.navigation import NavItem

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(
        "people-matches",
        "Duplicate people",
        "people:match-list",
        permission="people.merge_person",
        order=85,
    ),
)
