"""Fixtures for visit recording: a planned visit in West, and signed-in clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from provide.visits.models import Visit


@pytest.fixture
def planned_visit(west_case: dict[str, Any]) -> Visit:
    return Visit.objects.create(
        mode=Visit.Mode.POST_INCIDENT,
        investigation=west_case["investigation"],
        victim=west_case["victim"],
        record_status=Visit.RecordStatus.PLANNED,
        planned_at=west_case["investigation"].recorded_at,
    )


@pytest.fixture
def client_for(make_user: Callable[..., Any]) -> Callable[[str], Client]:
    made: dict[str, Any] = {}

    def signed_in(slug: str) -> Client:
        if slug not in made:
            made[slug] = make_user(slug)
        client = Client()
        client.force_login(made[slug])
        client.user = made[slug]  # type: ignore[attr-defined]
        return client

    return signed_in
