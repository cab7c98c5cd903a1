from provide.shared.navigation import NavItem

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(
        "evaluation",
        "Evaluation",
        "evaluation:dashboard",
        permission="evaluation.view_dashboard",
        order=80,
    ),
)
