"""Links this app adds to the service navigation (see provide.web.navigation)."""

from provide.shared.navigation import NavItem

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("planning", "Shift plans", "planning:index", permission="planning.view_plan", order=30),
    NavItem(
        "my-shift", "Today's route", "planning:my-shift", permission="visits.change_visit", order=31
    ),
)
