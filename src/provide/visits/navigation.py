"""Links this app adds to the service navigation (see provide.web.navigation)."""

from provide.shared.navigation import NavItem

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("visits", "Visits", "visits:visit-list", permission="visits.change_visit", order=30),
    NavItem(
        "consultations",
        "Consultations",
        "visits:consultation-list",
        permission="visits.view_consultation",
        order=35,
    ),
)
