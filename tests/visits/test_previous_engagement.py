"""The IDVA asks about the victim's engagement before today (the evaluation's "before")."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from provide.health.models import SupportRecord
from provide.visits.models import Visit
from tests.visits.formdata import form_data, with_changes

pytestmark = pytest.mark.django_db


def test_the_idva_records_previous_engagement_with_the_visit(
    client_for: Any, planned_visit: Visit
) -> None:
    client = client_for("health_idva")
    url = reverse("visits:visit-record", args=[planned_visit.public_id])
    html = client.get(url).content.decode()
    assert "Before today, had the victim engaged with a police investigation?" in html
    data = form_data(html)
    assert data["health-previously_engaged_investigation"] == [
        "unknown"
    ]  # "Not asked" until answered
    data = with_changes(
        data,
        shared__arrived_at="2026-01-05T10:00",
        shared__contact_result="engaged",
        health__previously_engaged_investigation="no",
        health__previously_engaged_safeguarding="yes",
        health__engaged_investigation="yes",
    )
    response = client.post(url, {**data, "action": "finish"})
    assert response.status_code == 302
    record = SupportRecord.objects.get(visit=planned_visit)
    assert (record.previously_engaged_investigation, record.previously_engaged_safeguarding) == (
        False,
        True,
    )
    assert record.engaged_investigation is True
    shown = client.get(url, {"amend": "1"}).content.decode()
    assert 'value="no" checked' in shown.split("previously_engaged_investigation", 1)[1][:2000]


def test_not_asked_is_stored_as_blank(client_for: Any, planned_visit: Visit) -> None:
    client = client_for("health_idva")
    url = reverse("visits:visit-record", args=[planned_visit.public_id])
    data = with_changes(
        form_data(client.get(url).content.decode()),
        health__previously_engaged_safeguarding="unknown",
        health__notes="Asked nothing yet",
    )
    client.post(url, {**data, "action": "save"})
    record = SupportRecord.objects.get(visit=planned_visit)
    assert record.previously_engaged_safeguarding is None
