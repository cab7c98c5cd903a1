"""The evaluation dashboard: the evaluation engine (:mod:`provide.core.evaluation`) on the live database.

Read-only: it reads other apps' rows through :mod:`provide.evaluation.selectors`, and no
other app imports it (an import-linter contract).
"""
