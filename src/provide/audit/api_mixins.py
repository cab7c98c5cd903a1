"""API list endpoints audit what they return, one event per page, like every other door.

Put :class:`AuditedListMixin` first in a viewset's bases and name the event::

    class PersonViewSet(AuditedListMixin, viewsets.ReadOnlyModelViewSet):
        audit_list_event = "people.people_listed"

Each page served (each call of ``paginate_queryset``, so hand-written ``list`` methods that
paginate are covered too) writes one event through
:func:`provide.audit.services.audit_records_read`, naming every record on the page, with the
query string (filters and page number) as the query.
"""

from __future__ import annotations

from typing import Any

from rest_framework.generics import GenericAPIView

from provide.audit.models import AuditAction
from provide.audit.services import audit_records_read


class AuditedListMixin(GenericAPIView):  # type: ignore[type-arg]
    audit_list_event = ""
    """The dotted event name, e.g. ``"people.people_listed"``."""
    audit_list_action = AuditAction.VIEW

    def paginate_queryset(self, queryset: Any) -> Any:
        if not self.audit_list_event:
            raise NotImplementedError(f"{type(self).__name__} must name its audit_list_event")
        page = super().paginate_queryset(queryset)
        records = page if page is not None else list(queryset)
        audit_records_read(
            actor=self.request.user,
            records=records,
            event=self.audit_list_event,
            action=self.audit_list_action,
            query=self.request.query_params,
        )
        return page
