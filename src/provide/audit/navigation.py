"""Links this app adds to the service navigation (see provide.web.navigation)."""

from provide.shared.navigation import NavItem

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("audit", "Audit log", "audit:log", permission="audit.view_auditevent", order=90),
)
