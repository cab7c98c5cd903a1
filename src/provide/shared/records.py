"""The abstract base every Provide record shares: a public UUID and timestamps.

Integer primary keys never leave the database; URLs and the API use ``public_id``.
"""

from __future__ import annotations

import uuid

from django.db import models


class PublicRecord(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


PUBLIC_ID_PATTERN = "[0-9a-fA-F-]{36}"
"""What a ``public_id`` looks like in a URL (the API's ``lookup_value_regex``)."""
