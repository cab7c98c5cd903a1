"""Links this app adds to the service navigation (see provide.web.navigation)."""

from provide.web.navigation import NavItem

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("intake-import", "Import", "intake:import-upload", permission="intake.import_investigations", order=80),
    NavItem("intake-matches", "Duplicate people", "intake:match-list", permission="people.merge_person", order=85),
)
