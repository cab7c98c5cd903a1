"""Links this app adds to the service navigation (see provide.web.navigation).

The page is the administrator's (police side) and the IDVA manager's (health side). A link needs
one permission, so each role's link names one only that role holds among those who may open the
page; the page itself checks the role (provide.retention.policies).
"""

from provide.shared.navigation import NavItem

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(
        "retention", "Retention", "retention:overview", permission="audit.view_auditevent", order=95
    ),
    NavItem(
        "retention",
        "Retention",
        "retention:overview",
        permission="health.import_tracker",
        health_only=True,
        order=95,
    ),
)
