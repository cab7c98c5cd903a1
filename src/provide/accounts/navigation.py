"""Links this app adds to the service navigation (see provide.web.navigation)."""

from provide.shared.navigation import NavItem

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("users", "Users", "accounts:user-list", permission="accounts.change_user", order=90),
    NavItem(
        "health-role-requests",
        "Health role requests",
        "accounts:grant-list",
        permission="accounts.decide_healthrolegrantrequest",
        health_only=True,
        order=91,
    ),
)
