"""Links this app adds to the service navigation (see provide.web.navigation)."""

from provide.shared.navigation import NavItem

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("rota", "Rota", "rota:index", permission="rota.manage_rota", order=29),
)
