"""Links this app adds to the service navigation (see provide.web.navigation)."""

from provide.shared.navigation import NavItem

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(
        "referrals",
        "Referrals",
        "safeguarding:referral-list",
        permission="safeguarding.change_referral",
        order=60,
    ),
    NavItem(
        "marac",
        "MARAC",
        "safeguarding:marac-day",
        permission="safeguarding.change_maraccase",
        order=61,
    ),
    NavItem(
        "measures",
        "Protective measures",
        "safeguarding:measure-list",
        permission="safeguarding.change_protectivemeasure",
        order=62,
    ),
    NavItem(
        "handover",
        "Hand-over",
        "safeguarding:handover-list",
        permission="safeguarding.change_handovertask",
        order=63,
    ),
)
