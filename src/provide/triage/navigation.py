"""Links this app adds to the service navigation (see provide.web.navigation)."""

from provide.shared.navigation import NavItem

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(
        "triage", "Triage board", "triage:board", permission="triage.view_triagedecision", order=20
    ),
    NavItem(
        "triage-stale",
        "Not yet visited",
        "triage:stale",
        permission="triage.view_triagedecision",
        order=21,
    ),
    NavItem(
        "triage-policy",
        "Triage policy",
        "triage:policy-list",
        permission="triage.view_triagepolicy",
        order=80,
    ),
)
