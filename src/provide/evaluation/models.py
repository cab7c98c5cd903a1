"""No data of its own: one unmanaged model only carries the dashboard's permission.

Roles get ``evaluation.view_dashboard`` in :mod:`provide.accounts.roles`; what a role then
sees (full figures or published, suppressed figures) is decided in
:mod:`provide.evaluation.policies`.
"""

from __future__ import annotations

from django.db import models


class EvaluationAccess(models.Model):
    """Permission holder only: no table is created (``managed = False``)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_dashboard", "Can view the evaluation dashboard and download its report"),
        ]

    def __str__(self) -> str:
        return "evaluation access"
