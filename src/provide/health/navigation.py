"""Links this app adds to the service navigation (see provide.web.navigation)."""

from provide.shared.navigation import NavItem

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(
        "tracker",
        "Tracker",
        "health:tracker",
        permission="health.view_supportrecord",
        health_only=True,
        order=40,
    ),
)
