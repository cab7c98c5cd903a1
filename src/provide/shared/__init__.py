"""The small shell every app shares, at the bottom of the layers (above the pure core only).

It holds what every context needs and no context owns: the public-record base
(:mod:`provide.shared.records`), "not found or not yours" and the user's area
(:mod:`provide.shared.access`), and the navigation link type (:mod:`provide.shared.navigation`).
It imports no app (``docs/architecture.md``, enforced by import-linter's layers contract).
"""
