"""Links this app adds to the service navigation (see provide.web.navigation)."""

from provide.shared.navigation import NavItem

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(
        "intake-import",
        "Import",
        "intake:import-upload",
        permission="intake.import_investigations",
        order=80,
    ),
)
