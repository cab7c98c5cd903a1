"""Links this app adds to the service navigation (see provide.web.navigation)."""

from provide.shared.navigation import NavItem

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("cases", "Cases", "cases:index", permission="cases.view_case", order=15),
    NavItem(
        "incident",
        "Raise a live incident",
        "cases:incident-new",
        permission="cases.add_case",
        order=16,
    ),
)
